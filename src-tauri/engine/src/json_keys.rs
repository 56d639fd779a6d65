//! Duplicate keys in a JSON text. serde_json keeps the last of two equal keys silently; a tenant
//! file with `"hhs_name"` twice is usually a merge gone wrong, so the loader reports it. A leaf:
//! knows JSON text only, nothing of tenants.

/// One key written twice (or more) in the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key, with its enclosing keys (`values.hhs_name`).
    pub path: String,
    /// 1-based lines of every occurrence; the last one's value is the one read.
    pub lines: Vec<u32>,
}

/// Every key that occurs more than once in one object of `text`. Assumes `text` is valid JSON
/// (call after parsing it); stops quietly where it is not.
pub fn duplicate_keys(text: &str) -> Vec<DuplicateKey> {
    // Per open container: is it an object, its keys with their lines, its path, and whether the
    // next string in it is a key.
    struct Frame {
        object: bool,
        keys: Vec<(String, u32)>,
        path: String,
        expect_key: bool,
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut out: Vec<DuplicateKey> = Vec::new();
    let mut last_key: Option<String> = None;
    let mut line = 1u32;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' | '[' => {
                let parent = stack.last().map(|f| f.path.clone()).unwrap_or_default();
                let path = match (&last_key, stack.last()) {
                    (Some(k), Some(f)) if f.object => {
                        if parent.is_empty() {
                            k.clone()
                        } else {
                            format!("{parent}.{k}")
                        }
                    }
                    _ => parent,
                };
                stack.push(Frame {
                    object: c == '{',
                    keys: Vec::new(),
                    path,
                    expect_key: c == '{',
                });
                last_key = None;
            }
            '}' | ']' => {
                if let Some(f) = stack.pop() {
                    let mut seen: Vec<&str> = Vec::new();
                    for (k, _) in &f.keys {
                        if seen.contains(&k.as_str()) {
                            continue;
                        }
                        seen.push(k);
                        let lines: Vec<u32> = f
                            .keys
                            .iter()
                            .filter(|(x, _)| x == k)
                            .map(|(_, l)| *l)
                            .collect();
                        if lines.len() > 1 {
                            out.push(DuplicateKey {
                                path: if f.path.is_empty() {
                                    k.clone()
                                } else {
                                    format!("{}.{k}", f.path)
                                },
                                lines,
                            });
                        }
                    }
                }
                last_key = None;
            }
            ',' => {
                if let Some(f) = stack.last_mut() {
                    f.expect_key = f.object;
                }
            }
            '"' => {
                let mut s = String::new();
                while let Some((_, c)) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some((_, e)) = chars.next() {
                                match e {
                                    'n' => s.push('\n'),
                                    't' => s.push('\t'),
                                    'u' => {
                                        let hex: String = (0..4)
                                            .filter_map(|_| chars.next().map(|x| x.1))
                                            .collect();
                                        if let Some(ch) = u32::from_str_radix(&hex, 16)
                                            .ok()
                                            .and_then(char::from_u32)
                                        {
                                            s.push(ch);
                                        }
                                    }
                                    other => s.push(other),
                                }
                            }
                        }
                        '\n' => line += 1,
                        c => s.push(c),
                    }
                }
                if let Some(f) = stack.last_mut()
                    && f.expect_key
                {
                    f.keys.push((s.clone(), line));
                    f.expect_key = false;
                    last_key = Some(s);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_duplicates_with_their_lines() {
        let d = super::duplicate_keys(
            "{\n\"format\": 1,\n\"values\": {\n \"a\": \"x\",\n \"b\": [\"a\", \"a\"],\n \"a\": \"y\"\n}}",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, "values.a");
        assert_eq!(d[0].lines, vec![4, 6]);
        assert!(super::duplicate_keys(r#"{"a":{"x":1},"b":{"x":2}}"#).is_empty());
    }
}
