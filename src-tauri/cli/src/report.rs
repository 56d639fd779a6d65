//! Terminal output: compiler-style diagnostics (`path:line:col: error[code]: message`, the source
//! line and a caret), the fields table, summaries and JSON.

use anstream::{eprintln, println};
use anstyle::{AnsiColor, Style};
use notice_engine::template::TemplateSchema;
use notice_engine::{Diagnostic, EngineError, NoticeTemplate, Severity, Summary};

const WIDTH: usize = 100;

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default().bold(),
    }
}

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot write JSON: {e}"),
    }
}

/// Prints an engine error on stderr.
pub fn engine_error(e: &EngineError) {
    let red = AnsiColor::Red.on_default().bold();
    eprintln!("{red}error{red:#}: {e}");
}

/// Prints diagnostics on stderr, each with its source line and a caret.
pub fn diagnostics(t: &NoticeTemplate, diags: &[Diagnostic]) {
    let bold = Style::new().bold();
    let blue = AnsiColor::Blue.on_default().bold();
    for d in diags {
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
        if let (Some(line), Some(col)) = (d.line, d.column) {
            let text = source_line(t, d.path.as_deref(), line);
            if let Some(text) = text {
                let (shown, caret_at) = window(&text, col as usize);
                let width = line.to_string().len();
                let carets = "^".repeat(d.length.unwrap_or(1).clamp(1, 40) as usize);
                eprintln!("{blue}{:>width$} |{blue:#} {shown}", line);
                eprintln!(
                    "{blue}{:>width$} |{blue:#} {}{st}{carets}{st:#}",
                    "",
                    " ".repeat(caret_at)
                );
            }
        }
        if let Some(h) = &d.hint {
            eprintln!("  {blue}= help:{blue:#} {h}");
        }
    }
}

fn source_line(t: &NoticeTemplate, path: Option<&str>, line: u32) -> Option<String> {
    let own = t.path.display().to_string();
    let text = match path {
        Some(p) if p == own => t.source.clone(),
        Some(p) => std::fs::read_to_string(p).ok()?,
        None => return None,
    };
    text.lines()
        .nth(line.saturating_sub(1) as usize)
        .map(str::to_owned)
}

/// A window of at most WIDTH characters of `text` around 1-based character column `col`, and the
/// caret's offset within the shown text.
fn window(text: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let col = col.saturating_sub(1).min(chars.len());
    if chars.len() <= WIDTH {
        return (text.to_owned(), col);
    }
    let start = col.saturating_sub(WIDTH / 2);
    let end = (start + WIDTH).min(chars.len());
    let mut s = String::new();
    let mut offset = col - start;
    if start > 0 {
        s.push('…');
        offset += 1;
    }
    s.extend(&chars[start..end]);
    if end < chars.len() {
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
