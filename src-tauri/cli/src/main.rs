//! `notice`: check, render and export notice templates from a terminal. A thin shell over
//! `notice-engine`: this file only dispatches; the arguments are in [`args`], each command's work
//! in its module (render, batch, workspace, approval, check, consent) and output in [`report`].
//!
//! Exit codes: 0 clean (or warnings only), 1 errors found (`--strict`: warnings too), 2 usage or
//! I/O error.

mod approval;
mod args;
mod batch;
mod check;
mod consent;
mod render;
mod report;
mod tenant;
mod workspace;

use std::process::ExitCode;

use clap::Parser;
use notice_engine::workspace::order::RowOrder;
use notice_engine::{EngineError, Paper, PdfSettings, Summary};

use args::{Cli, Command, DiffTo, Format, PaperArg, ReviewerAction, SortBy};
pub(crate) use render::export_time;

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

pub(crate) fn exit_for(summary: Summary, strict: bool) -> ExitCode {
    if summary.errors > 0 || (strict && summary.warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run(cli: Cli) -> Result<ExitCode, EngineError> {
    match cli.command {
        Command::Fields { template, format } => tenant::fields(&template, format == Format::Json),
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
            let pdf = PdfSettings {
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
            render::render_one(render::RenderArgs {
                template,
                tenant,
                to,
                output,
                pdf,
                draft,
                strict,
                json: format == Format::Json,
            })
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
        } => workspace::run_publish(&workspace, &tenants, output, &formats),
        Command::Reissue {
            workspace,
            dry_run,
            output,
            formats,
        } => workspace::run_reissue(&workspace, output, &formats, dry_run),
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
        } => tenant::new_tenant(&template, &output, name, force),
    }
}
