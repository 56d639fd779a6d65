//! The consent page as Synapse serves it: the exported page's runtime Jinja evaluated with the
//! variables Synapse's consent resource passes (`user`, `userhmac`, `version`, `has_consented`,
//! `public_version`) for one of its three states. What the app's preview switch shows and what
//! the tests assert on; never writes the export (that is [`super::export_consent`]'s).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{ConsentOptions, export_consent};
use crate::error::EngineError;
use crate::template::NoticeTemplate;
use crate::values::TenantValues;

/// Who is looking at the consent page, as Synapse tells the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ConsentState {
    /// No `u` in the link: `public_version`, no form.
    Public,
    /// A signed-in user who has not accepted this version: the form.
    NotAccepted,
    /// A user whose `consent_version` is this version: `has_consented`.
    Accepted,
}

/// The user the preview shows the page to (Synapse passes the `u` of the link as it came).
pub const PREVIEW_USER: &str = "alice";

/// `page` (an exported `en/<version>.html`) rendered as Synapse renders it for `state`, with
/// Jinja2's HTML autoescaping as Synapse's `select_autoescape(["html", …])` sets it. The `h` a
/// real link carries is an HMAC only the homeserver's `form_secret` makes: the preview's is a
/// stand-in. Fails (`Unrenderable`) when the page does not load or render.
pub fn serve_as(page: &str, version: &str, state: ConsentState) -> Result<String, EngineError> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    let public = state == ConsentState::Public;
    let ctx = minijinja::context! {
        user => if public { "" } else { PREVIEW_USER },
        userhmac => if public { minijinja::Value::from(()) } else { "preview-hmac".into() },
        version => version,
        has_consented => state == ConsentState::Accepted,
        public_version => public,
    };
    env.render_str(page, ctx)
        .map_err(|e| EngineError::Unrenderable {
            message: format!(
                "Synapse could not render the consent page: {}",
                e.detail().unwrap_or("template error")
            ),
            diagnostics: vec![],
        })
}

/// What a served page shows inside its `<main>`: the part the preview puts on its paper (the
/// app's preview has its own title bar and stylesheet). The whole page when it has no `<main>`.
pub fn served_body(page: &str) -> &str {
    let Some(open) = page.find("<main") else {
        return page;
    };
    let Some(start) = page[open..].find('>').map(|i| open + i + 1) else {
        return page;
    };
    let end = page
        .rfind("</main>")
        .filter(|&e| e >= start)
        .unwrap_or(page.len());
    page[start..end].trim_matches('\n')
}

/// The body of `t`'s consent page for `values` as Synapse serves it in `state`, one element
/// (`<div class="consent-served" data-state="…">`) so the preview patches it as one block.
/// Refused as the export is (errors remain, not a consent page).
pub fn preview_as(
    t: &NoticeTemplate,
    values: &TenantValues,
    state: ConsentState,
    rendered_at: OffsetDateTime,
) -> Result<String, EngineError> {
    let e = export_consent(
        t,
        values,
        ConsentOptions {
            template_dir: "",
            rendered_at,
        },
    )?;
    let page = e.files.first().map_or("", |f| f.contents.as_str());
    let served = serve_as(page, &e.version, state)?;
    let state = match state {
        ConsentState::Public => "public",
        ConsentState::NotAccepted => "not-accepted",
        ConsentState::Accepted => "accepted",
    };
    Ok(format!(
        "<div class=\"consent-served\" data-state=\"{state}\">\n{}\n</div>",
        served_body(&served)
    ))
}
