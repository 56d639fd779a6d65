//! `notice`: check, render and export notice templates from a terminal. A thin shell over
//! `notice-engine`: argument parsing, output formatting and exit codes live here, nothing else.
//!
//! Exit codes: 0 clean (or warnings only), 1 errors found (`--strict`: warnings too), 2 usage or
//! I/O error.

mod approval;
mod batch;
mod check;
mod consent;
mod report;
mod workspace;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use notice_engine::{
    Diagnostic, EngineError, ExportOptions, NoticeTemplate, Paper, PdfSettings, PdfStandard,
    Severity, Summary, TenantFile, TenantValues, atomic::write_atomic, export_html,
    export_markdown, export_pdf, workspace::order::RowOrder, workspace::publish::PublishFormat,
};

#[derive(Parser)]
#[command(name = "notice", version, about = "Check and render notice templates for tenants", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
        /// Output format.
        #[arg(long, value_enum, default_value_t = To::Html)]
        to: To,
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
        #[arg(long, value_enum, value_delimiter = ',', default_value = "html")]
        formats: Vec<PublishArg>,
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
        #[arg(long, value_enum, value_delimiter = ',', default_value = "html")]
        formats: Vec<PublishArg>,
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
enum ReviewerAction {
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
enum Format {
    /// Compiler-style lines with the source line and a caret.
    Human,
    /// One JSON document on stdout.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SortBy {
    Name,
    Status,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum To {
    Html,
    Md,
    /// Tagged PDF, typeset in-process (PDF/UA-1 unless --pdf-standard says otherwise).
    Pdf,
}

impl To {
    pub(crate) fn extension(self) -> &'static str {
        match self {
            To::Html => "html",
            To::Md => "md",
            To::Pdf => "pdf",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PublishArg {
    Html,
    Pdf,
}

fn publish_formats(formats: Vec<PublishArg>) -> Vec<PublishFormat> {
    formats
        .into_iter()
        .map(|f| match f {
            PublishArg::Html => PublishFormat::Html,
            PublishArg::Pdf => PublishFormat::Pdf,
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffTo {
    Text,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PaperArg {
    A4,
    Letter,
}

/// Exports one document in the format asked for: its bytes and its remaining diagnostics.
pub(crate) fn export(
    t: &NoticeTemplate,
    values: &TenantValues,
    opts: ExportOptions<'_>,
    to: To,
    pdf: &PdfSettings,
) -> Result<(Vec<u8>, Vec<Diagnostic>), EngineError> {
    match to {
        To::Html => export_html(t, values, opts).map(|e| (e.html.into_bytes(), e.diagnostics)),
        To::Md => {
            export_markdown(t, values, opts).map(|e| (e.markdown.into_bytes(), e.diagnostics))
        }
        To::Pdf => export_pdf(t, values, opts, pdf).map(|e| (e.pdf, e.diagnostics)),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            report::engine_error(&e);
            ExitCode::from(2)
        }
    }
}

/// The time written into exports: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
pub(crate) fn export_time() -> time::OffsetDateTime {
    notice_engine::export::export_timestamp(
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        time::OffsetDateTime::now_utc(),
    )
}

fn load_tenant(path: Option<&Path>) -> Result<(Option<TenantFile>, TenantValues), EngineError> {
    match path {
        Some(p) => {
            let (t, _) = TenantFile::load(p)?;
            let v = t.values.clone();
            Ok((Some(t), v))
        }
        None => Ok((None, TenantValues::new())),
    }
}

pub(crate) fn exit_for(summary: Summary, strict: bool) -> ExitCode {
    if summary.errors > 0 || (strict && summary.warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run(cli: Cli) -> Result<ExitCode, EngineError> {
    match cli.command {
        Command::Fields { template, format } => {
            let t = NoticeTemplate::load(&template)?;
            let schema = t.schema();
            match format {
                Format::Json => report::json(&schema),
                Format::Human => report::fields(&schema),
            }
            let problems: Vec<Diagnostic> = t
                .load_diagnostics()
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .cloned()
                .collect();
            if format == Format::Human {
                report::diagnostics(&t, &problems);
            }
            Ok(exit_for(Summary::of(&problems), false))
        }
        Command::Check {
            template,
            tenant,
            strict,
            format,
            fix,
        } => {
            if fix {
                check::apply_fixes(&template, tenant.as_deref())?;
            }
            check::run(&template, tenant.as_deref(), strict, format)
        }
        Command::Render {
            template,
            tenant,
            tenants,
            to,
            output,
            paper,
            pdf_standard,
            draft,
            strict,
            format,
        } => {
            let mut pdf = PdfSettings {
                paper: match paper {
                    PaperArg::A4 => Paper::A4,
                    PaperArg::Letter => Paper::Letter,
                },
                standards: pdf_standard,
                tenant: None,
            };
            if template.is_dir() {
                let (Some(tenants), Some(out)) = (tenants, output) else {
                    eprintln!("error: rendering a folder needs --tenants DIR and -o OUT_DIR");
                    return Ok(ExitCode::from(2));
                };
                return batch::render_all(&template, &tenants, &out, to, &pdf, draft);
            }
            if to == To::Pdf
                && output.is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
            {
                eprintln!("error: a PDF is binary: pass -o FILE.pdf, or redirect the output");
                return Ok(ExitCode::from(2));
            }
            let Some(tenant) = tenant else {
                eprintln!("error: --tenant FILE is required to render a template");
                return Ok(ExitCode::from(2));
            };
            let t = NoticeTemplate::load(&template)?;
            let (tenant_file, values) = load_tenant(Some(&tenant))?;
            pdf.tenant = tenant_file.map(|f| f.tenant);
            let id = notice_engine::tenant::tenant_id(&tenant);
            let subject = notice_engine::approval::Subject {
                tenant: &id,
                template: &t,
                values: &values,
            };
            let signed = if draft {
                None
            } else {
                match notice_engine::approval::for_export(Some(&tenant), subject) {
                    Ok(a) => a,
                    Err(e @ EngineError::ApprovalRequired { .. }) => {
                        report::engine_error(&e);
                        return Ok(ExitCode::from(1));
                    }
                    Err(e) => return Err(e),
                }
            };
            let at = export_time();
            let opts = ExportOptions {
                draft,
                rendered_at: at,
                approval: signed.as_ref(),
            };
            let (bytes, diags) = match export(&t, &values, opts, to, &pdf) {
                Ok(r) => r,
                Err(e @ (EngineError::Refused { .. } | EngineError::Unrenderable { .. })) => {
                    if format == Format::Json {
                        report::json(&e);
                    } else {
                        report::diagnostics(&t, e.diagnostics());
                        eprintln!(
                            "error: nothing written: {} error(s) remain; fix them, or pass --draft for a marked draft",
                            e.diagnostics().len()
                        );
                    }
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e),
            };
            let summary = Summary::of(&diags);
            if strict && summary.warnings > 0 && !draft {
                report::diagnostics(&t, &diags);
                eprintln!("error: nothing written: warnings remain and --strict was given");
                return Ok(ExitCode::from(1));
            }
            match &output {
                Some(p) => {
                    write_atomic(p, &bytes)?;
                    if let Some(a) = &signed
                        && to != To::Md
                    {
                        // Listed with its approval, so `notice verify` can check it.
                        notice_engine::export::manifest::record_in_manifest(
                            p, &t, &values, &bytes, at, a,
                        )?;
                    }
                }
                None => {
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(&bytes);
                }
            }
            if format == Format::Human {
                let shown: Vec<Diagnostic> = diags
                    .into_iter()
                    .filter(|d| d.severity != Severity::Info)
                    .collect();
                report::diagnostics(&t, &shown);
                if let Some(p) = &output {
                    eprintln!(
                        "wrote {}{}",
                        p.display(),
                        if draft { " (draft)" } else { "" }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Status {
            workspace,
            format,
            sort,
        } => {
            let order = match sort {
                SortBy::Name => RowOrder::Name,
                SortBy::Status => RowOrder::Status,
            };
            workspace::print_status(&workspace, format == Format::Json, order)
        }
        Command::Publish {
            workspace,
            tenants,
            output,
            formats,
        } => workspace::run_publish(&workspace, &tenants, output, &publish_formats(formats)),
        Command::Reissue {
            workspace,
            dry_run,
            output,
            formats,
        } => workspace::run_reissue(&workspace, output, &publish_formats(formats), dry_run),
        Command::Diff {
            old,
            new,
            tenant,
            old_tenant,
            to,
            output,
        } => workspace::run_diff(
            &old,
            &new,
            &tenant,
            old_tenant.as_deref(),
            to == DiffTo::Html,
            output.as_deref(),
        ),
        Command::Consent {
            template,
            tenant,
            output,
            template_dir,
        } => consent::run(&template, &tenant, &output, template_dir.as_deref()),
        Command::Reviewer { action } => match action {
            ReviewerAction::New {
                name,
                email,
                key_file,
            } => approval::new_reviewer(&name, &email, key_file.as_deref()),
            ReviewerAction::Show { name, key_file } => {
                approval::show_reviewer(name.as_deref(), key_file.as_deref())
            }
            ReviewerAction::Delete { name } => approval::delete_reviewer(&name),
        },
        Command::Approve {
            template,
            tenant,
            reviewer,
            key_file,
            format,
        } => approval::approve(
            &template,
            &tenant,
            approval::Signer::from_args(reviewer, key_file),
            format == Format::Json,
        ),
        Command::Verify {
            file,
            trusted,
            format,
        } => approval::verify(&file, trusted.as_deref(), format == Format::Json),
        Command::NewTenant {
            template,
            output,
            name,
            force,
        } => {
            let t = NoticeTemplate::load(&template)?;
            if output.exists() && !force {
                eprintln!(
                    "error: {} exists; pass --force to replace it",
                    output.display()
                );
                return Ok(ExitCode::from(2));
            }
            TenantFile::skeleton(&t, name).save(&output)?;
            eprintln!(
                "wrote {} with {} fields; fill it in, then: notice check {} --tenant {}",
                output.display(),
                t.fields.len(),
                template.display(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
