//! Runtime variables: the names a template's *serving runtime* provides when it renders the
//! exported page itself, and which tags read them. Synapse's consent resource renders its
//! `en/<version>.html` with `user`, `userhmac`, `version`, `has_consented` and `public_version`;
//! a template declaring `runtime: synapse-consent` may use them. Tags reading them are never
//! evaluated by the engine: the scanner ([`super::source`]) replaces each with `__runtime(N)`,
//! which prints an inert runtime token, and the runtime's export writes the tag back verbatim
//! (`export::synapse`). Everything else in the template (the provider's placeholders,
//! also inside a runtime `{% if %}`) is filled as usual.
//!
//! This module owns the names, the front matter (`runtime:`, `consent:`), the tag classification
//! and the runtime tokens. It renders nothing and reads no files.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::token;
use crate::values::TenantValues;

/// A runtime that serves the exported page and renders it with its own variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    /// Synapse's `/_matrix/consent` resource (`user_consent.template_dir`).
    SynapseConsent,
}

/// Every runtime, for did-you-mean.
const ALL: &[(&str, Runtime)] = &[("synapse-consent", Runtime::SynapseConsent)];

impl Runtime {
    /// The runtime named in front matter (`runtime: synapse-consent`).
    pub fn parse(name: &str) -> Option<Runtime> {
        ALL.iter().find(|(n, _)| *n == name.trim()).map(|(_, r)| *r)
    }

    /// The name as written in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::SynapseConsent => "synapse-consent",
        }
    }

    /// The variables the runtime passes to the page (Synapse's `ConsentResource` renders with
    /// exactly these five).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Runtime::SynapseConsent => &[
                "user",
                "userhmac",
                "version",
                "has_consented",
                "public_version",
            ],
        }
    }

    /// Whether `name` is one of the runtime's variables.
    pub fn provides(self, name: &str) -> bool {
        self.names().contains(&name)
    }
}

/// Front matter `consent:` of a `synapse-consent` template: what the export generates around
/// the body (the form, the success page) and writes into `user_consent`. Texts may hold the
/// provider's placeholders (`{{ their_server_name }}`), filled from the tenant's values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsentSettings {
    /// One required checkbox each, in this order; the form cannot be sent until all are ticked.
    pub acknowledgements: Vec<String>,
    /// The submit button's label (default "I accept").
    pub submit: Option<String>,
    /// What a user who accepted this version sees instead of the form.
    pub accepted: Option<String>,
    /// The success page (`en/success.html`), Markdown, shown after the form is sent.
    pub success: Option<String>,
    /// `user_consent.policy_name`: how registration names the document.
    pub policy_name: Option<String>,
    /// `user_consent.server_notice_content.body`; `%(consent_uri)s` is Synapse's link.
    pub server_notice: Option<String>,
    /// `user_consent.block_events_error`; `%(consent_uri)s` is Synapse's link.
    pub block_events_error: Option<String>,
    /// `user_consent.require_at_registration` (default true).
    pub require_at_registration: Option<bool>,
}

/// What front matter declares about the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeDecl {
    /// The runtime.
    pub runtime: Runtime,
    /// The consent settings of the front matter.
    pub consent: ConsentSettings,
}

/// A tag kept for the runtime: its verbatim text and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeTag {
    /// The tag exactly as written (`{% if not public_version %}`).
    pub text: String,
    /// Index of the source file (see [`super::jinja::SourceFile`]).
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// Reads `runtime:` and `consent:` from parsed front matter. `restore` puts back the
/// placeholders front-matter parsing protected; `line_of` gives a key's file line.
pub(crate) fn read_front_matter(
    map: &serde_json::Map<String, serde_json::Value>,
    restore: &dyn Fn(&str) -> String,
    line_of: &dyn Fn(&str) -> u32,
    path: &str,
) -> (Option<RuntimeDecl>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let runtime = match map.get("runtime") {
        None => None,
        Some(serde_json::Value::String(name)) => match Runtime::parse(name) {
            Some(r) => Some(r),
            None => {
                let known = ALL.iter().map(|(n, _)| *n);
                let hint = match super::fields::suggest(name.trim(), known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "the runtime this project knows is `synapse-consent`".to_owned(),
                };
                diags.push(
                    Diagnostic::error(Code::FrontMatter, format!("unknown runtime `{name}`"))
                        .with_path(path)
                        .at(line_of("runtime"), 1)
                        .with_hint(hint),
                );
                None
            }
        },
        Some(other) => {
            diags.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    format!("runtime must be a name such as synapse-consent, found {other}"),
                )
                .with_path(path)
                .at(line_of("runtime"), 1),
            );
            None
        }
    };
    let consent = match map.get("consent") {
        None => ConsentSettings::default(),
        Some(v) => match serde_json::from_value::<ConsentSettings>(v.clone()) {
            Ok(mut c) => {
                for s in c.acknowledgements.iter_mut() {
                    *s = restore(s);
                }
                for s in [
                    &mut c.submit,
                    &mut c.accepted,
                    &mut c.success,
                    &mut c.policy_name,
                    &mut c.server_notice,
                    &mut c.block_events_error,
                ]
                .into_iter()
                .flatten()
                {
                    *s = restore(s);
                }
                if runtime.is_none() {
                    diags.push(
                        Diagnostic::warning(
                            Code::FrontMatter,
                            "`consent:` is only read with `runtime: synapse-consent`",
                        )
                        .with_path(path)
                        .at(line_of("consent"), 1),
                    );
                }
                c
            }
            Err(e) => {
                diags.push(
                    Diagnostic::error(Code::FrontMatter, format!("consent: {e}"))
                        .with_path(path)
                        .at(line_of("consent"), 1)
                        .with_hint("known keys: acknowledgements, submit, accepted, success, policy_name, server_notice, block_events_error, require_at_registration"),
                );
                ConsentSettings::default()
            }
        },
    };
    (
        runtime.map(|runtime| RuntimeDecl { runtime, consent }),
        diags,
    )
}

/// Tracks which open blocks belong to the runtime, so `{% else %}` and `{% endif %}` follow the
/// `{% if %}` they close.
#[derive(Debug)]
pub(crate) struct RuntimeBlocks {
    runtime: Runtime,
    /// One entry per open block: whether it is the runtime's.
    stack: Vec<bool>,
}

const OPENERS: &[&str] = &[
    "if",
    "for",
    "macro",
    "call",
    "filter",
    "with",
    "block",
    "autoescape",
];

impl RuntimeBlocks {
    pub(crate) fn new(runtime: Runtime) -> Self {
        RuntimeBlocks {
            runtime,
            stack: Vec::new(),
        }
    }

    /// Whether the tag with this inner text (between the delimiters, without trim markers)
    /// belongs to the runtime. `statement` is `{% … %}`; otherwise `{{ … }}`. Statements update
    /// the block stack, so call this once per tag, in order.
    pub(crate) fn claims(&mut self, statement: bool, inner: &str) -> bool {
        if !statement {
            return self.reads_runtime(inner);
        }
        let s = inner.trim();
        let keyword = s
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        match keyword {
            k if OPENERS.contains(&k) => {
                let mine = self.reads_runtime(&s[k.len()..]);
                self.stack.push(mine);
                mine
            }
            // `{% set x %}…{% endset %}` opens a block; `{% set x = … %}` does not.
            "set" if !s.contains('=') => {
                let mine = self.reads_runtime(&s[3..]);
                self.stack.push(mine);
                mine
            }
            "elif" | "else" => self.stack.last().copied().unwrap_or(false),
            k if k.starts_with("end") => self.stack.pop().unwrap_or(false),
            _ => self.reads_runtime(s),
        }
    }

    /// Whether an expression reads one of the runtime's names (as a variable: not an attribute
    /// such as `x.user`, not inside a string).
    fn reads_runtime(&self, expr: &str) -> bool {
        use super::expr::{Tok, lex};
        let toks = lex(expr);
        toks.iter().enumerate().any(|(i, t)| {
            matches!(t, Tok::Name(n) if self.runtime.provides(n))
                && !matches!(i.checked_sub(1).map(|p| &toks[p]), Some(Tok::Op(".")))
        })
    }
}

/// First character of a runtime token (value tokens start with [`token::OPEN`]).
pub const RUNTIME_OPEN: char = '\u{E002}';

/// The inert token `__runtime(n)` prints for runtime tag `n`.
pub fn runtime_token(n: usize) -> String {
    let mut s = String::with_capacity(12);
    s.push(RUNTIME_OPEN);
    s.push_str(&token::token_digits(n));
    s.push(token::CLOSE);
    s
}

/// Replaces every runtime token in `s` with `f(n)`.
pub fn replace_runtime_tokens(s: &str, mut f: impl FnMut(usize) -> String) -> String {
    if !s.contains(RUNTIME_OPEN) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(RUNTIME_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + RUNTIME_OPEN.len_utf8()..];
        let mut n = 0usize;
        let mut end = None;
        for (i, c) in after.char_indices() {
            if c == token::CLOSE {
                end = Some(i + c.len_utf8());
                break;
            }
            match (c as u32).checked_sub(0xE010).filter(|d| *d <= 9) {
                Some(d) => n = n.saturating_mul(10).saturating_add(d as usize),
                None => break,
            }
        }
        match end {
            Some(e) => {
                out.push_str(&f(n));
                rest = &after[e..];
            }
            None => {
                out.push(RUNTIME_OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The tenant's values without the runtime's names: those are the runtime's to give, never a
/// tenant file's. Each one present is reported as an error.
pub(crate) fn without_runtime_names(
    runtime: Option<Runtime>,
    values: &TenantValues,
    diags: &mut Vec<Diagnostic>,
) -> Option<TenantValues> {
    let r = runtime?;
    if !values.keys().any(|k| r.provides(k)) {
        return None;
    }
    let mut kept = values.clone();
    kept.retain(|k, _| {
        if !r.provides(k) {
            return true;
        }
        diags.push(
            Diagnostic::error(
                Code::UnknownField,
                format!(
                    "`{k}` is given by {} when it serves the page; a tenant file cannot set it",
                    r.as_str()
                ),
            )
            .with_field(k)
            .with_hint("remove it from the tenant file"),
        );
        false
    });
    Some(kept)
}

/// Names a runtime template reads that look like a misspelled runtime name
/// (`has_consentd` → `has_consented`), with the intended name. Declared fields are never
/// reported.
pub(crate) fn misspelled<'a>(
    runtime: Runtime,
    names: impl IntoIterator<Item = &'a str>,
    is_field: impl Fn(&str) -> bool,
) -> Vec<(&'a str, &'static str)> {
    names
        .into_iter()
        .filter(|n| !runtime.provides(n) && !is_field(n))
        .filter_map(|n| super::fields::suggest(n, runtime.names().iter().copied()).map(|s| (n, s)))
        .collect()
}

impl super::NoticeTemplate {
    /// The page Synapse shows once a user accepted (`en/success.html`): front matter
    /// `consent.success` as a template of its own with this one's title and version. Built once
    /// per template, not once per tenant exported.
    pub fn consent_success_page(&self) -> &super::NoticeTemplate {
        self.success_page.get_or_init(|| {
            let text = self
                .runtime
                .as_ref()
                .and_then(|d| d.consent.success.as_deref())
                .unwrap_or("Thank you: your acceptance is recorded. You can close this page and return to your Matrix client.");
            let source = format!(
                "---\ntitle: {}\nversion: {}\n---\n{text}\n",
                serde_json::to_string(self.title_source.as_deref().unwrap_or("Consent"))
                    .unwrap_or_default(),
                self.version
                    .as_ref()
                    .map_or_else(|| "0.0.0".into(), ToString::to_string),
            );
            let path = std::path::PathBuf::from(format!("{} (success page)", self.path.display()));
            Box::new(super::NoticeTemplate::from_source(&path, &source, None))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_follow_their_opening_tag() {
        let mut b = RuntimeBlocks::new(Runtime::SynapseConsent);
        assert!(b.claims(true, " if not public_version "));
        assert!(!b.claims(true, " if federation_enabled "));
        assert!(!b.claims(true, " else "));
        assert!(!b.claims(true, " endif "));
        assert!(b.claims(true, " else "));
        assert!(b.claims(true, " endif "));
        assert!(b.claims(false, " user | e "));
        assert!(!b.claims(false, " x.user "));
        assert!(!b.claims(false, " \"user\" ~ name "));
        assert!(b.claims(true, "for v in version"));
        assert!(b.claims(true, "endfor"));
        assert!(!b.claims(true, "set a = hhs_name"));
        assert!(b.claims(true, "set a = user"));
    }

    #[test]
    fn runtime_tokens_round_trip_and_are_not_value_tokens() {
        let s = format!("a{}b{}c", runtime_token(3), runtime_token(12));
        assert!(token::find_tokens(&s).is_empty());
        assert_eq!(
            replace_runtime_tokens(&s, |n| format!("<{n}>")),
            "a<3>b<12>c"
        );
        assert!(token::is_reserved(RUNTIME_OPEN));
    }

    #[test]
    fn misspellings_are_found() {
        let m = misspelled(
            Runtime::SynapseConsent,
            ["has_consentd", "hhs_name", "publicversion"],
            |n| n == "hhs_name",
        );
        assert_eq!(
            m,
            vec![
                ("has_consentd", "has_consented"),
                ("publicversion", "public_version")
            ]
        );
    }
}
