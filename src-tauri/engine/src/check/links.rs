//! Link destinations: template links must use a safe scheme; links built from values are checked
//! (a `mailto:` needs a valid email, an `https://` a valid host) and dropped when they fail.
//! Links that cannot work as written (`broken-link`): no scheme (`[Element](element.io)`, a
//! relative link in a standalone export), a `mailto:` that is no address, an email address
//! without `mailto:`, a destination built from placeholders with no scheme.

use comrak::nodes::NodeValue;

use crate::diagnostic::{Code, Diagnostic, Fix, Severity};
use crate::render::HitInfo;
use crate::render::markdown::Pos;
use crate::render::{Context, Placer};
use crate::token;
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

/// File endings that make `name.ext` a relative file link rather than a domain.
const FILE_ENDINGS: [&str; 18] = [
    "md", "html", "htm", "pdf", "png", "jpg", "jpeg", "gif", "svg", "txt", "json", "xml", "php",
    "asp", "aspx", "css", "js", "webp",
];

/// True when `s` starts with something that reads as a domain (`element.io`, `matrix.org/…`).
fn starts_with_domain(s: &str) -> bool {
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && (2..=24).contains(&tld.chars().count())
        && tld.chars().all(char::is_alphabetic)
        && !FILE_ENDINGS.contains(&tld.to_ascii_lowercase().as_str())
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains(['/', ' ', ':'])
                && starts_with_domain(domain)
                && !domain.contains('/')
        }
        None => false,
    }
}

/// Links in the document that cannot work as written.
pub(crate) fn check(ctx: &Context, diags: &mut Vec<Diagnostic>) {
    for node in ctx.root.descendants() {
        let data = node.data.borrow();
        if let NodeValue::Text(t) = &data.value {
            // `[x](mailto: x@y.org)`: the space ends the destination, so no link is made at all.
            for (at, _) in t.match_indices("](mailto:") {
                let rest = &t[at + 9..];
                if rest.starts_with(char::is_whitespace) {
                    let sp = data.sourcepos;
                    let pos = ctx.filled.locate(sp.start.line, sp.start.column + at + 2);
                    let ws = rest.len() - rest.trim_start().len();
                    let fix = ctx.placer.line_text(pos).and_then(|line| {
                        let from = (pos.col as usize).saturating_sub(1);
                        let old = line.get(from..from + 7 + ws)?;
                        old.starts_with("mailto:").then(|| Fix {
                            line: pos.line,
                            column: ctx.placer.char_column(pos),
                            old: old.to_owned(),
                            new: "mailto:".into(),
                        })
                    });
                    let mut d = Diagnostic::error(
                        Code::BrokenLink,
                        "a space after `mailto:` breaks the link: it prints as text and opens nothing",
                    )
                    .with_hint("write the address right after `mailto:`");
                    if let Some(f) = fix {
                        d = d.with_fix(f);
                    }
                    diags.push(ctx.placer.at(d, pos));
                }
            }
            continue;
        }
        let NodeValue::Link(l) = &data.value else {
            continue;
        };
        let sp = data.sourcepos;
        let pos = ctx.filled.locate(sp.start.line, sp.start.column);
        let url = l.url.as_str();
        let toks = token::find_tokens(url);
        // Where the destination opens in the template: the fix inserts there.
        let fix_at = |new: &str| -> Option<Fix> {
            let line = ctx.placer.line_text(pos)?;
            let from = (pos.col as usize).saturating_sub(1).min(line.len());
            let at = line.get(from..)?.find("](")? + from;
            Some(Fix {
                line: pos.line,
                column: ctx.placer.char_column(Pos {
                    col: at as u32 + 1,
                    ..pos
                }),
                old: "](".into(),
                new: format!("]({new}"),
            })
        };
        let problem: Option<(Severity, String, String, Option<Fix>)> = if toks.is_empty() {
            let lower = url.to_ascii_lowercase();
            if let Some(rest) = lower.strip_prefix("mailto:").map(|_| &url[7..]) {
                let address = rest.split('?').next().unwrap_or(rest);
                if address.starts_with(char::is_whitespace) {
                    let ws = address.len() - address.trim_start().len();
                    let fix = ctx.placer.line_text(pos).and_then(|line| {
                        let at = line.find(&url[..7])?;
                        Some(Fix {
                            line: pos.line,
                            column: ctx.placer.char_column(Pos {
                                col: at as u32 + 1,
                                ..pos
                            }),
                            old: line.get(at..at + 7 + ws)?.to_owned(),
                            new: url[..7].to_owned(),
                        })
                    });
                    Some((
                        Severity::Error,
                        format!("`{url}` has a space after `mailto:`: the link opens no address"),
                        "write the address right after `mailto:`".into(),
                        fix,
                    ))
                } else if let Err(why) = values::validate_email(address) {
                    let guess = address
                        .rsplit_once(':')
                        .map(|(a, b)| format!("{a}@{b}"))
                        .filter(|g| !address.contains('@') && values::validate_email(g).is_ok());
                    Some((
                        Severity::Error,
                        format!("`{url}` is no email address: it {why}"),
                        match &guess {
                            Some(g) => format!("did you mean `mailto:{g}`?"),
                            None => {
                                "write `mailto:` and an address such as legal@example.org".into()
                            }
                        },
                        None,
                    ))
                } else {
                    None
                }
            } else if scheme(url).is_none() && looks_like_email(url) {
                Some((
                    Severity::Warning,
                    format!(
                        "link to `{url}` is an email address without `mailto:`: it opens as a relative web link"
                    ),
                    format!("write `mailto:{url}`"),
                    fix_at("mailto:"),
                ))
            } else if scheme(url).is_none()
                && !url.starts_with(['/', '#', '.', '?'])
                && starts_with_domain(url)
            {
                Some((
                    Severity::Warning,
                    format!(
                        "link to `{url}` has no scheme: in a standalone export it is a broken relative link"
                    ),
                    format!("write `https://{url}`"),
                    fix_at("https://"),
                ))
            } else {
                None
            }
        } else {
            let head = &url[..toks[0].start];
            let whole = toks.len() == 1 && toks[0].start == 0 && toks[0].end == url.len();
            let first_value = ctx
                .hits
                .get(toks[0].index)
                .and_then(|h| h.text.as_deref())
                .unwrap_or("");
            let value_has_scheme = head.is_empty() && scheme(first_value.trim()).is_some();
            let rest_is_address = url[toks[0].end..].starts_with(['.', '/', ':']);
            if !whole
                && !head.contains(':')
                && !head.starts_with(['/', '#', '.'])
                && !value_has_scheme
                && (rest_is_address || head.contains('.'))
            {
                let names: Vec<String> = toks
                    .iter()
                    .filter_map(|t| ctx.hits.get(t.index)?.field.clone())
                    .map(|f| format!("`{f}`"))
                    .collect();
                Some((
                    Severity::Warning,
                    format!(
                        "link built from {} has no scheme: in a standalone export it is a broken relative link",
                        names.join(", ")
                    ),
                    "start the destination with `https://`".into(),
                    fix_at("https://"),
                ))
            } else {
                None
            }
        };
        if let Some((severity, message, hint, fix)) = problem {
            let mut d = Diagnostic::new(severity, Code::BrokenLink, message).with_hint(hint);
            if let Some(f) = fix {
                d = d.with_fix(f);
            }
            diags.push(ctx.placer.at(d, pos));
        }
    }
}
