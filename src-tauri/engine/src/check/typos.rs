//! Likely typos in placeholder names: a name used once (or rarely) within a small edit distance
//! of a name used often, in the same file or across a family, is almost always a typo
//! (`hhs_serve_domain` beside eighteen `hhs_server_domain`). Reported with the likely name and a
//! fix for the template's line. Reads placeholder sites only; never renders.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::render::Placer;
use crate::render::markdown::Pos;
use crate::template::{FieldOrigin, NoticeTemplate};

/// A rare name is used at most this often…
const RARE: usize = 2;
/// …and the name it resembles at least this often, and this many times as often.
const OFTEN: usize = 3;
const RATIO: usize = 3;

/// How often each placeholder name is used in `t`, and where.
fn uses(t: &NoticeTemplate) -> BTreeMap<String, Vec<Pos>> {
    let mut out: BTreeMap<String, Vec<Pos>> = BTreeMap::new();
    for (vars, pos) in t.placeholder_sites_internal() {
        let mut seen: Vec<&String> = Vec::new();
        for v in &vars {
            if !seen.contains(&v) {
                seen.push(v);
                out.entry(v.clone()).or_default().push(pos);
            }
        }
    }
    out
}

/// The edit distance under which two names count as one typo apart: 1 for short names, 2 from
/// eight characters; names that differ only in digits (`line1`, `line2`) are different on purpose.
fn close(a: &str, b: &str) -> Option<usize> {
    let n = a.chars().count().min(b.chars().count());
    if n < 4 {
        return None;
    }
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    if strip(a) == strip(b) {
        return None;
    }
    let d = strsim::damerau_levenshtein(a, b);
    let limit = if n >= 8 { 2 } else { 1 };
    (d > 0 && d <= limit).then_some(d)
}

/// At most this many (rare name, frequent name) pairs are compared: a template with thousands
/// of names is generated, not typed, and checking stays linear in its placeholders.
const MAX_PAIRS: usize = 200_000;

/// The likely intended name for each rare name, judged against `counts`.
fn likely(counts: &BTreeMap<String, usize>, declared: &[&str]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let frequent: Vec<(&String, usize)> = counts
        .iter()
        .filter(|(_, m)| **m >= OFTEN)
        .map(|(k, m)| (k, *m))
        .collect();
    let rare: Vec<(&String, usize)> = counts
        .iter()
        .filter(|(k, n)| **n <= RARE && !declared.contains(&k.as_str()))
        .map(|(k, n)| (k, *n))
        .collect();
    if frequent.is_empty() || rare.len().saturating_mul(frequent.len()) > MAX_PAIRS {
        return out;
    }
    for (rare, n) in rare {
        let best = frequent
            .iter()
            .filter(|(k, m)| *k != rare && *m >= RATIO * n)
            .filter_map(|(k, m)| close(rare, k).map(|d| (d, std::cmp::Reverse(*m), *k)))
            .min();
        if let Some((_, _, k)) = best {
            out.insert(rare.clone(), k.clone());
        }
    }
    out
}

fn diagnostic(
    placer: &Placer,
    rare: &str,
    rare_count: usize,
    name: &str,
    count: usize,
    scope: &str,
    pos: Pos,
) -> Diagnostic {
    let times = |n: usize| match n {
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    };
    let mut d = Diagnostic::warning(
        Code::LikelyTypo,
        format!(
            "`{rare}` is used {} {scope}, `{name}` {}: likely a typo",
            times(rare_count),
            times(count)
        ),
    )
    .with_field(rare)
    .with_hint(format!("did you mean `{name}`?"));
    if let Some(line) = placer.line_text(pos) {
        let from = (pos.col as usize).saturating_sub(1).min(line.len());
        let found = line[from..].match_indices(rare).find(|(i, _)| {
            let at = from + i;
            let before = line[..at].chars().next_back();
            let after = line[at + rare.len()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            !word(before) && !word(after)
        });
        if let Some((i, _)) = found {
            let at = Pos {
                col: (from + i) as u32 + 1,
                ..pos
            };
            d = d.with_fix(Fix {
                line: pos.line,
                column: placer.char_column(at),
                old: rare.to_owned(),
                new: name.to_owned(),
            });
            return placer.at(d.spanning(rare.chars().count() as u32), at);
        }
    }
    placer.at(d, pos)
}

fn declared(t: &NoticeTemplate) -> Vec<&str> {
    t.fields
        .iter()
        .filter(|f| f.origin == FieldOrigin::Declared)
        .map(|f| f.name.as_str())
        .collect()
}

/// Likely typos within one template.
pub(crate) fn check(t: &NoticeTemplate, placer: &Placer, diags: &mut Vec<Diagnostic>) {
    let sites = uses(t);
    let counts: BTreeMap<String, usize> = sites.iter().map(|(k, v)| (k.clone(), v.len())).collect();
    for (rare, name) in likely(&counts, &declared(t)) {
        for pos in &sites[&rare] {
            diags.push(diagnostic(
                placer,
                &rare,
                counts[&rare],
                &name,
                counts[&name],
                "in this file",
                *pos,
            ));
        }
    }
}

/// Likely typos judged against a whole family: a name rare across all its documents and close to
/// one used often across them. Returns, per template (by index), the diagnostics not already
/// found within the template alone.
pub fn family(templates: &[&NoticeTemplate]) -> Vec<Vec<Diagnostic>> {
    let all: Vec<BTreeMap<String, Vec<Pos>>> = templates.iter().map(|t| uses(t)).collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for u in &all {
        for (k, v) in u {
            *counts.entry(k.clone()).or_default() += v.len();
        }
    }
    let declared: Vec<&str> = templates.iter().flat_map(|t| declared(t)).collect();
    let found = likely(&counts, &declared);
    templates
        .iter()
        .zip(&all)
        .map(|(t, u)| {
            let placer = Placer::new(t);
            let local: BTreeMap<String, usize> =
                u.iter().map(|(k, v)| (k.clone(), v.len())).collect();
            let already = likely(&local, &self::declared(t));
            let mut out = Vec::new();
            for (rare, name) in &found {
                if already.contains_key(rare) {
                    continue;
                }
                for pos in u.get(rare).into_iter().flatten() {
                    out.push(diagnostic(
                        &placer,
                        rare,
                        counts[rare],
                        name,
                        counts[name],
                        "in the family",
                        *pos,
                    ));
                }
            }
            out
        })
        .collect()
}
