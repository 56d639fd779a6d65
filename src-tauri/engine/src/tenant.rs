//! Tenant files: one tenant's answers as JSON. Reads the Notice Studio format
//! (`{"format": 2, "tenant": …, "values": {…}}`, and format 1, which held only text and yes/no)
//! and the flat jinja2-cli data-file convention (nested objects, arrays, numbers); writes
//! atomically. Reports missing and unknown fields against a template instead of failing.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::atomic::write_atomic;
use crate::error::{EngineError, read_text};
use crate::template::NoticeTemplate;
use crate::values::{FieldValue, TenantValues};

/// The format number this version writes: 2 carries numbers, lists and records.
pub const FORMAT: u32 = 2;
/// The oldest format this version reads.
pub const OLDEST_FORMAT: u32 = 1;
/// Largest tenant file accepted.
pub const MAX_TENANT_BYTES: u64 = 4 * 1024 * 1024;

/// A tenant's id: its file name without `.json`. Exports, the history and approvals name a
/// tenant by it, in a workspace or not.
pub fn tenant_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A tenant and its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TenantFile {
    /// The tenant file format (1 or 2).
    pub format: u32,
    /// The tenant's display name.
    pub tenant: String,
    /// The answers, by field name.
    pub values: TenantValues,
}

/// How a tenant file matches a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TenantReport {
    /// Required fields with no value (and no default).
    pub missing: Vec<String>,
    /// Values for fields the template does not know.
    pub unknown: Vec<String>,
    /// Values that were converted or dropped on the way in (a `null`), with why.
    pub converted: Vec<String>,
    /// The file was a flat jinja2-cli data file.
    pub legacy_format: bool,
    /// Keys written twice, each saying which value wins ("`values.a` appears on lines 4 and 9;
    /// the value on line 9 is used").
    #[serde(default)]
    pub duplicates: Vec<String>,
}

impl TenantFile {
    /// An empty tenant.
    pub fn new(tenant: impl Into<String>) -> Self {
        TenantFile {
            format: FORMAT,
            tenant: tenant.into(),
            values: TenantValues::new(),
        }
    }

    /// A tenant with every field of `template`: defaults where declared, else empty.
    pub fn skeleton(template: &NoticeTemplate, tenant: impl Into<String>) -> Self {
        let mut t = TenantFile::new(tenant);
        for f in &template.fields {
            let v = match (f.kind, &f.default) {
                (crate::FieldType::Bool, _) => FieldValue::Bool(false),
                (crate::FieldType::List, _) => FieldValue::List(vec![]),
                (crate::FieldType::Group, _) => FieldValue::Record(
                    f.fields
                        .iter()
                        .map(|s| (s.name.clone(), FieldValue::Text(String::new())))
                        .collect(),
                ),
                (crate::FieldType::Number, Some(d)) => crate::values::parse_number(d)
                    .map_or_else(|_| FieldValue::Text(String::new()), FieldValue::Number),
                (_, Some(d)) if !d.contains("{{") => FieldValue::Text(d.clone()),
                _ => FieldValue::Text(String::new()),
            };
            t.values.insert(f.name.clone(), v);
        }
        t
    }

    /// Reads a tenant file. Returns the tenant and what was converted on the way in.
    pub fn load(path: &Path) -> Result<(Self, TenantReport), EngineError> {
        let text = read_text(path, MAX_TENANT_BYTES)?;
        Self::parse(&text, path)
    }

    /// Parses tenant JSON; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<(Self, TenantReport), EngineError> {
        // Windows Notepad starts UTF-8 files with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| EngineError::json(path, &e))?;
        let duplicates: Vec<String> = crate::json_keys::duplicate_keys(text)
            .into_iter()
            .map(|d| {
                let lines: Vec<String> = d.lines.iter().map(u32::to_string).collect();
                format!(
                    "`{}` appears on lines {}; the value on line {} is used",
                    d.path,
                    lines.join(" and "),
                    d.lines.last().copied().unwrap_or(0)
                )
            })
            .collect();
        let shape = |message: &str| EngineError::TenantShape {
            path: path.to_owned(),
            message: message.to_owned(),
        };
        let serde_json::Value::Object(obj) = json else {
            return Err(shape("expected a JSON object of field values"));
        };
        let mut report = TenantReport {
            duplicates,
            ..TenantReport::default()
        };
        let (tenant, raw_values) = if obj.contains_key("format") && obj.contains_key("values") {
            let format = obj
                .get("format")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0);
            if !(u64::from(OLDEST_FORMAT)..=u64::from(FORMAT)).contains(&format) {
                return Err(shape(&format!(
                    "format {format} is not supported (this version reads formats {OLDEST_FORMAT} to {FORMAT})"
                )));
            }
            let tenant = obj
                .get("tenant")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let Some(serde_json::Value::Object(values)) = obj.get("values") else {
                return Err(shape("\"values\" must be an object of field values"));
            };
            (tenant, values.clone())
        } else {
            report.legacy_format = true;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (stem, obj)
        };
        let mut values = TenantValues::new();
        for (k, v) in raw_values {
            if let Some(v) = from_json(&k, v, &mut report.converted) {
                values.insert(k, v);
            }
        }
        Ok((
            TenantFile {
                format: FORMAT,
                tenant,
                values,
            },
            report,
        ))
    }

    /// Missing and unknown fields against `template`.
    pub fn report_against(
        &self,
        template: &NoticeTemplate,
        mut report: TenantReport,
    ) -> TenantReport {
        report.missing = template
            .fields
            .iter()
            .filter(|f| f.required && f.default.is_none())
            .filter(|f| self.values.get(&f.name).is_none_or(FieldValue::is_blank))
            .map(|f| f.name.clone())
            .collect();
        report.unknown = self
            .values
            .keys()
            .filter(|k| !template.reads(k))
            .cloned()
            .collect();
        report
    }

    /// The file's JSON text (pretty, sorted, with a trailing newline: diffs stay small).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Saves atomically.
    pub fn save(&self, path: &Path) -> Result<(), EngineError> {
        write_atomic(path, self.to_json().as_bytes())
    }
}

/// A JSON value as a field value. `null` means "no value" (the key is left out, and so is a
/// `null` inside a list), noted in `converted` so nothing disappears unsaid.
fn from_json(at: &str, v: serde_json::Value, converted: &mut Vec<String>) -> Option<FieldValue> {
    use serde_json::Value as J;
    Some(match v {
        J::String(s) => FieldValue::Text(s),
        J::Bool(b) => FieldValue::Bool(b),
        J::Number(n) => FieldValue::Number(n),
        J::Null => {
            converted.push(format!("{at}: null means no value and was left out"));
            return None;
        }
        J::Array(items) => FieldValue::List(
            items
                .into_iter()
                .enumerate()
                .filter_map(|(i, v)| from_json(&format!("{at}[{i}]"), v, converted))
                .collect(),
        ),
        J::Object(map) => FieldValue::Record(
            map.into_iter()
                .filter_map(|(k, v)| {
                    let here = format!("{at}.{k}");
                    from_json(&here, v, converted).map(|v| (k, v))
                })
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_formats() {
        let p = Path::new("acme.json");
        let (t, r) = TenantFile::parse(
            r#"{"format":1,"tenant":"Acme","values":{"a":"x","b":true}}"#,
            p,
        )
        .unwrap();
        assert_eq!(t.tenant, "Acme");
        assert_eq!(t.values["b"], FieldValue::Bool(true));
        assert!(!r.legacy_format);
        let (t, r) = TenantFile::parse(r#"{"policy_homeserver":"Matrix.org","n":3}"#, p).unwrap();
        assert!(r.legacy_format);
        assert_eq!(t.tenant, "acme");
        assert_eq!(t.values["n"], FieldValue::from(3));
    }

    #[test]
    fn reads_nested_jinja2_cli_data() {
        let (t, r) = TenantFile::parse(
            r#"{"company":{"name":"Acme","size":null},"subprocessors":[{"name":"AWS"},"x",null],"days":30.5}"#,
            Path::new("acme.json"),
        )
        .unwrap();
        let FieldValue::Record(company) = &t.values["company"] else {
            panic!("a record")
        };
        assert_eq!(company["name"], FieldValue::from("Acme"));
        let FieldValue::List(items) = &t.values["subprocessors"] else {
            panic!("a list")
        };
        assert_eq!(items.len(), 2);
        assert_eq!(t.values["days"].as_text(), "30.5");
        assert_eq!(r.converted.len(), 2, "{:?}", r.converted);
        // Written back as format 2, read back the same.
        let again = TenantFile::parse(&t.to_json(), Path::new("acme.json"))
            .unwrap()
            .0;
        assert_eq!(again.values, t.values);
        assert_eq!(again.format, FORMAT);
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let e =
            TenantFile::parse("{\n  \"a\": \"x\",\n  oops\n}", Path::new("t.json")).unwrap_err();
        assert_eq!(e.kind(), "json");
        assert_eq!(e.line(), Some(3));
        assert!(e.to_string().starts_with("t.json:3:"));
    }

    #[test]
    fn a_byte_order_mark_loads_and_duplicates_are_reported() {
        let (t, r) = TenantFile::parse(
            "\u{feff}{\"format\":1,\"tenant\":\"A\",\"values\":{\n\"a\":\"x\",\n\"a\":\"y\"}}",
            Path::new("t.json"),
        )
        .unwrap();
        assert_eq!(t.values["a"], FieldValue::Text("y".into()));
        assert_eq!(r.duplicates.len(), 1, "{r:?}");
        assert!(r.duplicates[0].contains("line 3 is used"), "{r:?}");
    }

    #[test]
    fn save_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.json");
        let mut t = TenantFile::new("Acme");
        t.values.insert("hhs_name".into(), "acme".into());
        t.save(&p).unwrap();
        assert_eq!(TenantFile::load(&p).unwrap().0, t);
    }
}
