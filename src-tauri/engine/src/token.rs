//! Value tokens: the inert stand-ins that carry values through the Markdown parser.
//!
//! A token is U+E000, the slot number in private-use digits (U+E010..U+E019), and U+E001. The
//! parser sees a word it cannot interpret, so a value can never open emphasis, start a heading or
//! close a link; the real text is put in the syntax tree after parsing. Private-use characters are
//! removed from templates and values first, so no input can forge a token.

use std::sync::LazyLock;

use memchr::memmem;

/// First character of a token.
pub const OPEN: char = '\u{E000}';
/// Last character of a token.
pub const CLOSE: char = '\u{E001}';
/// In a render's raw output a token also carries its value's text, after this separator, so that
/// a `{% filter upper %}` block or a filter on a macro's output transforms the value as Jinja
/// would. [`take_value_texts`] moves the texts out before Markdown sees the output.
const TEXT_SEP: char = '\u{E005}';
/// A line mark: U+2028 U+2029, the file and line in digits U+2000–U+2009 separated by U+200A,
/// then U+2029 U+2028. It stands before each newline of template text and says where the next
/// output line starts in the template; it travels with the text through macros and captured
/// blocks, wherever they are printed, and is removed after rendering ([`take_line_marks`]). Its
/// characters are Unicode whitespace, so `trim` and friends treat it as the newline it precedes.
/// Inputs cannot forge one: [`sanitize`] turns U+2028 and U+2029 into spaces.
const MARK_START: &str = "\u{2028}\u{2029}";
const MARK_END: &str = "\u{2029}\u{2028}";
const MARK_DIGIT0: u32 = 0x2000;
const MARK_SEP: char = '\u{200A}';
const DIGIT0: u32 = 0xE010;

/// Pushes the decimal digits of `n` onto `s` as characters counted from `zero` (the character
/// for 0). Called for every template line of every render: no allocation.
fn push_digits(s: &mut String, n: u64, zero: u32) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        if let Some(c) = char::from_u32(zero + u32::from(d)) {
            s.push(c);
        }
    }
}

/// The private-use digits for `n`.
pub fn token_digits(n: usize) -> String {
    let mut s = String::with_capacity(12);
    push_digits(&mut s, n as u64, DIGIT0);
    s
}

/// The whole token for slot hit `n`.
pub fn token(n: usize) -> String {
    let mut s = String::with_capacity(16);
    s.push(OPEN);
    push_digits(&mut s, n as u64, DIGIT0);
    s.push(CLOSE);
    s
}

/// The line mark for a line starting at `line` of `file`, followed by the newline itself.
pub fn line_break(file: u32, line: u32) -> String {
    let mut s = String::with_capacity(40);
    s.push_str(MARK_START);
    push_digits(&mut s, u64::from(file), MARK_DIGIT0);
    s.push(MARK_SEP);
    push_digits(&mut s, u64::from(line), MARK_DIGIT0);
    s.push_str(MARK_END);
    s.push('\n');
    s
}

/// A token that carries its value's text (see [`TEXT_SEP`]).
pub fn value_token(n: usize, text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 16);
    s.push(OPEN);
    push_digits(&mut s, n as u64, DIGIT0);
    s.push(TEXT_SEP);
    s.push_str(text);
    s.push(CLOSE);
    s
}

/// Finders for the token and mark delimiters, built once: `str::find` with a `&str` or a
/// multi-byte `char` builds a searcher per call, and the splitting below searches once per token
/// and per line of every render.
static FIND_OPEN: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(OPEN.to_string().as_bytes()).into_owned());
static FIND_MARK_START: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(MARK_START.as_bytes()).into_owned());

/// Byte offset of the next token start in `s`.
fn find_open(s: &str) -> Option<usize> {
    FIND_OPEN.find(s.as_bytes())
}

/// The values carried in a render's raw output, in order of appearance: each token's number
/// and its text as the template left it (a filter may have transformed it). The output gets
/// plain tokens numbered by appearance (`0, 1, 2…`), so a value printed twice is two hits.
pub fn take_value_texts(s: &str) -> (String, Vec<(usize, String)>) {
    let mut out = String::with_capacity(s.len());
    let mut found = Vec::new();
    let mut rest = s;
    while let Some(at) = find_open(rest) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len_utf8()..];
        let digits_end = after
            .char_indices()
            .find(|(_, c)| (*c as u32).wrapping_sub(DIGIT0) > 9)
            .map_or(after.len(), |(i, _)| i);
        let index = after[..digits_end].chars().fold(0usize, |n, c| {
            n.saturating_mul(10)
                .saturating_add((c as u32 - DIGIT0) as usize)
        });
        let tail = &after[digits_end..];
        let closed = tail
            .strip_prefix(TEXT_SEP)
            .and_then(|t| t.find(CLOSE).map(|e| (&t[..e], &t[e + CLOSE.len_utf8()..])));
        match closed {
            Some((text, next)) if digits_end > 0 => {
                out.push_str(&token(found.len()));
                found.push((index, text.to_owned()));
                rest = next;
            }
            // A filter cut the token apart: what is left of it goes, never forged text.
            _ => rest = tail.trim_start_matches(is_reserved),
        }
    }
    out.push_str(rest);
    (out, found)
}

/// Whether a string printed by a placeholder holds template output: a value token or a line
/// mark, which only the instrumentation writes (inputs are sanitized).
pub fn holds_template_output(s: &str) -> bool {
    s.contains(OPEN) || s.contains(MARK_START)
}

/// A raw output string as Jinja would have printed it: each token replaced by the text it
/// carries, line marks removed.
pub fn visible_text(s: &str) -> String {
    let (plain, texts) = take_value_texts(s);
    let (plain, _) = take_line_marks(&plain, (0, 1));
    replace_tokens(&plain, |i| {
        texts.get(i).map(|t| t.1.clone()).unwrap_or_default()
    })
}

/// Trims `strip` characters from both ends of template output, into the texts of the tokens at
/// its edges: a token whose text is all trimmed stays, empty, and trimming goes on past it. (Line
/// marks go with the newline they stand before.)
pub fn trim_output(s: &str, strip: &impl Fn(char) -> bool) -> String {
    enum Piece {
        Plain(String),
        Token { head: String, text: String },
    }
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(at) = find_open(rest) {
        let closed = rest[at..].find(TEXT_SEP).and_then(|sep| {
            let sep = at + sep;
            rest[sep..].find(CLOSE).map(|c| (sep, sep + c))
        });
        let Some((sep, close)) = closed else { break };
        pieces.push(Piece::Plain(rest[..at].to_owned()));
        pieces.push(Piece::Token {
            head: rest[at..sep + TEXT_SEP.len_utf8()].to_owned(),
            text: rest[sep + TEXT_SEP.len_utf8()..close].to_owned(),
        });
        rest = &rest[close + CLOSE.len_utf8()..];
    }
    pieces.push(Piece::Plain(rest.to_owned()));
    let marks_go = strip('\n');
    let plain_strip = |c: char| strip(c) || (marks_go && is_mark_char(c));
    for piece in pieces.iter_mut() {
        let done = match piece {
            Piece::Plain(t) => {
                *t = t.trim_start_matches(plain_strip).to_owned();
                !t.is_empty()
            }
            Piece::Token { text, .. } => {
                *text = text.trim_start_matches(strip).to_owned();
                !text.is_empty()
            }
        };
        if done {
            break;
        }
    }
    for piece in pieces.iter_mut().rev() {
        let done = match piece {
            Piece::Plain(t) => {
                *t = t.trim_end_matches(plain_strip).to_owned();
                !t.is_empty()
            }
            Piece::Token { text, .. } => {
                *text = text.trim_end_matches(strip).to_owned();
                !text.is_empty()
            }
        };
        if done {
            break;
        }
    }
    let mut out = String::with_capacity(s.len());
    for piece in pieces {
        match piece {
            Piece::Plain(t) => out.push_str(&t),
            Piece::Token { head, text } => {
                out.push_str(&head);
                out.push_str(&text);
                out.push(CLOSE);
            }
        }
    }
    out
}

/// The characters line marks are made of.
fn is_mark_char(c: char) -> bool {
    ('\u{2000}'..='\u{200A}').contains(&c) || c == '\u{2028}' || c == '\u{2029}'
}

/// A piece of a string that holds template output.
pub enum Part<'a> {
    /// A value token (with its text) or a line mark: passes through.
    Output(&'a str),
    /// Anything else.
    Text(&'a str),
}

/// Splits a string into the value tokens and line marks in it, and the text between them.
pub fn split_template_output(s: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        let tok = find_open(rest);
        let mark = FIND_MARK_START.find(rest.as_bytes());
        let (at, end) = match (tok, mark) {
            (Some(t), m) if m.is_none_or(|m| t < m) => {
                let close = rest[t..]
                    .find(CLOSE)
                    .map_or(rest.len(), |c| t + c + CLOSE.len_utf8());
                (t, close)
            }
            (_, Some(m)) => {
                let body = m + MARK_START.len();
                let close = rest[body..]
                    .find(MARK_END)
                    .map_or(rest.len(), |c| body + c + MARK_END.len());
                (m, close)
            }
            _ => {
                if !rest.is_empty() {
                    parts.push(Part::Text(rest));
                }
                return parts;
            }
        };
        if at > 0 {
            parts.push(Part::Text(&rest[..at]));
        }
        parts.push(Part::Output(&rest[at..end]));
        rest = &rest[end..];
    }
}

/// The token numbers in a raw output string (tokens with their texts), in order.
pub fn value_token_indices(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(at) = find_open(rest) {
        let after = &rest[at + OPEN.len_utf8()..];
        let mut n = 0usize;
        let mut len = 0;
        for c in after.chars() {
            let d = (c as u32).wrapping_sub(DIGIT0);
            if d > 9 {
                break;
            }
            n = n.saturating_mul(10).saturating_add(d as usize);
            len += c.len_utf8();
        }
        if len > 0 {
            out.push(n);
        }
        rest = &after[len..];
    }
    out
}

/// Removes the line marks from a render's output. Returns the text and, for each output line,
/// the (file, line) it starts at: a line's mark where there is one, else the line after the
/// previous line's start (text a filter re-wrapped).
pub fn take_line_marks(s: &str, start: (u32, u32)) -> (String, Vec<(u32, u32)>) {
    let mut lines = vec![start];
    let mut out = String::with_capacity(s.len());
    let mut mark: Option<(u32, u32)> = None;
    // Offsets into `s`. The next mark is looked for once per mark, not once per line: lines
    // without one (text a filter re-wrapped, long paragraphs) would each search to the next.
    let find_mark = |from: usize| {
        FIND_MARK_START
            .find(&s.as_bytes()[from..])
            .map(|m| from + m)
    };
    let mut at = 0;
    let mut next_mark = find_mark(0);
    loop {
        let next_nl = s[at..].find('\n').map(|n| at + n);
        match (next_mark, next_nl) {
            (Some(m), nl) if nl.is_none_or(|nl| m < nl) => {
                out.push_str(&s[at..m]);
                let body_start = m + MARK_START.len();
                let body = &s[body_start..];
                let end = body.find(MARK_END).unwrap_or(body.len());
                let mut nums = [0u32; 2];
                let mut k = 0;
                for c in body[..end].chars() {
                    if c == MARK_SEP {
                        k = 1;
                    } else {
                        let v = (c as u32).wrapping_sub(MARK_DIGIT0);
                        if v <= 9 {
                            nums[k] = nums[k].saturating_mul(10).saturating_add(v);
                        }
                    }
                }
                mark = Some((nums[0], nums[1]));
                at = (body_start + end + MARK_END.len()).min(s.len());
                next_mark = find_mark(at);
            }
            (_, Some(nl)) => {
                out.push_str(&s[at..=nl]);
                let prev = lines.last().copied().unwrap_or(start);
                lines.push(mark.take().unwrap_or((prev.0, prev.1 + 1)));
                at = nl + 1;
            }
            (_, None) => {
                out.push_str(&s[at..]);
                break;
            }
        }
    }
    (out, lines)
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
    let separator = |c: char| c == '\u{2028}' || c == '\u{2029}';
    if !s
        .chars()
        .any(|c| is_reserved(c) || separator(c) || (c.is_control() && c != '\n' && c != '\t'))
    {
        return s;
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if separator(c) {
                    // Unicode's line and paragraph separators would forge a line mark.
                    ' '
                } else if is_reserved(c) || (c.is_control() && c != '\n' && c != '\t') {
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
    /// Byte offset of the token's first character.
    pub start: usize,
    /// Byte offset just after its last character.
    pub end: usize,
    /// The slot number it carries.
    pub index: usize,
}

/// Finds all tokens in `s`, in order.
pub fn find_tokens(s: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(rel) = find_open(&s[search..]) {
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
    fn line_marks_come_out_with_their_lines() {
        let s = format!("a{}b{}\nc", line_break(0, 7), line_break(2, 3));
        let (text, lines) = take_line_marks(&s, (0, 6));
        assert_eq!(text, "a\nb\n\nc");
        assert_eq!(lines, vec![(0, 6), (0, 7), (2, 3), (2, 4)]);
    }

    #[test]
    fn values_travel_with_their_tokens() {
        let raw = format!(
            "a{}b{}c{}",
            value_token(3, "X"),
            value_token(1, ""),
            value_token(3, "Y")
        );
        let (out, found) = take_value_texts(&raw);
        assert_eq!(out, format!("a{}b{}c{}", token(0), token(1), token(2)));
        assert_eq!(
            found,
            vec![(3, "X".into()), (1, String::new()), (3, "Y".into())]
        );
        assert_eq!(value_token_indices(&raw), vec![3, 1, 3]);
        // A token a filter cut apart leaves nothing behind.
        let cut = &value_token(2, "abc")[..6];
        assert_eq!(take_value_texts(cut).0, "");
    }

    #[test]
    fn sanitize_removes_forged_tokens() {
        let forged = token(0);
        assert!(find_tokens(&sanitize(&forged)).is_empty());
        assert_eq!(sanitize("plain"), "plain");
        assert_eq!(sanitize("a\r\nb\rc\u{7}"), "a\nb\nc\u{FFFD}");
        assert_eq!(sanitize("a\u{2028}b"), "a b");
    }
}
