//! A template as plain data, for rendering the live preview where there is no file system: the
//! web view's copy of the engine (the `engine-wasm` crate) builds the very same template from
//! these texts and renders each keystroke in the same frame, without a round trip to the app.
//! The app still renders every keystroke itself and its answer is what counts; this only lets
//! the preview show it sooner.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::render_preview;
use crate::render::RenderedNotice;
use crate::template::NoticeTemplate;
use crate::template::answers::answers;
use crate::values::TenantValues;

/// Everything a standalone engine needs to preview a template exactly as the app does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PreviewSource {
    /// The template's path, as diagnostics name it.
    pub path: String,
    /// The template file's text.
    pub source: String,
    /// The `.fields.yaml` sidecar's path, when there is one.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecar_path: Option<String>,
    /// The `.fields.yaml` sidecar's text.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecar: Option<String>,
    /// Answer keys left out before rendering: those only sibling documents of its family read
    /// (see [`crate::template::answers`]).
    pub sibling_keys: Vec<String>,
}

impl PreviewSource {
    /// The texts of `t`; none when it includes other files, which only the app can read.
    pub fn of(t: &NoticeTemplate, sibling_keys: BTreeSet<String>) -> Option<Self> {
        if t.includes_files() {
            return None;
        }
        let (sidecar_path, sidecar) = match &t.sidecar {
            Some((p, text)) => (Some(p.display().to_string()), Some(text.clone())),
            None => (None, None),
        };
        Some(Self {
            path: t.path.display().to_string(),
            source: t.source.clone(),
            sidecar_path,
            sidecar,
            sibling_keys: sibling_keys.into_iter().collect(),
        })
    }

    /// Builds the template again from its texts.
    pub fn build(&self) -> StandalonePreview {
        let sidecar = match (&self.sidecar_path, &self.sidecar) {
            (Some(p), Some(text)) => Some((PathBuf::from(p), text.clone())),
            _ => None,
        };
        StandalonePreview {
            template: NoticeTemplate::from_texts(Path::new(&self.path), &self.source, sidecar),
            sibling_keys: self.sibling_keys.iter().cloned().collect(),
        }
    }
}

/// A template built from a [`PreviewSource`], ready to render previews.
pub struct StandalonePreview {
    template: NoticeTemplate,
    sibling_keys: BTreeSet<String>,
}

impl StandalonePreview {
    /// The preview for `values`: what the app's `render_preview` gives for the same answers.
    pub fn render(&self, values: &TenantValues) -> RenderedNotice {
        render_preview(&self.template, &answers(values, &self.sibling_keys))
    }

    /// The template built from the texts.
    pub fn template(&self) -> &NoticeTemplate {
        &self.template
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::FieldValue;

    fn json(r: &RenderedNotice) -> String {
        serde_json::to_string(r).unwrap()
    }

    #[test]
    fn a_template_rebuilt_from_its_texts_previews_byte_for_byte_alike() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notice.md");
        std::fs::write(
            &path,
            "---\ntitle: Notice for {{ name }}\nversion: 1.0.0\n---\n# Notice for {{ name }}\n\n\
             Contact **{{ email }}**. See section 9.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("notice.fields.yaml"),
            "fields:\n  email:\n    type: email\n    required: true\n",
        )
        .unwrap();
        let t = NoticeTemplate::load(&path).unwrap();
        let source = PreviewSource::of(&t, BTreeSet::from(["other".to_owned()])).unwrap();
        assert!(source.sidecar.is_some());
        let local = source.build();
        for values in [
            TenantValues::new(),
            TenantValues::from([
                ("name".to_owned(), FieldValue::Text("Acme <b>".into())),
                ("email".to_owned(), FieldValue::Text("not an email".into())),
                ("other".to_owned(), FieldValue::Text("a sibling's".into())),
                ("stray".to_owned(), FieldValue::Text("unknown".into())),
            ]),
        ] {
            let mut without = values.clone();
            without.remove("other");
            assert_eq!(
                json(&local.render(&values)),
                json(&render_preview(&t, &without))
            );
        }
    }

    #[test]
    fn templates_that_include_files_are_left_to_the_app() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("part.md"), "Part.\n").unwrap();
        let path = dir.path().join("notice.md");
        std::fs::write(&path, "# N\n\n{% include \"part.md\" %}\n").unwrap();
        let t = NoticeTemplate::load(&path).unwrap();
        assert!(PreviewSource::of(&t, BTreeSet::new()).is_none());
    }
}
