//! Tenant values, the field types, and validation of a value by its type. A leaf: knows nothing
//! of templates, files (`tenant`) or where values land in a document (`render`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The kind of value a field takes; decides the form input and the validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Text over several lines.
    Multiline,
    /// An email address.
    Email,
    /// A DNS host name / FQDN, such as `matrix.acme.org`.
    Hostname,
    /// A Matrix server name, such as `acme.org` or `acme.org:8448`.
    MatrixServerName,
    /// A web address (`https://` or `http://`).
    Url,
    /// `YYYY-MM-DD`.
    Date,
    /// Yes/no.
    Bool,
    /// One of the declared `options`.
    Choice,
    /// An integer or decimal, optionally within `min` and `max`, printed with its `unit` in the form.
    Number,
    /// A list of items, each of the field's `item` (text, or a record with its own fields).
    List,
    /// A record: named sub-fields read as `company.name`.
    Group,
}

/// One field's value as a tenant file holds it: JSON's own shapes, so a jinja2-cli data file
/// reads as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum FieldValue {
    /// A yes/no answer.
    Bool(bool),
    /// A number, integer or decimal, kept as written (`30` and `30.0` print differently).
    Number(#[cfg_attr(feature = "ts", ts(type = "number"))] serde_json::Number),
    /// Text, as typed.
    Text(String),
    /// A list: of text, or of records.
    List(Vec<FieldValue>),
    /// A record of named values (`company.name`).
    Record(
        #[cfg_attr(feature = "ts", ts(type = "{ [key in string]?: FieldValue }"))]
        BTreeMap<String, FieldValue>,
    ),
}

impl FieldValue {
    /// True when there is nothing to print: an empty or whitespace-only text, an empty list, or a
    /// record whose every value is blank.
    pub fn is_blank(&self) -> bool {
        match self {
            FieldValue::Bool(_) | FieldValue::Number(_) => false,
            FieldValue::Text(s) => s.trim().is_empty(),
            FieldValue::List(items) => items.is_empty(),
            FieldValue::Record(r) => r.values().all(FieldValue::is_blank),
        }
    }

    /// The value as text ("true"/"false" for yes/no answers, JSON for lists and records).
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            FieldValue::Bool(b) => std::borrow::Cow::Owned(b.to_string()),
            FieldValue::Number(n) => std::borrow::Cow::Owned(n.to_string()),
            FieldValue::Text(s) => std::borrow::Cow::Borrowed(s),
            other => std::borrow::Cow::Owned(serde_json::to_string(other).unwrap_or_default()),
        }
    }

    /// The value for a template: minijinja's own types, so filters, tests, comparisons and
    /// arithmetic behave as Jinja's do.
    pub fn to_jinja(&self) -> minijinja::Value {
        match self {
            FieldValue::Bool(b) => minijinja::Value::from(*b),
            FieldValue::Number(n) => number_to_jinja(n),
            FieldValue::Text(s) => minijinja::Value::from(s.as_str()),
            FieldValue::List(items) => {
                minijinja::Value::from(items.iter().map(FieldValue::to_jinja).collect::<Vec<_>>())
            }
            FieldValue::Record(r) => {
                minijinja::Value::from_iter(r.iter().map(|(k, v)| (k.clone(), v.to_jinja())))
            }
        }
    }

    /// The same value with every text in it passed through `f` (lists and records included).
    pub fn map_text(&self, f: &impl Fn(&str) -> String) -> FieldValue {
        match self {
            FieldValue::Text(s) => FieldValue::Text(f(s)),
            FieldValue::List(items) => {
                FieldValue::List(items.iter().map(|v| v.map_text(f)).collect())
            }
            FieldValue::Record(r) => {
                FieldValue::Record(r.iter().map(|(k, v)| (k.clone(), v.map_text(f))).collect())
            }
            other => other.clone(),
        }
    }

    /// Every text in the value with where it sits (`""` for the value itself, `[2].name` for
    /// an attribute of the third item), for checks that look at each text a tenant typed.
    pub fn texts(&self) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        self.collect_texts(String::new(), &mut out);
        out
    }

    fn collect_texts<'a>(&'a self, at: String, out: &mut Vec<(String, &'a str)>) {
        match self {
            FieldValue::Text(s) => out.push((at, s)),
            FieldValue::List(items) => {
                for (i, v) in items.iter().enumerate() {
                    v.collect_texts(format!("{at}[{i}]"), out);
                }
            }
            FieldValue::Record(r) => {
                for (k, v) in r {
                    v.collect_texts(format!("{at}.{k}"), out);
                }
            }
            _ => {}
        }
    }

    /// A short name of the value's shape, for messages ("a list", "a number").
    pub fn shape(&self) -> &'static str {
        match self {
            FieldValue::Bool(_) => "a yes/no answer",
            FieldValue::Number(_) => "a number",
            FieldValue::Text(_) => "text",
            FieldValue::List(_) => "a list",
            FieldValue::Record(_) => "a record",
        }
    }
}

/// A JSON number as minijinja's integer or float (an integer too large for i64 stays exact as
/// u64, else becomes a float, as Python's json module would not: such values are rare enough).
fn number_to_jinja(n: &serde_json::Number) -> minijinja::Value {
    if let Some(i) = n.as_i64() {
        minijinja::Value::from(i)
    } else if let Some(u) = n.as_u64() {
        minijinja::Value::from(u)
    } else {
        minijinja::Value::from(n.as_f64().unwrap_or(f64::NAN))
    }
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Text(s.to_owned())
    }
}

impl From<bool> for FieldValue {
    fn from(b: bool) -> Self {
        FieldValue::Bool(b)
    }
}

impl From<i64> for FieldValue {
    fn from(n: i64) -> Self {
        FieldValue::Number(n.into())
    }
}

/// A tenant's answers, by field name. Sorted, so files diff cleanly.
pub type TenantValues = BTreeMap<String, FieldValue>;

/// Why a value does not fit its field type, phrased for the person typing it.
pub fn validate(kind: FieldType, options: &[String], value: &FieldValue) -> Result<(), String> {
    let text = match value {
        FieldValue::Bool(_) if kind == FieldType::Bool => return Ok(()),
        FieldValue::Number(_) if kind == FieldType::Number => return Ok(()),
        FieldValue::Text(s) => s.as_str(),
        other if kind == FieldType::Text && matches!(other, FieldValue::Number(_)) => return Ok(()),
        other => {
            return Err(format!(
                "expected {}, found {}",
                kind.describe(),
                other.shape()
            ));
        }
    };
    if kind != FieldType::Multiline && text.contains(['\n', '\r']) {
        return Err("must be a single line".into());
    }
    let t = text.trim();
    if t != text && kind != FieldType::Multiline && kind != FieldType::Text {
        return Err("has leading or trailing spaces".into());
    }
    match kind {
        FieldType::Text | FieldType::Multiline => Ok(()),
        FieldType::Email => validate_email(t),
        FieldType::Hostname => validate_hostname(t, true),
        FieldType::MatrixServerName => validate_server_name(t),
        FieldType::Url => validate_url(t),
        FieldType::Date => validate_date(t),
        FieldType::Bool => match t {
            "true" | "false" | "yes" | "no" => Ok(()),
            _ => Err("must be yes or no".into()),
        },
        FieldType::Number => parse_number(t).map(|_| ()),
        FieldType::List | FieldType::Group => {
            Err(format!("expected {}, found text", kind.describe()))
        }
        FieldType::Choice => {
            if options.iter().any(|o| o == t) {
                Ok(())
            } else {
                Err(format!("must be one of: {}", options.join(", ")))
            }
        }
    }
}

/// A number as a person types it: `30`, `-2`, `12.5` (a decimal comma is refused: `1,5` is
/// ambiguous between a decimal and a list).
pub fn parse_number(s: &str) -> Result<serde_json::Number, String> {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Ok(i.into());
    }
    t.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite() && !t.contains(['e', 'E', 'i', 'n', 'N']))
        .and_then(serde_json::Number::from_f64)
        .ok_or_else(|| "is not a number (write it with digits, such as 30 or 12.5)".to_owned())
}

/// An email address a `mailto:` link can carry: `local@host.example`.
pub fn validate_email(s: &str) -> Result<(), String> {
    if s.contains(['<', '>']) {
        return Err("has a display name (`Name <address>`): write only the address".into());
    }
    if s.contains('?') {
        return Err("has a query (`?bcc=…`): write only the address".into());
    }
    if s.contains(char::is_whitespace) {
        return Err("holds a space: write only the address".into());
    }
    let parsed: email_address::EmailAddress = s
        .parse()
        .map_err(|e| format!("is not an email address ({e})"))?;
    let domain = parsed.domain();
    validate_hostname(domain, true).map_err(|e| format!("has a bad domain: {domain} {e}"))
}

/// A DNS host name: dot-separated labels of letters, digits and hyphens, no label starting or
/// ending with a hyphen, at most 253 characters. `need_dot` asks for a fully qualified name.
pub fn validate_hostname(s: &str, need_dot: bool) -> Result<(), String> {
    let s = s.strip_suffix('.').unwrap_or(s);
    // Internationalised names are judged by their ASCII (punycode) form, after UTS #46 mapping.
    let ascii;
    let s = if s.is_ascii() || s.contains("://") || s.contains('/') {
        s
    } else {
        ascii = idna::domain_to_ascii_strict(s)
            .map_err(|_| "is not a valid internationalised host name".to_string())?;
        &ascii
    };
    if s.is_empty() {
        return Err("is empty".into());
    }
    if s.len() > 253 {
        return Err("is longer than 253 characters".into());
    }
    if s.contains("://") || s.contains('/') {
        return Err("must be a host name only, without https:// or a path".into());
    }
    for label in s.split('.') {
        if label.is_empty() {
            return Err("has an empty label (two dots in a row?)".into());
        }
        if label.len() > 63 {
            return Err(format!("has a label longer than 63 characters: {label}"));
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!(
                "may hold only letters, digits, hyphens and dots (found {label:?})"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "has a label starting or ending with a hyphen: {label}"
            ));
        }
    }
    if need_dot && !s.contains('.') {
        return Err("must be a fully qualified name such as matrix.example.org".into());
    }
    if s.rsplit('.')
        .next()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("must be a name, not an IP address".into());
    }
    Ok(())
}

/// A Matrix server name (the part after the colon in `@user:example.org`): a host name, an IPv4
/// address or a bracketed IPv6 address, with an optional port.
pub fn validate_server_name(s: &str) -> Result<(), String> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (v6, after) = rest
            .split_once(']')
            .ok_or_else(|| "has an unclosed [ in an IPv6 address".to_string())?;
        v6.parse::<std::net::Ipv6Addr>()
            .map_err(|_| "has an invalid IPv6 address".to_string())?;
        (None, after.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(s), None),
        }
    };
    if let Some(p) = port {
        p.parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("has an invalid port: {p:?}"))?;
    }
    if let Some(h) = host
        && h.parse::<std::net::Ipv4Addr>().is_err()
    {
        validate_hostname(h, false)?;
    }
    Ok(())
}

/// An absolute `https://` or `http://` address.
pub fn validate_url(s: &str) -> Result<(), String> {
    let u = url::Url::parse(s).map_err(|e| format!("is not a web address ({e})"))?;
    if !matches!(u.scheme(), "https" | "http") {
        return Err(format!("must start with https:// (found {}:)", u.scheme()));
    }
    match u.host_str() {
        Some(h) if validate_hostname(h, true).is_ok() || h.parse::<std::net::IpAddr>().is_ok() => {
            Ok(())
        }
        _ => Err("needs a host name such as example.org".into()),
    }
}

/// A calendar date written as `YYYY-MM-DD`.
pub fn validate_date(s: &str) -> Result<(), String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format)
        .map(|_| ())
        .map_err(|_| "must be a date written as YYYY-MM-DD".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(kind: FieldType, s: &str) -> bool {
        validate(kind, &[], &FieldValue::from(s)).is_ok()
    }

    #[test]
    fn hostnames() {
        assert!(ok(FieldType::Hostname, "acme.ems.host"));
        assert!(!ok(FieldType::Hostname, "acme"));
        assert!(!ok(FieldType::Hostname, "https://acme.org"));
        assert!(!ok(FieldType::Hostname, "acme..org"));
        assert!(!ok(FieldType::Hostname, "-acme.org"));
        assert!(!ok(FieldType::Hostname, "acme.org "));
        assert!(!ok(FieldType::Hostname, "10.0.0.1"));
    }

    #[test]
    fn matrix_server_names() {
        assert!(ok(FieldType::MatrixServerName, "acme.org"));
        assert!(ok(FieldType::MatrixServerName, "acme.org:8448"));
        assert!(ok(FieldType::MatrixServerName, "localhost"));
        assert!(ok(FieldType::MatrixServerName, "[::1]:8448"));
        assert!(ok(FieldType::MatrixServerName, "192.168.1.1"));
        assert!(!ok(FieldType::MatrixServerName, "acme.org:0"));
        assert!(!ok(FieldType::MatrixServerName, "@bob:acme.org"));
    }

    #[test]
    fn emails_urls_dates_choices() {
        assert!(ok(FieldType::Email, "dpo@acme.org"));
        assert!(!ok(FieldType::Email, "dpo@acme"));
        assert!(!ok(FieldType::Email, "not an email"));
        assert!(ok(FieldType::Url, "https://acme.org/legal"));
        assert!(!ok(FieldType::Url, "javascript:alert(1)"));
        assert!(ok(FieldType::Date, "2026-11-27"));
        assert!(!ok(FieldType::Date, "27/11/2026"));
        let opts = vec!["enabled".to_string(), "disabled".to_string()];
        assert!(validate(FieldType::Choice, &opts, &"enabled".into()).is_ok());
        assert!(validate(FieldType::Choice, &opts, &"maybe".into()).is_err());
    }

    #[test]
    fn single_line_types_refuse_newlines() {
        assert!(!ok(FieldType::Text, "Acme\n# H"));
        assert!(ok(FieldType::Multiline, "Acme\nCorp"));
    }
}
