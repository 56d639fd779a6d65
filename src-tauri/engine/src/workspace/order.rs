//! The order of the status table: tenants in natural order (Tenant 2 before Tenant 10), or by
//! status, the tenants that need someone first. Ordering only; what a status is belongs to
//! [`super::status`].

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::status::{DocStatus, TenantStatus};

/// How to order the rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowOrder {
    /// By display name, numbers by value, then by id.
    #[default]
    Name,
    /// Problems first, then outdated, changed, never exported, up to date; by name within each.
    Status,
}

/// Natural order, ignoring case: `tenant-2` < `Tenant-10`; equal texts in other cases by code
/// point, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    alphanumeric_sort::compare_str(a.to_lowercase(), b.to_lowercase()).then_with(|| a.cmp(b))
}

/// How urgent a cell is, 0 most: what [`RowOrder::Status`] sorts by.
pub fn urgency(s: &DocStatus) -> u8 {
    match s {
        DocStatus::Problems { .. } => 0,
        DocStatus::Outdated { .. } => 1,
        DocStatus::Changed { .. } => 2,
        DocStatus::NeverExported => 3,
        DocStatus::UpToDate { .. } => 4,
    }
}

/// The most urgent cell of a row (up to date for a row without documents).
fn row_urgency(r: &TenantStatus) -> u8 {
    r.documents
        .iter()
        .map(|(_, s)| urgency(s))
        .min()
        .unwrap_or(4)
}

/// Sorts `rows` in `order` (stable; ties by name, then id).
pub fn sort_rows(rows: &mut [TenantStatus], order: RowOrder) {
    let by_name = |a: &TenantStatus, b: &TenantStatus| {
        natural_cmp(&a.name, &b.name).then_with(|| natural_cmp(&a.tenant, &b.tenant))
    };
    match order {
        RowOrder::Name => rows.sort_by(by_name),
        RowOrder::Status => rows.sort_by(|a, b| {
            row_urgency(a)
                .cmp(&row_urgency(b))
                .then_with(|| by_name(a, b))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, cells: &[DocStatus]) -> TenantStatus {
        TenantStatus {
            tenant: name.to_lowercase().replace(' ', "-"),
            name: name.into(),
            documents: cells
                .iter()
                .map(|s| ("f/d".to_owned(), s.clone()))
                .collect(),
        }
    }

    fn names(rows: &[TenantStatus]) -> Vec<&str> {
        rows.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn numbers_sort_by_value_and_case_does_not_split_names() {
        let mut v = vec![
            "Tenant 10",
            "tenant 2",
            "Tenant 1",
            "Tenant 100",
            "Tenant 9",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "Tenant 1",
                "tenant 2",
                "Tenant 9",
                "Tenant 10",
                "Tenant 100"
            ]
        );
    }

    #[test]
    fn status_order_puts_problems_then_outdated_first() {
        let up = DocStatus::UpToDate {
            version: "1.0.0".into(),
        };
        let outdated = DocStatus::Outdated {
            exported: "1.0.0".into(),
            current: "2.0.0".into(),
            must_accept: true,
        };
        let mut rows = vec![
            row("Tenant 10", &[up.clone(), DocStatus::NeverExported]),
            row("Tenant 2", &[up.clone(), outdated.clone()]),
            row("Tenant 3", &[up.clone(), up.clone()]),
            row("Tenant 1", &[DocStatus::Problems { errors: 2 }, outdated]),
            row("Tenant 20", &[DocStatus::NeverExported, up]),
        ];
        sort_rows(&mut rows, RowOrder::Status);
        assert_eq!(
            names(&rows),
            ["Tenant 1", "Tenant 2", "Tenant 10", "Tenant 20", "Tenant 3"]
        );
        sort_rows(&mut rows, RowOrder::Name);
        assert_eq!(
            names(&rows),
            ["Tenant 1", "Tenant 2", "Tenant 3", "Tenant 10", "Tenant 20"]
        );
    }
}
