//! Value tokens: the inert stand-ins that carry values through the Markdown parser.
//!
//! A token is U+E000, the slot number in private-use digits (U+E010..U+E019), and U+E001. The
//! parser sees a word it cannot interpret, so a value can never open emphasis, start a heading or
//! close a link; the real text is put in the syntax tree after parsing. Private-use characters are
//! removed from templates and values first, so no input can forge a token.

/// First character of a token.
pub const OPEN: char = '\u{E000}';
/// Last character of a token.
pub const CLOSE: char = '\u{E001}';
const DIGIT0: u32 = 0xE010;

/// The private-use digits for `n`.
pub fn token_digits(n: usize) -> String {
    n.to_string()
        .chars()
        .filter_map(|d| d.to_digit(10).and_then(|d| char::from_u32(DIGIT0 + d)))
        .collect()
}

/// The whole token for slot hit `n`.
pub fn token(n: usize) -> String {
    let mut s = String::with_capacity(12);
    s.push(OPEN);
    s.push_str(&token_digits(n));
    s.push(CLOSE);
    s
}

/// True for the characters reserved for tokens.
pub fn is_reserved(c: char) -> bool {
    ('\u{E000}'..='\u{E0FF}').contains(&c)
}

/// Line endings as `\n`: `\r\n` (Windows) and a lone `\r` (old Mac) are line breaks in every
/// editor, and every position the engine reports counts lines at `\n`.
pub fn normalize_line_endings(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\r') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Normalises line endings, then replaces reserved characters (and control characters other
/// than tab and newline) with U+FFFD, so input can never forge a token or smuggle invisible
/// control codes into a document.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    let s = normalize_line_endings(s);
    if !s
        .chars()
        .any(|c| is_reserved(c) || (c.is_control() && c != '\n' && c != '\t'))
    {
        return s;
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if is_reserved(c) || (c.is_control() && c != '\n' && c != '\t') {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// One token found in a string: its byte range and number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub index: usize,
}

/// Finds all tokens in `s`, in order.
pub fn find_tokens(s: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(rel) = s[search..].find(OPEN) {
        let start = search + rel;
        let mut index = 0usize;
        let mut end = None;
        for (i, c) in s[start + OPEN.len_utf8()..].char_indices() {
            if c == CLOSE {
                end = Some(start + OPEN.len_utf8() + i + CLOSE.len_utf8());
                break;
            }
            let d = (c as u32).wrapping_sub(DIGIT0);
            if d > 9 {
                break;
            }
            index = index.saturating_mul(10).saturating_add(d as usize);
        }
        match end {
            Some(end) => {
                found.push(Found { start, end, index });
                search = end;
            }
            None => search = start + OPEN.len_utf8(),
        }
    }
    found
}

/// Replaces every token in `s` with `f(index)`.
pub fn replace_tokens(s: &str, mut f: impl FnMut(usize) -> String) -> String {
    let found = find_tokens(s);
    if found.is_empty() {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for t in found {
        out.push_str(&s[last..t.start]);
        out.push_str(&f(t.index));
        last = t.end;
    }
    out.push_str(&s[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        let s = format!("a{}b{}c", token(7), token(123));
        let f = find_tokens(&s);
        assert_eq!(f.iter().map(|t| t.index).collect::<Vec<_>>(), vec![7, 123]);
        assert_eq!(replace_tokens(&s, |i| format!("<{i}>")), "a<7>b<123>c");
    }

    #[test]
    fn sanitize_removes_forged_tokens() {
        let forged = token(0);
        assert!(find_tokens(&sanitize(&forged)).is_empty());
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\r\nb\rc\u{7}"), "a\nb\nc\u{FFFD}");
    }
}
