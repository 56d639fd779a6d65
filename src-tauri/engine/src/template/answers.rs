//! The answers for one document. A tenant file holds answers for a whole family of documents
//! (`templates/<family>/*.md`), and each document is rendered, checked, exported and approved
//! with the answers meant for it: answers only a sibling document reads are left out silently
//! (they are not "unknown" here), while answers no document of the family reads are kept, so the
//! document's checks report them (`unknown-field`) the same way in every host.

use std::collections::BTreeSet;

use super::NoticeTemplate;
use crate::values::TenantValues;

/// The answers for `doc` out of the family's tenant file: answers for a sibling's fields are
/// left out (they are not "unknown" here), while answers no document of the family uses are
/// kept, so `doc`'s checks still report them.
pub fn answers_for<'a>(
    doc: &NoticeTemplate,
    family: impl IntoIterator<Item = &'a NoticeTemplate>,
    values: &TenantValues,
) -> TenantValues {
    answers(values, &sibling_keys(doc, family))
}

/// The answer keys `doc`'s siblings read and `doc` does not: what [`answers_for`] leaves out. Kept
/// as a list so a caller holding only `doc` (the web view's engine) can filter the same way.
pub fn sibling_keys<'a>(
    doc: &NoticeTemplate,
    family: impl IntoIterator<Item = &'a NoticeTemplate>,
) -> BTreeSet<String> {
    family
        .into_iter()
        .flat_map(|s| {
            s.fields
                .iter()
                .flat_map(|f| std::iter::once(&f.name).chain(&f.renamed_from))
        })
        .filter(|k| !doc.reads(k))
        .cloned()
        .collect()
}

/// The answers for a document out of a tenant file's `values`: all of them but those under
/// `sibling_keys` ([`sibling_keys`]). The one definition every export, check and approval uses.
pub fn answers(values: &TenantValues, sibling_keys: &BTreeSet<String>) -> TenantValues {
    values
        .iter()
        .filter(|(k, _)| !sibling_keys.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
