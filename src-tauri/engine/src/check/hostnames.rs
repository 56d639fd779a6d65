//! Host names under IDNA (UTS #46): labels that mix scripts (`аcme` with a Cyrillic а) or are
//! written wholly in letters that imitate Latin ones are confusable; they are reported with their
//! punycode form, which is what a browser's address bar may show. Works on one `&str`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Other,
}

fn script(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => {
            Some(Script::Latin)
        }
        '\u{0400}'..='\u{052F}' => Some(Script::Cyrillic),
        '\u{0370}'..='\u{03FF}' => Some(Script::Greek),
        '0'..='9' | '-' | '.' | '_' => None,
        c if c.is_alphabetic() => Some(Script::Other),
        _ => None,
    }
}

/// Cyrillic and Greek letters that look like Latin ones.
const LOOKALIKES: &str = "аеорсухіјѕԁԛԝвнкмтАВЕКМНОРСТУХІЈЅαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧΖ";

/// Why `host` is confusable, with its punycode form; None for plain or single-script names.
pub fn confusable(host: &str) -> Option<String> {
    if host.is_ascii() {
        return None;
    }
    let ascii = idna::domain_to_ascii(host).unwrap_or_else(|_| host.to_owned());
    for label in host.split('.') {
        let scripts: Vec<Script> = label.chars().filter_map(script).collect();
        let first = scripts.first().copied();
        let mixed = scripts.iter().any(|s| Some(*s) != first);
        let imitates = matches!(first, Some(Script::Cyrillic | Script::Greek))
            && label
                .chars()
                .filter(|c| script(*c).is_some())
                .all(|c| LOOKALIKES.contains(c));
        if mixed {
            return Some(format!(
                "mixes scripts in “{label}” (Latin with another alphabet): it reads as a Latin name but is {ascii}"
            ));
        }
        if imitates {
            return Some(format!(
                "is written in letters that imitate Latin ones (“{label}”): it is {ascii}"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn mixed_and_imitating_scripts() {
        let m = super::confusable("\u{0430}cme.org").unwrap();
        assert!(m.contains("xn--"), "{m}");
        assert!(super::confusable("\u{0430}\u{0441}\u{0435}.org").is_some());
        assert!(super::confusable("acme.org").is_none());
        assert!(super::confusable("bücher.de").is_none());
        assert!(super::confusable("пример.рф").is_none());
    }
}
