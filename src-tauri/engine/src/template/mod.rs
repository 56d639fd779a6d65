//! Notice templates: loading a file, its front matter and field declarations, its placeholders,
//! and the form schema, and compiles the body ([`jinja`]). Rendering is `render`'s; this module
//! only reads and prepares.

pub mod answers;
pub(crate) mod delimiters;
pub(crate) mod expr;
pub mod fields;
pub mod fix;
pub(crate) mod front_matter;
pub(crate) mod infer;
pub mod jinja;
mod positions;
mod pyjinja;
pub mod runtime;
pub mod scope;
pub mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use regex::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use fields::{Field, FieldOrigin, FieldType};
pub use front_matter::DocumentMeta;
pub use source::Origin;

use crate::diagnostic::{Code, Diagnostic};
use crate::error::{EngineError, read_text};
use crate::token;
use jinja::{Program, Registry, SourceFile};

/// Largest template file accepted: a 1 MB notice is already far beyond any real one.
pub const MAX_TEMPLATE_BYTES: u64 = 8 * 1024 * 1024;

/// A loaded template: its text, front matter, fields and compiled program. Problems found while
/// loading (bad front matter, syntax errors) are kept as diagnostics, not returned as errors, so a
/// broken template still opens and shows what is wrong.
#[derive(Debug)]
pub struct NoticeTemplate {
    /// The file it was loaded from (display only for in-memory templates).
    pub path: PathBuf,
    /// A short identifier: `<folder>/<file>` such as `hosted-homeserver/privacy_notice.md`.
    pub id: String,
    /// The file text as written, with its line endings as `\n`.
    pub source: String,
    /// The front-matter title as written (may hold placeholders).
    pub title_source: Option<String>,
    /// The version from the front matter, when it is semver.
    pub version: Option<semver::Version>,
    /// Document language (front matter `lang`, default `en`).
    pub lang: String,
    /// The form: declared fields in declaration order, then inferred ones in order of first use.
    pub fields: Vec<Field>,
    /// Whether the template declares its fields (front matter or sidecar).
    pub declares_fields: bool,
    /// SHA-256 of the template text and its sidecar.
    pub content_hash: String,
    /// Provider, subject and keywords for export metadata.
    pub meta: DocumentMeta,
    /// The file line the Markdown body starts on.
    pub body_line: u32,
    /// The runtime that serves the exported page (front matter `runtime:`), if any.
    pub runtime: Option<runtime::RuntimeDecl>,
    pub(crate) load_diagnostics: Vec<Diagnostic>,
    pub(crate) program: Option<Program>,
    pub(crate) registry: Arc<Mutex<Registry>>,
    /// The sidecar's path and text as read, for the standalone preview (`check::standalone`).
    pub(crate) sidecar: Option<(PathBuf, String)>,
    /// A consent page's success page, built on first use ([`runtime`]).
    pub(crate) success_page: OnceLock<Box<NoticeTemplate>>,
}

/// What the CLI's `fields` command and the app's form show.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TemplateSchema {
    /// The template's id (`<folder>/<file>`).
    pub id: String,
    /// The template's path, as diagnostics name it.
    pub path: String,
    /// The title as written (may hold placeholders).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The version, when there is one.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The document's language (`en` unless the front matter says otherwise).
    pub lang: String,
    /// True when the template declares its fields (front matter or sidecar).
    pub declares_fields: bool,
    /// Every field, in form order.
    pub fields: Vec<Field>,
    /// SHA-256 of the template text and its sidecar.
    pub content_hash: String,
}

impl NoticeTemplate {
    /// The fields file's text as it was read with the template, if it has one.
    pub fn sidecar_text(&self) -> Option<&str> {
        self.sidecar.as_ref().map(|(_, text)| text.as_str())
    }

    /// Loads a template file and, if present, its `<file>.fields.yaml` sidecar. Fails only when a
    /// file cannot be read; everything wrong *inside* the files becomes a diagnostic.
    pub fn load(path: &Path) -> Result<Self, EngineError> {
        let source = read_text(path, MAX_TEMPLATE_BYTES)?;
        let sidecar_path = sidecar_path(path);
        let sidecar = if sidecar_path.is_file() {
            Some((
                sidecar_path.clone(),
                read_text(&sidecar_path, MAX_TEMPLATE_BYTES)?,
            ))
        } else {
            None
        };
        Ok(Self::from_parts(
            path,
            &source,
            sidecar,
            path.parent().map(Path::to_path_buf),
        ))
    }

    /// Builds a template from text in memory. `include_dir` is the folder `{% include %}` may read
    /// from (none: includes are refused).
    pub fn from_source(path: &Path, source: &str, include_dir: Option<PathBuf>) -> Self {
        Self::from_parts(path, source, None, include_dir)
    }

    /// Builds a template from the text of its file and of its sidecar, for a caller with no file
    /// system: the web view's copy of the engine, which previews as you type. Includes are
    /// refused (see [`NoticeTemplate::includes_files`]).
    pub fn from_texts(path: &Path, source: &str, sidecar: Option<(PathBuf, String)>) -> Self {
        Self::from_parts(path, source, sidecar, None)
    }

    pub(crate) fn from_parts(
        path: &Path,
        source: &str,
        sidecar: Option<(PathBuf, String)>,
        include_dir: Option<PathBuf>,
    ) -> Self {
        let display = path.display().to_string();
        let sidecar_as_read = sidecar.clone();
        let mut diags = Vec::new();
        // Positions count lines at `\n`: a Windows (`\r\n`) or old-Mac (`\r`) file is read with
        // its line breaks as such, and is no reason for a warning.
        // (So the content hash is the same for a checkout with either line ending.)
        let normalized = token::normalize_line_endings(source);
        let source = &*normalized;
        let clean = token::sanitize(source);
        if clean != source {
            diags.push(
                Diagnostic::warning(
                    Code::Syntax,
                    "the template holds control or private-use characters; they are shown as \u{FFFD}",
                )
                .with_path(&display)
                .at(1, 1),
            );
        }
        let split = front_matter::split(&clean);
        let mut fm = front_matter::FrontMatter::default();
        if let Some((yaml, line)) = split.yaml {
            fm = front_matter::parse(yaml, line, &display);
        } else if split.unterminated {
            diags.push(
                front_matter::broken_closing(&clean, &display).unwrap_or_else(|| {
                    Diagnostic::error(
                        Code::FrontMatter,
                        "front matter starts with `---` but never ends",
                    )
                    .with_path(&display)
                    .at(1, 1)
                    .with_hint("close it with a line holding only `---`")
                }),
            );
        } else if let Some(d) = front_matter::near_miss(&clean, &display) {
            diags.push(d);
        } else {
            diags.push(
                Diagnostic::warning(
                    Code::FrontMatter,
                    "no front matter: the document has no title or version",
                )
                .with_path(&display)
                .at(1, 1)
                .with_hint("start the file with `---`, `title: …`, `version: 1.0.0`, `---`"),
            );
        }
        diags.append(&mut fm.diagnostics);
        if split.yaml.is_some() && split.body.trim().is_empty() {
            diags.push(
                Diagnostic::warning(
                    Code::FrontMatter,
                    "the template has no text after its front matter: the document would be empty",
                )
                .with_path(&display)
                .at(split.body_line, 1)
                .with_hint("write the notice below the closing `---`"),
            );
        }

        let mut decls = Vec::new();
        let mut sidecar_meta = DocumentMeta::default();
        let mut hasher = Sha256::new();
        hasher.update(source.as_bytes());
        if let Some((sp, text)) = &sidecar {
            hasher.update(b"\0sidecar\0");
            hasher.update(text.as_bytes());
            let (d, m, mut problems) = front_matter::parse_sidecar(text, &sp.display().to_string());
            diags.append(&mut problems);
            sidecar_meta = m;
            decls.extend(d.into_iter().map(|(d, l)| (d, l, sp.display().to_string())));
        }
        decls.extend(fm.fields.into_iter().map(|(d, l)| (d, l, display.clone())));
        let declares_fields = !decls.is_empty();
        let mut fields: Vec<Field> = Vec::new();
        for (decl, line, file) in decls {
            if decl.kind == Some(FieldType::Choice) && decl.options.is_empty() {
                diags.push(
                    Diagnostic::error(
                        Code::FrontMatter,
                        format!("choice field `{}` has no options", decl.name),
                    )
                    .with_field(&decl.name)
                    .with_path(&file)
                    .at(line, 1),
                );
            }
            if let Some(existing) = fields.iter_mut().find(|f| f.name == decl.name) {
                // Front matter refines the sidecar: the later declaration wins.
                *existing = decl.into_field();
            } else {
                fields.push(decl.into_field());
            }
        }

        let registry = Arc::new(Mutex::new(Registry::default()));
        {
            let mut r = registry.lock().unwrap_or_else(|e| e.into_inner());
            r.runtime = fm.runtime.as_ref().map(|d| d.runtime);
            let file = Arc::new(SourceFile::new(display.clone(), clean.to_string()));
            // The title (file 1) is part of the same file.
            r.files.push(Arc::clone(&file));
            r.files.push(file);
        }
        let body_origin = Origin {
            line: split.body_line,
            column: 1,
        };
        let title = fm.title.as_ref().map(|(t, o)| (t.as_str(), *o));
        let program = match Program::compile(
            Arc::clone(&registry),
            split.body,
            body_origin,
            title,
            include_dir,
        ) {
            Ok(p) => Some(p),
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        Code::Syntax,
                        format!("template syntax error: {}", e.message),
                    )
                    .with_path(&display)
                    .at(e.line, e.column)
                    .with_hint(
                        "check that every `{{` has its `}}` and every `{%` block its end tag",
                    ),
                );
                None
            }
        };

        let mut template = NoticeTemplate {
            id: template_id(path),
            path: path.to_owned(),
            source: source.to_owned(),
            title_source: fm.title.map(|(t, _)| t),
            version: fm.version,
            lang: fm.lang.unwrap_or_else(|| "en".into()),
            fields,
            declares_fields,
            content_hash: hex::encode(hasher.finalize()),
            meta: fm.meta.or(sidecar_meta),
            body_line: split.body_line,
            runtime: fm.runtime,
            load_diagnostics: diags,
            program,
            registry,
            sidecar: sidecar_as_read,
            success_page: OnceLock::new(),
        };
        template.discover_fields();
        template
    }

    /// Runs the template once with no values so includes are loaded and every placeholder is
    /// known, keeps only the names the template reads from outside (its loop targets, macro
    /// parameters and `set` variables are its own), then infers undeclared fields from how they
    /// are used and counts uses.
    fn discover_fields(&mut self) {
        let Some(program) = &self.program else {
            return;
        };
        let _ = program.run(jinja::BODY, &BTreeMap::new(), (0, self.body_line));
        let mut all_vars: Vec<String> = program
            .undeclared()
            .into_iter()
            .filter(|n| !is_builtin_name(n))
            .collect();
        if let Some(rt) = self.runtime.as_ref().map(|d| d.runtime) {
            self.runtime_misspellings(rt, &mut all_vars);
        }
        let globals: BTreeSet<String> = all_vars.into_iter().collect();
        let mut r = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        for site in &mut r.sites {
            if !site.at.legacy {
                site.vars.retain(|v| globals.contains(v));
            }
        }
        let mut uses: BTreeMap<String, u32> = BTreeMap::new();
        let mut legacy_order: Vec<String> = Vec::new();
        for site in &r.sites {
            let mut names: BTreeSet<&str> = site.vars.iter().map(String::as_str).collect();
            if let Some(t) = &site.at.target
                && (globals.contains(&t.field) || site.at.legacy)
            {
                names.insert(t.field.as_str());
            }
            for n in names {
                *uses.entry(n.to_owned()).or_insert(0) += 1;
            }
            if site.at.legacy && !legacy_order.contains(&site.at.expr) {
                legacy_order.push(site.at.expr.clone());
            }
        }
        if !self.declares_fields {
            let mut inferred: Vec<Field> = infer::shapes(&r.tags, &globals)
                .iter()
                .filter(|(name, _)| !self.fields.iter().any(|f| &f.name == name))
                .map(|(name, shape)| infer::to_field(name, shape))
                .collect();
            for name in legacy_order {
                if !inferred.iter().chain(&self.fields).any(|f| f.name == name) {
                    inferred.push(infer::printed_field(&name));
                }
            }
            self.fields.extend(inferred);
        }
        for f in &mut self.fields {
            f.uses = uses.get(f.name.as_str()).copied().unwrap_or(0);
        }
    }

    /// Reports names that look like a misspelled runtime name (`has_consentd`) and drops them
    /// from `vars`, so they are not offered as form fields.
    fn runtime_misspellings(&mut self, rt: runtime::Runtime, vars: &mut Vec<String>) {
        let fields: BTreeSet<String> = self.fields.iter().map(|f| f.name.clone()).collect();
        let bad: Vec<(String, &str)> =
            runtime::misspelled(rt, vars.iter().map(String::as_str), |n| fields.contains(n))
                .into_iter()
                .map(|(n, s)| (n.to_owned(), s))
                .collect();
        for (name, meant) in &bad {
            let (line, column) = first_identifier(&self.source, name);
            self.load_diagnostics.push(
                Diagnostic::error(
                    Code::UnknownField,
                    format!("`{name}` is not a name {} provides", rt.as_str()),
                )
                .with_field(name)
                .with_path(self.path.display().to_string())
                .at(line, column)
                .with_hint(format!("did you mean `{meant}`?")),
            );
        }
        vars.retain(|v| !bad.iter().any(|(n, _)| n == v));
    }

    /// The form schema.
    pub fn schema(&self) -> TemplateSchema {
        TemplateSchema {
            id: self.id.clone(),
            path: self.path.display().to_string(),
            title: self.title_source.clone(),
            version: self.version.as_ref().map(ToString::to_string),
            lang: self.lang.clone(),
            declares_fields: self.declares_fields,
            fields: self.fields.clone(),
            content_hash: self.content_hash.clone(),
        }
    }

    /// Whether an answer under `key` is one this template reads: a field's name, or a name it
    /// was `renamed_from`.
    pub fn reads(&self, key: &str) -> bool {
        self.fields
            .iter()
            .any(|f| f.name == key || f.renamed_from.iter().any(|r| r == key))
    }

    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Diagnostics found while loading (front matter, declarations, syntax).
    pub fn load_diagnostics(&self) -> &[Diagnostic] {
        &self.load_diagnostics
    }

    /// Whether rendering reads other files (`{% include %}`, `import`, `from`, `extends`), or
    /// tries to: such a template renders only where its folder can be read. Errs on the side of
    /// yes (a tag inside a comment counts too).
    pub fn includes_files(&self) -> bool {
        static LOADS: LazyLock<Option<Regex>> =
            LazyLock::new(|| Regex::new(r"\{%[-+]?\s*(?:include|import|from|extends)\b").ok());
        // Files 0 and 1 are the template itself (its body and its title); includes come after.
        let loaded = self
            .registry
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .len()
            > 2;
        // Without the pattern (it always compiles), say yes: the app then previews alone.
        loaded || LOADS.as_ref().is_none_or(|re| re.is_match(&self.source))
    }

    /// True when the template compiled and can render.
    pub fn is_renderable(&self) -> bool {
        self.program.is_some()
    }
}

/// `<file>.fields.yaml` beside a template: `privacy_notice.md` → `privacy_notice.md.fields.yaml`
/// is accepted, as is `privacy_notice.fields.yaml`.
pub fn sidecar_path(template: &Path) -> PathBuf {
    let stem = template
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let by_stem = template.with_file_name(format!("{stem}.fields.yaml"));
    if by_stem.is_file() {
        return by_stem;
    }
    let name = template
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    template.with_file_name(format!("{name}.fields.yaml"))
}

/// `<parent folder>/<file name>`, the id exports and manifests carry.
pub fn template_id(path: &Path) -> String {
    let file = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match path.parent().and_then(|p| p.file_name()) {
        Some(parent) => format!("{}/{file}", parent.to_string_lossy()),
        None => file,
    }
}

/// The 1-based line and byte column of `name`'s first use as a whole word in `text`.
fn first_identifier(text: &str, name: &str) -> (u32, u32) {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let at = text
        .match_indices(name)
        .map(|(i, _)| i)
        .find(|&i| (i == 0 || !word(b[i - 1])) && b.get(i + name.len()).is_none_or(|c| !word(*c)));
    at.map_or((1, 1), |i| source::LineIndex::new(text).locate(i))
}

/// Names minijinja provides itself (loop, range, …): never fields.
fn is_builtin_name(name: &str) -> bool {
    matches!(
        name,
        "loop"
            | "range"
            | "dict"
            | "namespace"
            | "debug"
            | "self"
            | "super"
            | "varargs"
            | "kwargs"
            | "caller"
    )
}
