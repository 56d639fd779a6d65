//! Invisible and bidirectional control characters in values (U+202A–U+202E, U+2066–U+2069,
//! U+200B–U+200D, U+2060, U+FEFF, U+00AD): they can make a legal text read differently from what
//! it says ("Trojan Source"). Works on one `&str`; the caller names the field.

/// What an invisible or bidirectional character is, if `c` is one.
pub fn describe(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "zero-width no-break space (byte-order mark)",
        '\u{00AD}' => "soft hyphen",
        _ => return None,
    })
}

/// The first invisible or bidirectional character in `s`: its character index, the character
/// and what it is.
pub fn find(s: &str) -> Option<(usize, char, &'static str)> {
    s.chars()
        .enumerate()
        .find_map(|(i, c)| describe(c).map(|d| (i, c, d)))
}

/// Why `s` may not be used as a value, if it holds such a character.
pub fn check(s: &str) -> Result<(), String> {
    match find(s) {
        None => Ok(()),
        Some((i, c, what)) => Err(format!(
            "holds an invisible character at position {}: U+{:04X} ({what}), which can make the text read differently from what it says",
            i + 1,
            c as u32
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn trojan_source() {
        assert!(super::check("Acme \u{202e}evil\u{202c} Corp").is_err());
        assert!(super::check("Acme\u{200b}Corp").is_err());
        assert!(super::check("Ac\u{00ad}me").is_err());
        assert!(super::check("Acmé Corp — ünïcode").is_ok());
    }
}
