//! Field declarations (front matter `fields:` or a `<template>.fields.yaml` sidecar) and field
//! inference from placeholder names. Produces the form schema; validation of values lives in
//! [`crate::values`].

use serde::{Deserialize, Serialize};

pub use crate::values::FieldType;

impl FieldType {
    /// Guesses a type from a placeholder name, as the template format documents.
    pub fn infer(name: &str) -> FieldType {
        let n = name.to_ascii_lowercase();
        if n.ends_with("_email") || n == "email" {
            FieldType::Email
        } else if n.ends_with("_server_name") || n == "server_name" {
            FieldType::MatrixServerName
        } else if n.ends_with("_fqdn")
            || n.ends_with("_domain")
            || n.ends_with("_hostname")
            || n == "domain"
        {
            FieldType::Hostname
        } else if n.ends_with("_uri") || n.ends_with("_url") {
            FieldType::Url
        } else if n.ends_with("_date") || n == "date" {
            FieldType::Date
        } else if n.starts_with("is_")
            || n.starts_with("has_")
            || n.ends_with("_enabled")
            || n.ends_with("_version") && n.starts_with("public")
        {
            FieldType::Bool
        } else {
            FieldType::Text
        }
    }

    /// The name as written in YAML (`matrix_server_name`).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Multiline => "multiline",
            FieldType::Email => "email",
            FieldType::Hostname => "hostname",
            FieldType::MatrixServerName => "matrix_server_name",
            FieldType::Url => "url",
            FieldType::Date => "date",
            FieldType::Bool => "bool",
            FieldType::Choice => "choice",
            FieldType::Number => "number",
            FieldType::List => "list",
            FieldType::Group => "group",
        }
    }

    /// True for the types whose values hold other values.
    pub fn is_compound(self) -> bool {
        matches!(self, FieldType::List | FieldType::Group)
    }

    /// A short description for form hints and `notice fields`.
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Multiline => "multi-line text",
            FieldType::Email => "email address",
            FieldType::Hostname => "host name (FQDN)",
            FieldType::MatrixServerName => "Matrix server name",
            FieldType::Url => "web address",
            FieldType::Date => "date (YYYY-MM-DD)",
            FieldType::Bool => "yes/no",
            FieldType::Choice => "choice",
            FieldType::Number => "number",
            FieldType::List => "list",
            FieldType::Group => "group of fields",
        }
    }
}

/// Where a field's definition came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum FieldOrigin {
    /// Declared in front matter or the sidecar file.
    Declared,
    /// Inferred from a placeholder name.
    Inferred,
}

/// One form field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Field {
    /// The placeholder name (`hhs_entity_name`).
    pub name: String,
    /// What the form shows.
    pub label: String,
    /// The kind of value.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// Whether an empty value is an unfilled place.
    pub required: bool,
    /// Help text under the input.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// An example value for the form.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// A default value; may be a Jinja expression of other fields (`{{ hhs_name }}.{{ domain }}`).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The form section the field is shown in.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The choices of a `choice` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Earlier names of this field, for migrating old tenant files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed_from: Vec<String>,
    /// A number's smallest and largest accepted value, and its unit ("days").
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest value a number field takes.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Unit shown beside a number field (`days`).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// A list's item: a text-like field, or a group whose `fields` are each item's.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Box<Field>>,
    /// A group's (record's) fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Whether the field was declared or guessed from its placeholders.
    pub origin: FieldOrigin,
    /// How many placeholders use the field.
    pub uses: u32,
}

impl Field {
    /// A field of `kind` with everything else at its default; the label comes from the name.
    pub fn new(name: &str, kind: FieldType, origin: FieldOrigin) -> Field {
        Field {
            name: name.to_owned(),
            label: label_from_name(name),
            kind,
            required: kind != FieldType::Bool,
            help: None,
            example: None,
            default: None,
            group: None,
            options: vec![],
            renamed_from: vec![],
            min: None,
            max: None,
            unit: None,
            item: None,
            fields: vec![],
            origin,
            uses: 0,
        }
    }

    /// The sub-field `name` of a group, or of a list's record items.
    pub fn sub_field(&self, name: &str) -> Option<&Field> {
        let group = match self.kind {
            FieldType::List => self.item.as_deref()?,
            _ => self,
        };
        group.fields.iter().find(|f| f.name == name)
    }
}

/// A field declaration as written in YAML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldDecl {
    pub name: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<FieldType>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub renamed_from: Option<OneOrMany>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    /// A list's item: a type name (`item: email`) or the fields of a record (`item: [...]`).
    #[serde(default)]
    pub item: Option<ItemDecl>,
    /// A group's fields.
    #[serde(default)]
    pub fields: Vec<FieldDecl>,
}

/// `item: email`, or `item:` followed by a list of field declarations (a list of records).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum ItemDecl {
    Kind(FieldType),
    Fields(Vec<FieldDecl>),
}

/// `renamed_from: old_name` or `renamed_from: [a, b]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl FieldDecl {
    pub(crate) fn into_field(self) -> Field {
        let kind = self
            .kind
            .unwrap_or_else(|| match (&self.item, self.fields.is_empty()) {
                (Some(_), _) => FieldType::List,
                (None, false) => FieldType::Group,
                (None, true) => FieldType::infer(&self.name),
            });
        let item = match (kind, self.item) {
            (FieldType::List, Some(ItemDecl::Fields(fields))) => {
                let mut g = Field::new("item", FieldType::Group, FieldOrigin::Declared);
                g.fields = fields.into_iter().map(FieldDecl::into_field).collect();
                Some(Box::new(g))
            }
            (FieldType::List, Some(ItemDecl::Kind(k))) => {
                Some(Box::new(Field::new("item", k, FieldOrigin::Declared)))
            }
            (FieldType::List, None) => Some(Box::new(Field::new(
                "item",
                FieldType::Text,
                FieldOrigin::Declared,
            ))),
            _ => None,
        };
        Field {
            min: self.min,
            max: self.max,
            unit: self.unit,
            item,
            fields: self.fields.into_iter().map(FieldDecl::into_field).collect(),
            label: self.label.unwrap_or_else(|| label_from_name(&self.name)),
            required: self.required.unwrap_or(kind != FieldType::Bool),
            help: self.help,
            example: self.example,
            default: self.default,
            group: self.group,
            options: self.options,
            renamed_from: match self.renamed_from {
                None => vec![],
                Some(OneOrMany::One(s)) => vec![s],
                Some(OneOrMany::Many(v)) => v,
            },
            origin: FieldOrigin::Declared,
            uses: 0,
            kind,
            name: self.name,
        }
    }
}

/// `hhs_admin_email` → "HHS admin email"; known abbreviations stay upper-case.
pub fn label_from_name(name: &str) -> String {
    const UPPER: &[&str] = &[
        "hhs", "fqdn", "url", "uri", "dns", "id", "dpo", "gdpr", "ip",
    ];
    let words: Vec<String> = name
        .split(['_', '-'])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            let lw = w.to_ascii_lowercase();
            if UPPER.contains(&lw.as_str()) {
                lw.to_ascii_uppercase()
            } else if i == 0 {
                let mut c = lw.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            } else {
                lw
            }
        })
        .collect();
    if words.is_empty() {
        name.to_owned()
    } else {
        words.join(" ")
    }
}

/// The closest known name to a misspelt one, if close enough to be a likely typo.
pub fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), k))
        .filter(|(d, k)| *d > 0 && *d <= (k.len().max(name.len()) / 4).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_types_from_names() {
        assert_eq!(label_from_name("hhs_admin_email"), "HHS admin email");
        assert_eq!(label_from_name("our_server_fqdn"), "Our server FQDN");
        assert_eq!(FieldType::infer("hhs_admin_email"), FieldType::Email);
        assert_eq!(FieldType::infer("our_server_fqdn"), FieldType::Hostname);
        assert_eq!(FieldType::infer("hhs_server_domain"), FieldType::Hostname);
        assert_eq!(
            FieldType::infer("their_server_name"),
            FieldType::MatrixServerName
        );
        assert_eq!(FieldType::infer("code_of_conduct_uri"), FieldType::Url);
        assert_eq!(FieldType::infer("hhs_entity_name"), FieldType::Text);
    }

    #[test]
    fn suggestions_for_typos() {
        let known = ["their_server_name", "our_server_fqdn", "hhs_name"];
        assert_eq!(
            suggest("their_sever_name", known),
            Some("their_server_name")
        );
        assert_eq!(suggest("completely_else", known), None);
    }
}
