//! Terminal output: compiler-style diagnostics (`path:line:col: error[code]: message`, the source
//! line and a caret), the fields table, summaries and JSON.

use anstream::{eprintln, println};
use anstyle::{AnsiColor, Style};
use notice_engine::template::TemplateSchema;
use notice_engine::{Diagnostic, EngineError, NoticeTemplate, Severity, Summary};

const WIDTH: usize = 100;
/// Diagnostics printed in full; past it, a count (a template with 100,000 unfilled placeholders
/// would otherwise print 300,000 lines). `--format json` lists every one.
const SHOWN: usize = 500;

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default().bold(),
    }
}

/// Prints `value` as pretty JSON on stdout (straight to it: JSON carries no styles to strip).
pub fn json<T: serde::Serialize>(value: &T) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!("error: cannot write JSON: {e}");
    }
}

/// Prints an engine error on stderr.
pub fn engine_error(e: &EngineError) {
    let red = AnsiColor::Red.on_default().bold();
    eprintln!("{red}error{red:#}: {e}");
}

/// Prints diagnostics on stderr, each with its source line and a caret (the first [`SHOWN`]; a
/// count of the rest).
pub fn diagnostics(t: &NoticeTemplate, diags: &[Diagnostic]) {
    let bold = Style::new().bold();
    let blue = AnsiColor::Blue.on_default().bold();
    let mut sources = Sources::new(t);
    for d in diags.iter().take(SHOWN) {
        let st = severity_style(d.severity);
        let place = match (&d.path, d.line, d.column) {
            (Some(p), Some(l), Some(c)) => format!("{p}:{l}:{c}: "),
            (Some(p), Some(l), None) => format!("{p}:{l}: "),
            (Some(p), None, _) => format!("{p}: "),
            (None, _, _) => String::new(),
        };
        let field = d
            .field
            .as_deref()
            .map(|f| format!(" [{f}]"))
            .unwrap_or_default();
        eprintln!(
            "{bold}{place}{bold:#}{st}{}[{}]{st:#}: {bold}{}{bold:#}{field}",
            d.severity.as_str(),
            d.code.as_str(),
            d.message
        );
        if let (Some(line), Some(col)) = (d.line, d.column)
            && let Some(text) = sources.line(d.path.as_deref(), line)
        {
            let (shown, caret_at) = window(text, col as usize);
            let width = line.to_string().len();
            let carets = "^".repeat(d.length.unwrap_or(1).clamp(1, 40) as usize);
            eprintln!("{blue}{:>width$} |{blue:#} {shown}", line);
            eprintln!(
                "{blue}{:>width$} |{blue:#} {}{st}{carets}{st:#}",
                "",
                " ".repeat(caret_at)
            );
        }
        if let Some(h) = &d.hint {
            eprintln!("  {blue}= help:{blue:#} {h}");
        }
    }
    if diags.len() > SHOWN {
        eprintln!(
            "{bold}… and {} more not shown{bold:#} (`--format json` lists every one)",
            diags.len() - SHOWN
        );
    }
}

/// The lines of the files diagnostics point into, each file read and split once.
struct Sources<'t> {
    template: &'t NoticeTemplate,
    own: String,
    own_lines: Option<Vec<&'t str>>,
    others: std::collections::HashMap<String, Option<Vec<String>>>,
}

impl<'t> Sources<'t> {
    fn new(template: &'t NoticeTemplate) -> Self {
        Sources {
            template,
            own: template.path.display().to_string(),
            own_lines: None,
            others: std::collections::HashMap::new(),
        }
    }

    /// Line `line` (1-based) of `path`.
    fn line(&mut self, path: Option<&str>, line: u32) -> Option<&str> {
        let i = line.checked_sub(1)? as usize;
        let path = path?;
        if path == self.own {
            let source = &self.template.source;
            let lines = self
                .own_lines
                .get_or_insert_with(|| source.lines().collect());
            return lines.get(i).copied();
        }
        self.others
            .entry(path.to_owned())
            .or_insert_with(|| {
                std::fs::read_to_string(path)
                    .ok()
                    .map(|s| s.lines().map(str::to_owned).collect())
            })
            .as_ref()?
            .get(i)
            .map(String::as_str)
    }
}

/// A window of at most WIDTH characters of `text` around 1-based character column `col`, and the
/// caret's offset within the shown text. Walks only as far into the line as the window reaches.
fn window(text: &str, col: usize) -> (String, usize) {
    let col = col.saturating_sub(1);
    if text.chars().nth(WIDTH).is_none() {
        // A short line is shown whole.
        return (text.to_owned(), col.min(text.chars().count()));
    }
    let start = col.saturating_sub(WIDTH / 2);
    let mut chars = text.char_indices().skip(start);
    let Some((from, _)) = chars.next() else {
        // The column is past the end (or the line is empty).
        let n = text.chars().count();
        return (text.to_owned(), col.min(n));
    };
    let to = chars.nth(WIDTH - 2).map_or(text.len(), |(i, _)| i);
    let mut s = String::new();
    let mut offset = col - start;
    if start > 0 {
        s.push('…');
        offset += 1;
    }
    s.push_str(&text[from..to]);
    if to < text.len() {
        s.push('…');
    }
    (s, offset)
}

/// Prints the counts on stderr.
pub fn summary(s: Summary) {
    let plural = |n: u32, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let text = format!(
        "{}, {}, {}",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    );
    let st = if s.errors > 0 {
        severity_style(Severity::Error)
    } else if s.warnings > 0 {
        severity_style(Severity::Warning)
    } else {
        AnsiColor::Green.on_default().bold()
    };
    eprintln!("{st}{text}{st:#}");
}

/// Prints the form schema as a table.
pub fn fields(s: &TemplateSchema) {
    let bold = Style::new().bold();
    println!(
        "{bold}{}{bold:#}  {}{}",
        s.id,
        s.title.as_deref().unwrap_or("(no title)"),
        s.version
            .as_deref()
            .map(|v| format!("  v{v}"))
            .unwrap_or_default()
    );
    let mut group: Option<&str> = None;
    for f in &s.fields {
        if f.group.as_deref() != group {
            group = f.group.as_deref();
            println!("\n{bold}{}{bold:#}", group.unwrap_or("Other"));
        }
        let req = if f.required { "*" } else { " " };
        println!("  {req} {:<22} {:<20} {}", f.name, f.kind.as_str(), f.label);
        if let Some(d) = &f.default {
            println!("      default: {d}");
        }
        if let Some(e) = &f.example {
            println!("      example: {e}");
        }
    }
    println!("\n* required");
}
