//! The command line: every command, its arguments and their values, as clap reads them.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use notice_engine::PdfStandard;
use notice_engine::export::ExportFormat;

use crate::check;

#[derive(Parser)]
#[command(name = "notice", version, about = "Check and render notice templates for tenants", long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Print the form schema of a template: its fields, types, labels and defaults.
    Fields {
        /// The template (Markdown with front matter and Jinja placeholders).
        template: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Check a template, or every template below a folder (each folder one family), alone or
    /// with a tenant's values.
    Check {
        /// A template file, or a folder of templates.
        template: PathBuf,
        /// A tenant file (JSON); without one every placeholder is reported unfilled.
        #[arg(long)]
        tenant: Option<PathBuf>,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = check::CheckFormat::Human)]
        format: check::CheckFormat,
        /// Apply the mechanical fixes (a typo'd name, a missing `mailto:`, a broken front-matter
        /// delimiter) to the files, then check again and report what is left.
        #[arg(long)]
        fix: bool,
    },
    /// Render a template for a tenant, or every template in a folder for every tenant in a folder.
    Render {
        /// A template file, or a folder of templates (then --tenants and -o are required).
        template: PathBuf,
        /// The tenant file.
        #[arg(long, conflicts_with = "tenants")]
        tenant: Option<PathBuf>,
        /// A folder of tenant files (batch mode).
        #[arg(long)]
        tenants: Option<PathBuf>,
        /// Output format: html, md, or pdf (tagged, typeset in-process; PDF/UA-1 unless
        /// --pdf-standard says otherwise).
        #[arg(long, default_value = "html", value_parser = format_arg(&["html", "md", "pdf"]))]
        to: ExportFormat,
        /// Output file (single) or folder (batch). Single mode prints to stdout without it.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Paper size for PDF.
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        /// PDF standards to conform to (always tagged): ua-1, a-2a, a-2b; one PDF/A may be
        /// combined with ua-1 (`--pdf-standard a-2a,ua-1`).
        #[arg(long, value_delimiter = ',', default_value = "ua-1")]
        pdf_standard: Vec<PdfStandard>,
        /// Export despite errors, with a visible DRAFT banner.
        #[arg(long)]
        draft: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Show every tenant × document of a workspace: up to date, changed, never exported,
    /// outdated (and whether users must accept again), or blocked by problems.
    Status {
        /// The workspace folder (templates/<family>/*.md, tenants/*.json, history.jsonl).
        workspace: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Row order: by tenant name (numbers by value), or problems first, then outdated,
        /// changed, never exported, up to date.
        #[arg(long, value_enum, default_value_t = SortBy::Name)]
        sort: SortBy,
    },
    /// Export every document of a workspace for its tenants ("Export all"), into
    /// OUT/<tenant>/privacy_policy/<lang>/<document>.<ext> with a manifest, recorded in the history.
    Publish {
        workspace: PathBuf,
        /// Only these tenants (ids: file names without .json); all when none given.
        #[arg(long = "tenant")]
        tenants: Vec<String>,
        /// Where exports go (default: WORKSPACE/exports).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, value_delimiter = ',', default_value = "html", value_parser = format_arg(&["html", "pdf"]))]
        formats: Vec<ExportFormat>,
    },
    /// Re-export every tenant with a document behind its template's current version.
    Reissue {
        workspace: PathBuf,
        /// Only list the tenants that would be re-issued.
        #[arg(long)]
        dry_run: bool,
        /// Where exports go (default: WORKSPACE/exports).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Formats to write.
        #[arg(long, value_delimiter = ',', default_value = "html", value_parser = format_arg(&["html", "pdf"]))]
        formats: Vec<ExportFormat>,
    },
    /// Redline: the rendered document of one template version against another, for a tenant.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// The tenant's values (used for both sides unless --old-tenant is given).
        #[arg(long)]
        tenant: PathBuf,
        /// The tenant's values at the old version.
        #[arg(long)]
        old_tenant: Option<PathBuf>,
        /// `text` (`[-old-]{+new+}`, as git diff --word-diff) or a self-contained HTML page.
        #[arg(long, value_enum, default_value_t = DiffTo::Text)]
        to: DiffTo,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Export a Synapse consent page (a template with `runtime: synapse-consent`) for a tenant:
    /// DIR/en/<version>.html, DIR/en/success.html and DIR/user_consent.yaml (the
    /// `user_consent:` section of homeserver.yaml, also printed).
    Consent {
        template: PathBuf,
        #[arg(long)]
        tenant: PathBuf,
        /// The template_dir to write into (Synapse's `user_consent.template_dir`).
        #[arg(short, long)]
        output: PathBuf,
        /// The template_dir as the homeserver will read it (default: the output folder).
        #[arg(long)]
        template_dir: Option<String>,
    },
    /// Write a tenant file with every field of a template, ready to fill in.
    NewTenant {
        template: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        /// The tenant's display name.
        #[arg(long, default_value = "New tenant")]
        name: String,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Manage your reviewer signing key (kept in the OS keychain).
    Reviewer {
        #[command(subcommand)]
        action: ReviewerAction,
    },
    /// Approve a document for a tenant as it renders now: signs it with the reviewer's key and
    /// stores the approval beside the tenant file (TENANT.approvals.json).
    Approve {
        template: PathBuf,
        #[arg(long)]
        tenant: PathBuf,
        /// The reviewer whose key (in the OS keychain) signs.
        #[arg(long, required_unless_present = "key_file")]
        reviewer: Option<String>,
        /// Sign with a passphrase-protected key file instead of the keychain (passphrase from
        /// NOTICE_KEY_PASSPHRASE, or asked for).
        #[arg(long)]
        key_file: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Verify an exported HTML or PDF: unchanged since export (its manifest), approved (by whom,
    /// when) and unchanged since approval, signed by a trusted key. Exit 1 when anything fails.
    Verify {
        file: PathBuf,
        /// The trusted-reviewers file (default: the first trusted-reviewers.txt above the file).
        #[arg(long)]
        trusted: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReviewerAction {
    /// Create a signing key: the secret goes into the OS keychain, the public line (for
    /// trusted-reviewers.txt) is printed.
    New {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// Opt out of the keychain: write the key to this new file, encrypted under a
        /// passphrase (Argon2id + XChaCha20-Poly1305). The passphrase comes from
        /// NOTICE_KEY_PASSPHRASE, or is asked for twice.
        #[arg(long)]
        key_file: Option<PathBuf>,
    },
    /// Print the public line of a stored key (by name), or of a key file.
    Show {
        #[arg(required_unless_present = "key_file")]
        name: Option<String>,
        #[arg(long, conflicts_with = "name")]
        key_file: Option<PathBuf>,
    },
    /// Delete a stored key from the keychain.
    Delete { name: String },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Compiler-style lines with the source line and a caret.
    Human,
    /// One JSON document on stdout.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SortBy {
    Name,
    Status,
}

/// An export format as an argument: one of `names`, parsed into the engine's [`ExportFormat`].
fn format_arg(names: &'static [&'static str]) -> impl TypedValueParser<Value = ExportFormat> {
    PossibleValuesParser::new(names).try_map(|s| s.parse::<ExportFormat>())
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffTo {
    Text,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PaperArg {
    A4,
    Letter,
}
