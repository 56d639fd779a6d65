//! Link destinations: template links must use a safe scheme; links built from values are checked
//! (a `mailto:` needs a valid email, an `https://` a valid host) and dropped when they fail.

use crate::check::Placer;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::markdown::Pos;
use crate::render::{HitInfo, token};
use crate::values;

const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

fn scheme(url: &str) -> Option<String> {
    let end = url.find([':', '/', '?', '#'])?;
    (url.as_bytes()[end] == b':').then(|| url[..end].to_ascii_lowercase())
}

/// The destination to write for `url` (which may hold tokens); empty when it is refused.
pub(crate) fn destination(
    url: &str,
    hits: &[HitInfo],
    pos: Pos,
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let toks = token::find_tokens(url);
    if toks.is_empty() {
        return match scheme(url.trim()) {
            Some(s) if !SAFE_SCHEMES.contains(&s.as_str()) => {
                diags.push(
                    placer.at(
                        Diagnostic::error(
                            Code::UnsafeLink,
                            format!("link to a `{s}:` address removed"),
                        )
                        .with_hint("links may use https:, http:, mailto: or tel:"),
                        pos,
                    ),
                );
                String::new()
            }
            _ => url.to_owned(),
        };
    }
    if toks
        .iter()
        .any(|t| hits.get(t.index).is_none_or(|h| h.unfilled))
    {
        // Reported as unfilled already; no half-built address in the document.
        return String::new();
    }
    let field = hits
        .get(toks[0].index)
        .and_then(|h| h.field.clone())
        .unwrap_or_default();
    let built = token::replace_tokens(url, |i| {
        hits.get(i)
            .and_then(|h| h.text.clone())
            .unwrap_or_default()
            .trim()
            .to_owned()
    });
    let whole_value = toks.len() == 1 && toks[0].start == 0 && toks[0].end == url.len();
    let lower = built.to_ascii_lowercase();
    let verdict = if lower.starts_with("mailto:") {
        let address = &built["mailto:".len()..];
        let address = address.split('?').next().unwrap_or(address);
        values::validate_email(address).map(|()| built.clone())
    } else if lower.starts_with("https://") || lower.starts_with("http://") || whole_value {
        values::validate_url(&built).and_then(|()| {
            url::Url::parse(&built)
                .map(String::from)
                .map_err(|e| e.to_string())
        })
    } else {
        match scheme(&built) {
            Some(s) if !SAFE_SCHEMES.contains(&s.as_str()) => {
                Err(format!("uses the `{s}:` scheme"))
            }
            _ => Ok(built.clone()),
        }
    };
    match verdict {
        Ok(u) => u,
        Err(why) => {
            diags.push(
                placer.at(
                    Diagnostic::error(
                        Code::UnsafeLink,
                        format!("link to {built:?} removed: it {why}"),
                    )
                    .with_field(field)
                    .with_hint("correct the value; links are only made from valid addresses"),
                    pos,
                ),
            );
            String::new()
        }
    }
}
