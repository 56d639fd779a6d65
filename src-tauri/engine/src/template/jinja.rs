//! Compiling templates with minijinja: the instrumented environment, the include loader confined
//! to the template's folder, fuel so a runaway loop ends in an error, and the recorder that notes
//! which placeholder produced each value (and in which list rows), and which template line starts
//! each output line. Running a compiled [`Program`] is `render`'s (`render::jinja`).
//!
//! Template output and values are told apart by minijinja's safe strings: under a custom
//! auto-escape mode, a macro's, `caller()`'s or a block `set`'s output is safe, while a tenant's
//! value never is (`safe` and `escape` are replaced by versions that return plain
//! text). A safe string printed by a placeholder is template text and passes through with the
//! values inside it; anything else is a value and becomes a token.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use minijinja::value::{Object, Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior};

use super::pyjinja::{escape_html, value_text};
use crate::template::source::{self, Origin, PlaceholderSite, RawSpan, ScannedTag};
use crate::token;

/// Instructions a render may spend: far above any real notice (the seed needs a few thousand), low
/// enough that a runaway loop stops in well under a second.
const FUEL: u64 = 2_000_000;
/// Largest file an include may load.
const MAX_INCLUDE_BYTES: u64 = 16 * 1024 * 1024;
/// Name of the context variable holding the recorder. Not a valid field name in templates.
pub(crate) const RECORDER: &str = "__notice_recorder";
/// Template name of the body and of the title.
pub(crate) const BODY: &str = "__body";
pub(crate) const TITLE: &str = "__title";

/// A source file a render may read: the template (0), its title (1) and included files.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Display path, as diagnostics name it.
    pub path: String,
    /// The whole file text (for columns and caret lines).
    pub text: String,
    /// Byte offset of each line's start, and whether the line is ASCII (its byte columns are its
    /// character columns): placing thousands of diagnostics stays linear in their number.
    lines: Vec<(usize, bool)>,
}

impl SourceFile {
    /// A file with its text, lines indexed.
    pub fn new(path: String, text: String) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for l in text.split('\n') {
            lines.push((start, l.is_ascii()));
            start += l.len() + 1;
        }
        SourceFile { path, text, lines }
    }

    /// Line `line` (1-based), without its newline.
    pub fn line(&self, line: u32) -> Option<&str> {
        let i = line.checked_sub(1)? as usize;
        let (start, _) = *self.lines.get(i)?;
        let end = self
            .lines
            .get(i + 1)
            .map_or(self.text.len(), |(next, _)| next - 1);
        self.text.get(start..end)
    }

    /// The 1-based character column of 1-based byte column `col` on `line`.
    pub fn char_column(&self, line: u32, col: u32) -> u32 {
        let Some(text) = self.line(line) else {
            return col;
        };
        let byte = (col.saturating_sub(1) as usize).min(text.len());
        let ascii = self
            .lines
            .get(line.saturating_sub(1) as usize)
            .is_some_and(|(_, a)| *a);
        if ascii {
            return byte as u32 + 1;
        }
        let byte = (0..=byte)
            .rev()
            .find(|b| text.is_char_boundary(*b))
            .unwrap_or(0);
        text[..byte].chars().count() as u32 + 1
    }
}

/// A placeholder and the variables its expression reads.
#[derive(Debug, Clone)]
pub struct Site {
    /// Where the placeholder is and what it prints.
    pub at: PlaceholderSite,
    /// The root variables its expression reads, in source order.
    pub vars: Vec<String>,
}

/// Every file and placeholder known to a template, including those of includes loaded so far.
#[derive(Debug, Default)]
pub struct Registry {
    /// Shared so diagnostics can read them without copying on every render.
    pub files: Vec<Arc<SourceFile>>,
    /// Every placeholder, by slot number.
    pub sites: Vec<Site>,
    /// Every tag, in source order per file: what field inference reads.
    pub tags: Vec<ScannedTag>,
    /// Where `{% raw %}` blocks are: template syntax printed from them is meant.
    pub raws: Vec<RawSpan>,
    /// Fields iterated by a loop that has an `else` (an empty list prints something).
    pub looped_with_else: std::collections::BTreeSet<String>,
    /// The runtime serving the page, and the tags kept for it (see [`crate::template::runtime`]).
    pub runtime: Option<crate::template::runtime::Runtime>,
    /// The runtime tags kept for the runtime, by number.
    pub runtime_tags: Vec<crate::template::runtime::RuntimeTag>,
}

impl Registry {
    /// Adds a scanned text: registers its placeholders and returns the instrumented source.
    pub(crate) fn add(&mut self, file: u32, text: &str, origin: Origin) -> String {
        let runtime = self.runtime.map(|r| (r, self.runtime_tags.len() as u32));
        let scan = source::scan_with(text, file, origin, self.sites.len() as u32, runtime);
        self.runtime_tags.extend(scan.runtime_tags);
        for at in scan.placeholders {
            let vars = if at.legacy {
                vec![at.expr.clone()]
            } else {
                expression_vars(&at.expr)
            };
            self.sites.push(Site { at, vars });
        }
        self.tags.extend(scan.tags);
        self.raws.extend(scan.raws);
        self.looped_with_else.extend(scan.looped_with_else);
        scan.instrumented
    }
}

/// Root variables an expression reads (`a.b | upper` → `a`).
fn expression_vars(expr: &str) -> Vec<String> {
    let env = Environment::new();
    let src = format!("{{{{ {expr} }}}}");
    match env.template_from_str(&src) {
        Ok(t) => {
            let mut v: Vec<String> = t.undeclared_variables(false).into_iter().collect();
            // Keep source order, not alphabetical: the first variable is the one reported.
            v.sort_by_key(|name| expr.find(name.as_str()).unwrap_or(usize::MAX));
            v
        }
        Err(_) => vec![],
    }
}

/// One value a placeholder produced during a render.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The placeholder's slot number (its index in [`Registry::sites`]).
    pub slot: u32,
    /// The printed text; `None` when the value is undefined or none.
    pub text: Option<String>,
    /// The row of each enclosing loop (outermost first) when it was printed.
    pub rows: Vec<u32>,
    /// The placeholders that printed it as part of template output (a macro's result, a
    /// `caller()`, a block `set`), innermost first, with their rows: the value of a macro
    /// parameter is blamed on the caller's field.
    pub via: Vec<(u32, Vec<u32>)>,
    /// Whether its token reached the output (a captured block may never be printed).
    pub printed: bool,
    /// The value was a list or a record, printed whole.
    pub compound: bool,
}

/// What a render recorded, beside its output.
#[derive(Debug, Default)]
pub struct Recording {
    /// Every value printed, in output order, then those captured but never printed.
    pub hits: Vec<Hit>,
    /// For each output line, the (file, line) it starts at.
    pub lines: Vec<(u32, u32)>,
}

#[derive(Debug, Default)]
pub(crate) struct Recorder(Mutex<Recording>);

impl Object for Recorder {}

impl Recorder {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Recording> {
        // A poisoned lock only means another thread panicked mid-push; the data is still usable.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn recorder(state: &State) -> Result<Arc<Recorder>, Error> {
    state
        .lookup(RECORDER)
        .and_then(|v| v.downcast_object::<Recorder>())
        .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "internal: no recorder"))
}

/// A compiled template, ready to render any number of times (also from several threads).
pub struct Program {
    pub(crate) env: Environment<'static>,
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program").finish_non_exhaustive()
    }
}

/// A compile error, with its position in the file.
#[derive(Debug)]
pub struct CompileError {
    /// Index of the source file.
    pub file: u32,
    /// minijinja's message.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl Program {
    /// Compiles the body (and the title, if any). `dir` is the folder includes may read from.
    pub(crate) fn compile(
        registry: Arc<Mutex<Registry>>,
        body: &str,
        body_origin: Origin,
        title: Option<(&str, Origin)>,
        dir: Option<PathBuf>,
    ) -> Result<Program, CompileError> {
        // Compile the original first: its errors carry the author's own line and column.
        check_syntax(0, body, body_origin)?;
        if let Some((t, o)) = title {
            check_syntax(1, t, o)?;
        }
        let mut env = Environment::new();
        env.set_fuel(Some(FUEL));
        env.set_undefined_behavior(UndefinedBehavior::Lenient);
        // A mode of our own: minijinja then marks template output (macros, `caller()`, block
        // `set`) as safe, and the formatter prints everything as it is, like Jinja2 without
        // autoescape.
        env.set_auto_escape_callback(|_| AutoEscape::Custom("notice"));
        env.set_formatter(|out, _state, value| {
            write!(out, "{value}").map_err(|_| Error::new(ErrorKind::WriteFailure, "write failed"))
        });
        env.set_keep_trailing_newline(true);
        // Filters that would mark a value as safe (template text) return plain text instead,
        // so no filter can smuggle a value into the Markdown.
        super::pyjinja::add_to(&mut env);
        env.add_filter("safe", |v: String| v);
        env.add_filter("escape", escape_html);
        env.add_filter("e", escape_html);
        let reg = Arc::clone(&registry);
        env.add_function(
            "__slot",
            move |state: &State, slot: u32, value: Value| -> Result<String, Error> {
                let rec = recorder(state)?;
                let (legacy_name, depth) = {
                    let r = reg.lock().unwrap_or_else(|e| e.into_inner());
                    let site = r.sites.get(slot as usize);
                    (
                        site.filter(|s| s.at.legacy).map(|s| s.at.expr.clone()),
                        site.map_or(0, |s| s.at.loop_depth),
                    )
                };
                let rows = loop_rows(state, depth);
                let value = match legacy_name {
                    Some(name) => state.lookup(&name).unwrap_or(Value::UNDEFINED),
                    None => value,
                };
                if value.is_safe() {
                    // Template output: its values are already tokens; note who printed them.
                    let s = value.to_string();
                    let mut r = rec.lock();
                    for index in token::value_token_indices(&s) {
                        if let Some(h) = r.hits.get_mut(index) {
                            h.via.push((slot, rows.clone()));
                        }
                    }
                    return Ok(s);
                }
                let compound = matches!(value.kind(), ValueKind::Seq | ValueKind::Map);
                let mut r = rec.lock();
                let mut new_hit = |text: Option<String>, rows: Vec<u32>| {
                    let n = r.hits.len();
                    let carried = token::value_token(n, text.as_deref().unwrap_or_default());
                    r.hits.push(Hit {
                        slot,
                        text,
                        rows,
                        via: vec![],
                        printed: false,
                        compound,
                    });
                    carried
                };
                if let Some(s) = value.as_str()
                    && token::holds_template_output(s)
                {
                    // Template output mixed with other text (`b ~ "!"`, `"[%s]" | format(b)`):
                    // its values and lines pass through, everything around them is a value
                    // of its own, inert like any other.
                    let mut out = String::with_capacity(s.len());
                    for part in token::split_template_output(s) {
                        match part {
                            token::Part::Output(o) => out.push_str(o),
                            token::Part::Text(t) => {
                                let t = token::sanitize(t).into_owned();
                                out.push_str(&new_hit(Some(t), rows.clone()));
                            }
                        }
                    }
                    return Ok(out);
                }
                Ok(new_hit(value_text(&value), rows))
            },
        );
        // A runtime tag prints its inert token; the runtime's export writes the tag back.
        env.add_function("__runtime", |n: u32| {
            crate::template::runtime::runtime_token(n as usize)
        });
        env.add_function("__nl", |file: u32, line: u32| -> String {
            token::line_break(file, line)
        });
        if let Some(dir) = dir {
            let reg = Arc::clone(&registry);
            env.set_loader(move |name| load_include(&dir, name, &reg));
        } else {
            env.set_loader(|name| {
                Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("cannot include {name:?}: this template has no folder to include from"),
                ))
            });
        }
        let body_src = registry
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(0, body, body_origin);
        env.add_template_owned(BODY, body_src)
            .map_err(|e| compile_error(0, &e, body, body_origin))?;
        if let Some((t, o)) = title {
            let src = registry
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .add(1, t, o);
            env.add_template_owned(TITLE, src)
                .map_err(|e| compile_error(1, &e, t, o))?;
        }
        Ok(Program { env })
    }

    /// Names of every variable the template reads from outside (placeholders and conditions,
    /// in the body, the title and every file included so far), in no order. Loop targets, macro
    /// parameters and `set` variables are the template's own and not among them.
    pub(crate) fn undeclared(&self) -> std::collections::BTreeSet<String> {
        let mut all = std::collections::BTreeSet::new();
        for (_, t) in self.env.templates() {
            all.extend(t.undeclared_variables(false));
        }
        all.into_iter().filter(|n| !n.starts_with("__")).collect()
    }
}

/// The row (`loop.index0`) of each loop enclosing a placeholder, outermost first.
fn loop_rows(state: &State, depth: usize) -> Vec<u32> {
    (1..=depth)
        .map(|level| {
            state
                .lookup(&format!("__loop{level}"))
                .and_then(|l| l.get_attr("index0").ok())
                .and_then(|i| u32::try_from(i).ok())
                .unwrap_or(0)
        })
        .collect()
}

fn check_syntax(file: u32, text: &str, origin: Origin) -> Result<(), CompileError> {
    let env = Environment::new();
    env.template_from_str(text)
        .map(|_| ())
        .map_err(|e| compile_error(file, &e, text, origin))
}

fn compile_error(file: u32, e: &Error, text: &str, origin: Origin) -> CompileError {
    let (line, column) = match e.range() {
        Some(r) => {
            let (l, c) = source::LineIndex::new(text).locate(r.start.min(text.len()));
            (l, c)
        }
        None => (e.line().unwrap_or(1) as u32, 1),
    };
    let col_in_file = if line == 1 {
        origin.column + column - 1
    } else {
        column
    };
    CompileError {
        file,
        message: e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_owned),
        line: origin.line + line - 1,
        column: col_in_file,
    }
}

/// Loads an included template, refusing anything outside `dir`: absolute paths, `..`, and
/// symlinks that lead out of the folder.
fn load_include(
    dir: &Path,
    name: &str,
    registry: &Arc<Mutex<Registry>>,
) -> Result<Option<String>, Error> {
    let refuse = |why: &str| {
        Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "include of {name:?} refused: {why}; only files inside the template's own folder can be included"
            ),
        ))
    };
    let rel = Path::new(name);
    if name.contains('\\')
        || rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return refuse("the path leaves the folder");
    }
    let base = match dir.canonicalize() {
        Ok(b) => b,
        Err(e) => return refuse(&format!("the template folder cannot be read ({e})")),
    };
    let full = match base.join(rel).canonicalize() {
        Ok(f) => f,
        Err(_) => return Ok(None),
    };
    if !full.starts_with(&base) {
        return refuse("the path leads outside the folder through a link");
    }
    let text = crate::error::read_text(&full, MAX_INCLUDE_BYTES)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?;
    let text = token::sanitize(&text).into_owned();
    check_syntax(u32::MAX, &text, Origin { line: 1, column: 1 }).map_err(|e| {
        Error::new(
            ErrorKind::SyntaxError,
            format!("{name}:{}:{}: {}", e.line, e.column, e.message),
        )
    })?;
    let mut r = registry.lock().unwrap_or_else(|e| e.into_inner());
    let file = r.files.len() as u32;
    r.files.push(Arc::new(SourceFile::new(
        full.display().to_string(),
        text.clone(),
    )));
    Ok(Some(r.add(file, &text, Origin { line: 1, column: 1 })))
}
