//! Export for Synapse's consent resource: a `template_dir` (`en/<version>.html`,
//! `en/success.html`) and the matching `user_consent:` section of `homeserver.yaml`, for a
//! template declaring `runtime: synapse-consent` (see [`crate::template::runtime`]).
//!
//! The page is itself a Jinja template that Synapse renders, so what comes from the tenant must
//! never reach Synapse's Jinja as syntax: every `{` and `}` of the rendered document (values and
//! template text alike) is written as `&#123;`/`&#125;`, which a browser shows as the brace and
//! Jinja does not see; only then are the runtime tags written back verbatim, and the form
//! (generated here, never raw HTML from the template) added. The stylesheet is wrapped in
//! `{% raw %}`. Writes no files: the caller does.

mod serve;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use time::OffsetDateTime;

use super::ExportOptions;
use crate::atomic::write_atomic;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::error::EngineError;
use crate::render::{Output, RenderedNotice, html_escape, runtime as runtime_tags};
use crate::template::NoticeTemplate;
use crate::template::runtime::{ConsentSettings, RUNTIME_OPEN, Runtime};
use crate::values::{FieldValue, TenantValues};

pub use serve::{ConsentState, PREVIEW_USER, preview_as, serve_as, served_body};

/// Where the body goes in the page skeleton; reserved, so no template or value can hold it.
const BODY_MARK: &str = "\u{E0FE}";

/// How to export for Synapse.
#[derive(Debug, Clone, Copy)]
pub struct ConsentOptions<'a> {
    /// `user_consent.template_dir` as the homeserver will read it (Synapse resolves a relative
    /// path against its working directory).
    pub template_dir: &'a str,
    /// The time written into the pages.
    pub rendered_at: OffsetDateTime,
}

/// One file of the export, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentFile {
    /// `en/1.0.html`, `en/success.html` or `user_consent.yaml`.
    pub path: String,
    /// The file's text.
    pub contents: String,
}

/// A Synapse consent export.
#[derive(Debug, Clone)]
pub struct ConsentExport {
    /// `user_consent.version`, also the page's file name (see [`consent_version`]).
    pub version: String,
    /// The policy page, the success page and `user_consent.yaml`, in that order.
    pub files: Vec<ConsentFile>,
    /// The `user_consent:` section (also the last of `files`).
    pub user_consent_yaml: String,
    /// Warnings and infos left (errors refuse the export).
    pub diagnostics: Vec<Diagnostic>,
}

impl ConsentExport {
    /// Writes the files into `dir` (created as needed), each atomically; returns their paths.
    /// The one way the CLI and the app write an export (workspace publish also records each).
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
        let mut written = Vec::with_capacity(self.files.len());
        for f in &self.files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| EngineError::Write {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            write_atomic(&path, f.contents.as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The consent version of a template version: `MAJOR.0`. A major bump is a new version users
/// must accept again; a minor or patch bump rewrites the same file and keeps their acceptance
/// (Synapse compares `users.consent_version` with `user_consent.version` as strings).
pub fn consent_version(v: &semver::Version) -> String {
    format!("{}.0", v.major)
}

/// Exports `t` for `values` as a Synapse `template_dir` and `user_consent` section. Refused
/// (with the errors) while errors remain, or when the template does not declare
/// `runtime: synapse-consent`; there are no drafts: Synapse would serve them.
pub fn export_consent(
    t: &NoticeTemplate,
    values: &TenantValues,
    opts: ConsentOptions<'_>,
) -> Result<ConsentExport, EngineError> {
    let Some(decl) = t
        .runtime
        .as_ref()
        .filter(|d| d.runtime == Runtime::SynapseConsent)
    else {
        return Err(EngineError::Refused {
            diagnostics: vec![
                Diagnostic::error(
                    Code::FrontMatter,
                    "this template is not a Synapse consent page",
                )
                .with_path(t.path.display().to_string())
                .at(1, 1)
                .with_hint("declare `runtime: synapse-consent` in its front matter"),
            ],
        });
    };
    let settings = &decl.consent;
    let Some(semver) = &t.version else {
        return Err(EngineError::Refused {
            diagnostics: vec![
                Diagnostic::error(Code::FrontMatter, "a consent page needs a version")
                    .with_path(t.path.display().to_string())
                    .at(1, 1),
            ],
        });
    };
    let version = consent_version(semver);
    let r = super::render_for_export(t, values, false, Output::RuntimeHtml)?;
    let mut problems = Vec::new();
    let texts = Texts::new(&r.values);
    let server = r
        .values
        .get("their_server_name")
        .map(|v| v.as_text().into_owned())
        .unwrap_or_else(|| "this homeserver".into());

    let mut body = for_jinja(&unwrap_runtime_paragraphs(&r.body_html));
    body = runtime_tags::verbatim(&body, &runtime_tags::tag_texts(t));
    body.push_str(&form(settings, &texts, &mut problems));
    let page = page(t, &r, &body, opts);

    let (success, mut success_diags) = success_page(t, values, opts)?;
    problems.append(&mut success_diags);

    let policy_name = texts.fill(
        settings.policy_name.as_deref().unwrap_or("Privacy Policy"),
        Escape::Plain,
        &mut problems,
    );
    let notice = texts.fill(
        settings.server_notice.as_deref().unwrap_or(
            "Please review and accept the terms of this homeserver to continue: %(consent_uri)s",
        ),
        Escape::Percent,
        &mut problems,
    );
    let block = texts.fill(
        settings.block_events_error.as_deref().unwrap_or(
            "To continue using this homeserver you must review and agree to its terms at %(consent_uri)s",
        ),
        Escape::Percent,
        &mut problems,
    );
    let errors: Vec<Diagnostic> = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(EngineError::Refused {
            diagnostics: errors,
        });
    }
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let yaml = format!(
        "# The user_consent section of homeserver.yaml for {server}, from {id} {semver}\n\
         # (written by {gen}). Synapse also needs form_secret, a listener with the `consent`\n\
         # resource, and a server_notices section for server_notice_content.\n\
         user_consent:\n  version: {v}\n  template_dir: {dir}\n  server_notice_content:\n    msgtype: m.text\n    body: {notice}\n  block_events_error: {block}\n  require_at_registration: {reg}\n  policy_name: {name}\n",
        server = server.replace('\n', " "),
        id = t.id,
        gen = crate::GENERATOR,
        v = q(&version),
        dir = q(opts.template_dir),
        notice = q(&notice),
        block = q(&block),
        reg = settings.require_at_registration.unwrap_or(true),
        name = q(&policy_name),
    );
    for (name, html) in [("policy page", &page), ("success page", &success)] {
        check_jinja_syntax(name, html)?;
    }
    let mut diagnostics = r.diagnostics;
    diagnostics.append(&mut problems);
    Ok(ConsentExport {
        files: vec![
            ConsentFile {
                path: format!("en/{version}.html"),
                contents: page,
            },
            ConsentFile {
                path: "en/success.html".into(),
                contents: success,
            },
            ConsentFile {
                path: "user_consent.yaml".into(),
                contents: yaml.clone(),
            },
        ],
        version,
        user_consent_yaml: yaml,
        diagnostics,
    })
}

/// Every `{` and `}` as a character reference: the browser shows the brace, Jinja never sees
/// a delimiter. Applied to everything that came from the template and the tenant.
pub fn for_jinja(html: &str) -> String {
    html.replace('{', "&#123;").replace('}', "&#125;")
}

/// A paragraph holding only runtime tags becomes just the tags, so `{% if %}` around blocks
/// leaves no empty paragraphs behind.
fn unwrap_runtime_paragraphs(html: &str) -> String {
    static ONLY_TAGS: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new("<p>((?:\\s*\u{E002}[\u{E010}-\u{E019}]+\u{E001})+)\\s*</p>\n?").ok()
    });
    match ONLY_TAGS.as_ref() {
        Some(re) if html.contains(RUNTIME_OPEN) => re.replace_all(html, "$1\n").into_owned(),
        _ => html.to_owned(),
    }
}

/// The page around `body` (already safe for Jinja): the export's own document, every brace
/// outside the body escaped, the stylesheet kept raw.
fn page(t: &NoticeTemplate, r: &RenderedNotice, body: &str, opts: ConsentOptions<'_>) -> String {
    let mut skeleton = r.clone();
    skeleton.body_html = BODY_MARK.into();
    let inputs = super::inputs_hash(t, &r.values);
    let doc = super::html::document(
        t,
        &skeleton,
        &inputs,
        ExportOptions {
            draft: false,
            rendered_at: opts.rendered_at,
            approval: None,
        },
    );
    let mut out = String::with_capacity(doc.len() + body.len() + 64);
    match (doc.find("<style>"), doc.find("</style>")) {
        (Some(open), Some(close)) if open < close => {
            let content = open + "<style>".len();
            out.push_str(&for_jinja(&doc[..content]));
            out.push_str("{% raw %}");
            out.push_str(&doc[content..close]);
            out.push_str("{% endraw %}");
            out.push_str(&for_jinja(&doc[close..]));
        }
        _ => out.push_str(&for_jinja(&doc)),
    }
    out.replacen(BODY_MARK, body, 1)
}

/// The consent form: required checkboxes, Synapse's hidden `v`, `u`, `h` inputs and the submit
/// button, posted to `consent` (the page is served at `/_matrix/consent`). Not in the public
/// version; a user who accepted this version sees that instead.
fn form(s: &ConsentSettings, texts: &Texts, problems: &mut Vec<Diagnostic>) -> String {
    let mut f = String::from("{% if not public_version %}\n{% if has_consented %}\n");
    let accepted = texts.fill(
        s.accepted
            .as_deref()
            .unwrap_or("You have accepted these terms."),
        Escape::Html,
        problems,
    );
    f.push_str(&format!(
        "<p class=\"consent-accepted\" role=\"status\">{accepted} (version {{{{ version }}}})</p>\n"
    ));
    f.push_str("{% else %}\n<form class=\"consent\" method=\"post\" action=\"consent\">\n");
    if !s.acknowledgements.is_empty() {
        f.push_str("<fieldset>\n<legend>Before you continue</legend>\n");
        for (i, a) in s.acknowledgements.iter().enumerate() {
            let text = texts.fill(a, Escape::Html, problems);
            f.push_str(&format!(
                "<p><input type=\"checkbox\" id=\"ack-{n}\" required> <label for=\"ack-{n}\">{text}</label></p>\n",
                n = i + 1
            ));
        }
        f.push_str("</fieldset>\n");
    }
    let submit = texts.fill(
        s.submit.as_deref().unwrap_or("I accept"),
        Escape::Html,
        problems,
    );
    f.push_str(
        "<input type=\"hidden\" name=\"v\" value=\"{{ version }}\">\n\
         <input type=\"hidden\" name=\"u\" value=\"{{ user }}\">\n\
         <input type=\"hidden\" name=\"h\" value=\"{{ userhmac }}\">\n",
    );
    f.push_str(&format!(
        "<p><button type=\"submit\">{submit}</button></p>\n</form>\n{{% endif %}}\n{{% endif %}}\n"
    ));
    f
}

/// `en/success.html`: front matter `consent.success` (Markdown with the provider's
/// placeholders), rendered and checked like any document.
fn success_page(
    t: &NoticeTemplate,
    values: &TenantValues,
    opts: ConsentOptions<'_>,
) -> Result<(String, Vec<Diagnostic>), EngineError> {
    let st = t.consent_success_page();
    let own: TenantValues = values
        .iter()
        .filter(|(k, _)| st.reads(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let r = super::render_for_export(st, &own, false, Output::RuntimeHtml)?;
    let body = for_jinja(&r.body_html);
    let diags = r
        .diagnostics
        .iter()
        .filter(|d| d.code != Code::TitleMismatch)
        .cloned()
        .collect();
    Ok((page(st, &r, &body, opts), diags))
}

/// How a filled text is written.
#[derive(Clone, Copy)]
enum Escape {
    /// YAML strings: as they are.
    Plain,
    /// Into HTML, braces escaped for Jinja.
    Html,
    /// Into a Synapse string formatted with `%`: a `%` from a value is written `%%`.
    Percent,
}

/// Short texts from front matter with the tenant's values filled in.
struct Texts {
    values: TenantValues,
    /// One environment for every text of an export (making one registers every builtin).
    env: minijinja::Environment<'static>,
}

impl Texts {
    fn new(values: &TenantValues) -> Self {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        Texts {
            values: values.clone(),
            env,
        }
    }

    fn fill(&self, text: &str, escape: Escape, problems: &mut Vec<Diagnostic>) -> String {
        let ctx: std::collections::BTreeMap<&str, String> = self
            .values
            .iter()
            .filter(|(_, v)| !v.is_blank())
            .map(|(k, v)| {
                let s = match v {
                    FieldValue::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
                    other => other.as_text().into_owned(),
                };
                let s = match escape {
                    Escape::Percent => s.replace('%', "%%"),
                    _ => s,
                };
                (k.as_str(), s)
            })
            .collect();
        let filled = match self.env.render_str(text, ctx) {
            Ok(s) => s,
            Err(e) => {
                problems.push(
                    Diagnostic::error(
                        Code::UnfilledPlaceholder,
                        format!(
                            "consent text {text:?} cannot be filled: {}",
                            e.detail().unwrap_or("a value is missing")
                        ),
                    )
                    .with_hint("fill in the values it names, or check its placeholders"),
                );
                String::new()
            }
        };
        match escape {
            Escape::Html => for_jinja(&html_escape(&filled)),
            Escape::Plain | Escape::Percent => filled.replace(['\n', '\r'], " "),
        }
    }
}

/// The page must load in Synapse's Jinja: checked here with minijinja (the integration test
/// checks it with Jinja2 itself).
fn check_jinja_syntax(name: &str, html: &str) -> Result<(), EngineError> {
    let env = minijinja::Environment::empty(); // syntax only: no builtins needed
    env.template_from_str(html)
        .map(|_| ())
        .map_err(|e| EngineError::Unrenderable {
            message: format!(
                "the {name} would not load in Synapse: {}",
                e.detail().unwrap_or("template syntax error")
            ),
            diagnostics: vec![],
        })
}

#[cfg(test)]
mod tests;
