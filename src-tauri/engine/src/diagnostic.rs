//! Diagnostics: what the checks report, with a stable code, the template position and the field.
//! A leaf: only data lives here; the checks that produce diagnostics live in `check`.

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is. Errors block a non-draft export; warnings and infos never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Severity {
    /// The document would be wrong: export is refused.
    Error,
    /// Probably wrong, worth a look; export goes ahead.
    Warning,
    /// For the record (unused declarations, resolved references).
    Info,
}

impl Severity {
    /// The lower-case word used in compiler-style output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Stable diagnostic codes. Tests, the UI and scripts match on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[non_exhaustive]
pub enum Code {
    /// A placeholder whose field has no value (or only whitespace).
    UnfilledPlaceholder,
    /// A placeholder or tenant value naming a field the template does not know.
    UnknownField,
    /// A value that fails its field's type.
    InvalidValue,
    /// An emphasis delimiter that pairs with nothing and would print literally.
    UnpairedEmphasis,
    /// Emphasis that pairs only while a field is non-empty, or bold nested in bold around a placeholder.
    FragileEmphasis,
    /// Template syntax (`{{`, `{%`, `%%NAME%%`) left in the output.
    LeftoverPlaceholder,
    /// Front matter missing, malformed, or without a title and semver version.
    FrontMatter,
    /// The front-matter title and the first heading say different things.
    TitleMismatch,
    /// "section N.N" naming no numbered heading.
    DanglingSectionRef,
    /// "section N.N" resolved to a heading: shown so reviewers can confirm it is the intended one.
    SectionRef,
    /// Jinja or YAML syntax error.
    Syntax,
    /// Rendering failed: an include outside the template folder, a runaway loop, a type error.
    RenderError,
    /// A declared field no placeholder uses.
    UnusedField,
    /// A `%%NAME%%` placeholder from the legacy syntax.
    LegacyPlaceholder,
    /// Raw HTML in the template, which is never rendered.
    RawHtml,
    /// A link whose destination is unsafe or built from an invalid value.
    UnsafeLink,
    /// The workspace requires a legal approval before export and none holds for this document.
    NotApproved,
    /// Section numbers that repeat, skip a number, or headings that skip a level or repeat the
    /// title's level.
    SectionNumbering,
    /// A reference ("see 2.5") to a number several headings carry.
    AmbiguousSectionRef,
    /// A link that cannot work as written: no scheme, a `mailto:` that is no address, an email
    /// address without `mailto:`.
    BrokenLink,
    /// A name used rarely and within a small edit distance of one used often: a likely typo.
    LikelyTypo,
    /// Placeholder syntax of another tool (`%{name}`, `{name}`, `[INSERT …]`, `$NAME`) in the text.
    ForeignPlaceholder,
    /// An invisible or bidirectional control character in a value.
    InvisibleCharacter,
    /// A host name whose labels mix scripts or imitate Latin letters (shown as punycode).
    ConfusableHost,
    /// The same key twice in a tenant file; the last one wins.
    DuplicateKey,
    /// A file beside the documents (manifest, history) that cannot be read; left untouched.
    UnreadableFile,
}

impl Code {
    /// The kebab-case code as shown to users (`unfilled-placeholder`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnfilledPlaceholder => "unfilled-placeholder",
            Code::UnknownField => "unknown-field",
            Code::InvalidValue => "invalid-value",
            Code::UnpairedEmphasis => "unpaired-emphasis",
            Code::FragileEmphasis => "fragile-emphasis",
            Code::LeftoverPlaceholder => "leftover-placeholder",
            Code::FrontMatter => "front-matter",
            Code::TitleMismatch => "title-mismatch",
            Code::DanglingSectionRef => "dangling-section-ref",
            Code::SectionRef => "section-ref",
            Code::Syntax => "syntax",
            Code::RenderError => "render-error",
            Code::UnusedField => "unused-field",
            Code::LegacyPlaceholder => "legacy-placeholder",
            Code::RawHtml => "raw-html",
            Code::UnsafeLink => "unsafe-link",
            Code::NotApproved => "not-approved",
            Code::SectionNumbering => "section-numbering",
            Code::AmbiguousSectionRef => "ambiguous-section-ref",
            Code::BrokenLink => "broken-link",
            Code::LikelyTypo => "likely-typo",
            Code::ForeignPlaceholder => "foreign-placeholder",
            Code::InvisibleCharacter => "invisible-character",
            Code::ConfusableHost => "confusable-host",
            Code::DuplicateKey => "duplicate-key",
            Code::UnreadableFile => "unreadable-file",
        }
    }

    /// One line saying what the code means (SARIF rule descriptions, the README).
    pub fn describe(self) -> &'static str {
        match self {
            Code::UnfilledPlaceholder => "a placeholder whose field has no value",
            Code::UnknownField => {
                "a placeholder or tenant value naming a field the template does not know"
            }
            Code::InvalidValue => "a value that fails its field's type",
            Code::UnpairedEmphasis => {
                "an emphasis delimiter that pairs with nothing and prints literally"
            }
            Code::FragileEmphasis => {
                "emphasis that pairs only while a field is filled, or bold nested in bold"
            }
            Code::LeftoverPlaceholder => "template syntax left in the output",
            Code::FrontMatter => {
                "front matter missing, broken or without a title and semver version"
            }
            Code::TitleMismatch => "the front-matter title and the first heading differ",
            Code::DanglingSectionRef => "a section reference naming no numbered heading",
            Code::SectionRef => "a section reference and the heading it lands on",
            Code::Syntax => "Jinja or YAML syntax error",
            Code::RenderError => "rendering failed",
            Code::UnusedField => "a declared field no placeholder uses",
            Code::LegacyPlaceholder => "a %%NAME%% placeholder from the legacy syntax",
            Code::RawHtml => "raw HTML in the template, which is never rendered",
            Code::UnsafeLink => "a link whose destination is unsafe or built from an invalid value",
            Code::NotApproved => "no legal approval holds for this document",
            Code::SectionNumbering => {
                "section numbers repeated or skipped, heading levels skipped, several H1s"
            }
            Code::AmbiguousSectionRef => "a reference to a number several headings carry",
            Code::BrokenLink => "a link that cannot work as written",
            Code::LikelyTypo => "a rarely used name close to a name used often",
            Code::ForeignPlaceholder => "placeholder syntax of another tool left in the text",
            Code::InvisibleCharacter => {
                "an invisible or bidirectional control character in a value"
            }
            Code::ConfusableHost => "a host name mixing scripts or imitating Latin letters",
            Code::DuplicateKey => "the same key twice in a tenant file",
            Code::UnreadableFile => "a manifest or history that cannot be read, left untouched",
        }
    }

    /// Every code, in declaration order (for reports and documentation).
    pub const ALL: [Code; 26] = [
        Code::UnfilledPlaceholder,
        Code::UnknownField,
        Code::InvalidValue,
        Code::UnpairedEmphasis,
        Code::FragileEmphasis,
        Code::LeftoverPlaceholder,
        Code::FrontMatter,
        Code::TitleMismatch,
        Code::DanglingSectionRef,
        Code::SectionRef,
        Code::Syntax,
        Code::RenderError,
        Code::UnusedField,
        Code::LegacyPlaceholder,
        Code::RawHtml,
        Code::UnsafeLink,
        Code::NotApproved,
        Code::SectionNumbering,
        Code::AmbiguousSectionRef,
        Code::BrokenLink,
        Code::LikelyTypo,
        Code::ForeignPlaceholder,
        Code::InvisibleCharacter,
        Code::ConfusableHost,
        Code::DuplicateKey,
        Code::UnreadableFile,
    ];

    /// The code for its kebab-case name.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One problem (or note) found in a template and a tenant's values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The stable code (`unknown-field`).
    pub code: Code,
    /// What is wrong, one sentence.
    pub message: String,
    /// The field concerned, if any: the UI focuses its input.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Where inside the field, for a value in a list or record: `subprocessors[1].name`.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_path: Option<String>,
    /// The file the position refers to (template, included file, sidecar or tenant file).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line in `path`.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (in characters) in `path`.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// How many characters the problem spans on its line (for the caret).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
    /// What to do about it.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// A mechanical fix the app can offer: replace `old` by `new` at a place in `path`.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Box<Fix>>,
}

/// A change to a template file that fixes a diagnostic: at `line`, from character `column`,
/// the text `old` becomes `new`. Applied only when `old` is still there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Fix {
    /// 1-based line in the diagnostic's `path`.
    pub line: u32,
    /// 1-based column (in characters) where `old` starts.
    pub column: u32,
    /// The text to replace.
    pub old: String,
    /// The text to put in its place.
    pub new: String,
}

impl Diagnostic {
    /// A diagnostic with no position yet; add one with the builder methods.
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            field: None,
            field_path: None,
            path: None,
            line: None,
            column: None,
            length: None,
            hint: None,
            fix: None,
        }
    }

    /// Shorthand for an error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// Shorthand for a warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// Shorthand for an info.
    pub fn info(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, message)
    }

    /// Names the field concerned.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Names where inside the field (a list row, a record attribute).
    pub fn with_field_path(mut self, path: impl Into<String>) -> Self {
        self.field_path = Some(path.into());
        self
    }

    /// Sets the file the position refers to.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Sets a 1-based line and column.
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self
    }

    /// Sets how many characters the problem spans.
    pub fn spanning(mut self, length: u32) -> Self {
        self.length = Some(length.max(1));
        self
    }

    /// Adds advice.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Offers a mechanical fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }

    /// Sort key: file position first, then severity, so reports read top to bottom.
    pub(crate) fn sort_key(&self) -> (u8, u32, u32, Severity, Code) {
        // Position-less diagnostics (about the tenant file as a whole) come last.
        let positioned = if self.line.is_some() { 0 } else { 1 };
        (
            positioned,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            self.code,
        )
    }
}

/// Counts by severity, as the Problems panel and the CLI summary show them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Summary {
    /// Number of errors.
    pub errors: u32,
    /// Number of warnings.
    pub warnings: u32,
    /// Number of infos.
    pub infos: u32,
}

impl Summary {
    /// Counts the diagnostics by severity.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

/// Sorts diagnostics by position and removes exact duplicates.
pub(crate) fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(Diagnostic::sort_key);
    diags.dedup();
    diags
}
