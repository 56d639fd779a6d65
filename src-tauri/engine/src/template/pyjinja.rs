//! Where Python's Jinja2 prints something other than minijinja's core, the engine follows
//! Jinja2, the reference for what a template prints: `round` (Python rounds halves to even),
//! `title` (a word starts only after whitespace or `-([{<`), `center`, and how a float prints
//! (`1e+20`, `1e-05`). The rest of Jinja2's Python side comes from minijinja-contrib.

use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind};

use crate::token;

/// Adds the Jinja2-compatible filters and methods to `env`.
pub(crate) fn add_to(env: &mut Environment<'static>) {
    minijinja_contrib::add_to_environment(env);
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.add_filter("round", round);
    env.add_filter("title", title);
    env.add_filter("center", center);
    env.add_filter("length", length);
    env.add_filter("count", length);
    env.add_filter("trim", trim);
    env.add_filter("reverse", reverse);
}

/// `trim` that sees through tokens: a value's own spaces at either end of template output are
/// trimmed too, as Jinja trims the text it printed. The output keeps its structure.
fn trim(v: Value, chars: Option<String>) -> Result<Value, Error> {
    let Some(s) = v.as_str() else {
        return Ok(v);
    };
    let strip = |c: char| match &chars {
        Some(set) => set.contains(c),
        None => c.is_whitespace(),
    };
    let out = if crate::token::holds_template_output(s) {
        crate::token::trim_output(s, &strip)
    } else {
        s.trim_matches(strip).to_owned()
    };
    Ok(if v.is_safe() {
        Value::from_safe_string(out)
    } else {
        Value::from(out)
    })
}

/// `reverse` of template output reverses the text Jinja would have printed; the result is
/// plain text (a value), since reversed Markdown has no structure to keep.
fn reverse(v: Value) -> Result<Value, Error> {
    if let Some(s) = v.as_str()
        && crate::token::holds_template_output(s)
    {
        return Ok(Value::from(
            crate::token::visible_text(s)
                .chars()
                .rev()
                .collect::<String>(),
        ));
    }
    minijinja::filters::reverse(&v)
}

/// `length` of template output counts what Jinja would see: each value's text, not the token
/// that carries it, and no line marks.
fn length(v: Value) -> Result<Value, Error> {
    if let Some(s) = v.as_str()
        && crate::token::holds_template_output(s)
    {
        return Ok(Value::from(crate::token::visible_text(s).chars().count()));
    }
    // Jinja2's undefined is an empty sequence: a list nobody filled in has length 0.
    if v.is_undefined() {
        return Ok(Value::from(0));
    }
    v.len().map(Value::from).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("cannot calculate length of value of type {}", v.kind()),
        )
    })
}

/// Jinja2's `round(value, precision=0, method='common')`: a float, halves to even as Python's
/// `round` does for `common`.
fn round(value: Value, precision: Option<i32>, method: Option<String>) -> Result<Value, Error> {
    let x = f64::try_from(value.clone())
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, "round needs a number"))?;
    let p = precision.unwrap_or(0).clamp(-15, 15);
    let scale = 10f64.powi(p);
    let scaled = x * scale;
    let r = match method.as_deref().unwrap_or("common") {
        "common" => scaled.round_ties_even(),
        "ceil" => scaled.ceil(),
        "floor" => scaled.floor(),
        other => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("round: method must be common, ceil or floor, not {other:?}"),
            ));
        }
    };
    Ok(Value::from(r / scale))
}

/// Jinja2's `title`: each word's first letter upper-case and the rest lower-case, where a word
/// starts after whitespace or one of `-([{<`.
fn title(s: String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if c.is_whitespace() || matches!(c, '-' | '(' | '{' | '[' | '<') {
            out.push(c);
            start = true;
        } else if start {
            out.extend(c.to_uppercase());
            start = false;
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Python's `str.center(width)`: the extra space goes right when it is odd and the text's
/// length even, left otherwise (CPython's rule).
fn center(s: String, width: Option<usize>) -> String {
    let width = width.unwrap_or(80);
    let len = s.chars().count();
    if width <= len {
        return s;
    }
    let pad = width - len;
    let left = pad / 2 + (pad & width & 1);
    format!("{}{s}{}", " ".repeat(left), " ".repeat(pad - left))
}

/// A float as Python's `str()` writes it: the shortest digits that read back the same, in
/// positional notation with at least one decimal for exponents from -4 to 15, else as
/// `1.5e+20` / `1e-05`.
pub(crate) fn python_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // `{:e}` gives the shortest round-trip digits: "1.5e20", "-1e-5".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..16).contains(&exp) {
        let s = format!("{f}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    }
}

/// A value as printed text, as Python's Jinja2 prints it. Undefined and none print nothing and
/// count as unfilled; yes/no answers print `True`/`False`; a list or a record prints as Python
/// writes it (`['a', 'b']`); everything is sanitized so it cannot forge a token.
pub(super) fn value_text(v: &Value) -> Option<String> {
    if v.is_undefined() || v.is_none() {
        return None;
    }
    Some(token::sanitize(&python_repr(v, true)).into_owned())
}

/// Python's `str()` of a value (`repr()` inside lists and dicts).
fn python_repr(v: &Value, top: bool) -> String {
    match v.kind() {
        ValueKind::Bool => if v.is_true() { "True" } else { "False" }.to_owned(),
        ValueKind::None | ValueKind::Undefined => "None".to_owned(),
        ValueKind::String if top => v.to_string(),
        ValueKind::String => python_str_repr(&v.to_string()),
        ValueKind::Number if !v.is_integer() => match f64::try_from(v.clone()) {
            Ok(f) => super::pyjinja::python_float(f),
            Err(_) => v.to_string(),
        },
        ValueKind::Seq => {
            let items: Vec<String> = v
                .try_iter()
                .map(|it| it.map(|x| python_repr(&x, false)).collect())
                .unwrap_or_default();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Map => {
            let items: Vec<String> = v
                .try_iter()
                .map(|it| {
                    it.map(|k| {
                        let val = v.get_item(&k).unwrap_or(Value::UNDEFINED);
                        format!("{}: {}", python_repr(&k, false), python_repr(&val, false))
                    })
                    .collect()
                })
                .unwrap_or_default();
            format!("{{{}}}", items.join(", "))
        }
        _ => v.to_string(),
    }
}

/// Python's `repr()` of a string: single quotes unless the text has a single quote and no
/// double one, with backslash escapes.
fn python_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Jinja2's (markupsafe's) HTML escaping, as plain text: `& < > " '`.
pub(super) fn escape_html(v: Value) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_python_does() {
        assert_eq!(
            title("o'brien snake_case-x (a)".into()),
            "O'brien Snake_case-X (A)"
        );
        assert_eq!(center("ab".into(), Some(7)), "   ab  ");
        assert_eq!(center("abc".into(), Some(6)), " abc  ");
        assert_eq!(python_float(1e20), "1e+20");
        assert_eq!(python_float(0.00001), "1e-05");
        assert_eq!(python_float(1.5e-7), "1.5e-07");
        assert_eq!(python_float(30.0), "30.0");
        assert_eq!(python_float(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(python_float(1e15), "1000000000000000.0");
        assert_eq!(python_float(1e16), "1e+16");
        let r = |x: f64, p| round(Value::from(x), Some(p), None).unwrap().to_string();
        assert_eq!(r(2.5, 0), "2.0");
        assert_eq!(r(0.125, 2), "0.12");
        assert_eq!(r(3.5, 0), "4.0");
    }
}
