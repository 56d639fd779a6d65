//! A lexer for Jinja expressions, just deep enough to see how a template uses each name: which
//! names are read, their attributes (`company.name`), what they are compared with, concatenated
//! with or filtered by. It never evaluates anything; minijinja does that.

/// One lexical token of an expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A name: a variable, attribute, filter, test or keyword (`and`, `in`, `is`, `not`).
    Name(String),
    /// A string literal.
    Str,
    /// A number literal.
    Num,
    /// An operator or punctuation (`==`, `~`, `|`, `.`, `(`).
    Op(&'static str),
}

const OPS: &[&str] = &[
    "**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "<", ">", "~", "|", ".", ",", ":",
    "(", ")", "[", "]", "{", "}", "=",
];

/// The tokens of `src`; characters that belong to no token are skipped.
pub(crate) fn lex(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'"' || c == b'\'' {
            i += 1;
            while i < b.len() && b[i] != c {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(Tok::Str);
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                // `1.` followed by a name is a number and an attribute, not a decimal.
                if b[i] == b'.' && !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    break;
                }
                i += 1;
            }
            out.push(Tok::Num);
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Tok::Name(src[start..i].to_owned()));
        } else if let Some(op) = OPS.iter().find(|op| src[i..].starts_with(**op)) {
            i += op.len();
            out.push(Tok::Op(op));
        } else {
            // Non-ASCII or unknown: skip the whole character.
            i += src[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// Words that are operators or literals, never variables.
pub(crate) fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "and"
            | "or"
            | "not"
            | "in"
            | "is"
            | "if"
            | "else"
            | "true"
            | "false"
            | "none"
            | "True"
            | "False"
            | "None"
            | "recursive"
    )
}

/// A name path as written at token `i`: `p`, `p.name`, `p["name"]` (the string's text is not
/// kept, so only dotted attributes are returned). Returns the root, the attributes and the index
/// just past the path. `None` when token `i` is not the start of a variable reference.
pub(crate) fn path_at(toks: &[Tok], i: usize) -> Option<(&str, Vec<&str>, usize)> {
    let Tok::Name(root) = toks.get(i)? else {
        return None;
    };
    if is_keyword(root) {
        return None;
    }
    // After `.` it is an attribute, after `|` a filter, after `is` a test: not a variable.
    if let Some(prev) = i.checked_sub(1).and_then(|p| toks.get(p))
        && matches!(prev, Tok::Op(".") | Tok::Op("|") | Tok::Name(_))
        && !matches!(prev, Tok::Name(n) if is_keyword(n) && n != "is")
    {
        return None;
    }
    // A keyword argument's name (`f(x=1)`), not a variable.
    if matches!(toks.get(i + 1), Some(Tok::Op("="))) {
        return None;
    }
    let mut attrs = Vec::new();
    let mut j = i + 1;
    while let (Some(Tok::Op(".")), Some(Tok::Name(a))) = (toks.get(j), toks.get(j + 1)) {
        // `x.upper()` is a method, not an attribute.
        if matches!(toks.get(j + 2), Some(Tok::Op("("))) {
            break;
        }
        attrs.push(a.as_str());
        j += 2;
    }
    Some((root, attrs, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_operators() {
        let t = lex(r#"p.name ~ "x" | upper if company.size > 10.5 else f(a=b)"#);
        assert_eq!(
            path_at(&t, 0).map(|p| (p.0, p.1)),
            Some(("p", vec!["name"]))
        );
        assert!(t.contains(&Tok::Op("~")));
        assert!(t.contains(&Tok::Num));
        // `upper` is a filter, `a` a keyword argument: neither is a variable.
        let vars: Vec<&str> = (0..t.len())
            .filter_map(|i| path_at(&t, i))
            .map(|p| p.0)
            .collect();
        assert_eq!(vars, vec!["p", "company", "f", "b"]);
    }
}
