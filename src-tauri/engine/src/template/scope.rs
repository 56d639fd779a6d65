//! Scopes while scanning a template: which loop, macro or `call` block a placeholder sits in, so
//! each value in the output can be traced to the field (and the list row, and the record
//! attribute) it came from: `{{ p.name }}` inside `{% for p in subprocessors %}` is
//! `subprocessors[row].name`. Static: the row number itself is read at render time.

use super::expr::{Tok, lex, path_at};

/// One step below a field: a list row (its value is the row at render time, read from the loop
/// at `level`), or a record attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The row of the enclosing loop at this nesting level (0: outermost in the scope).
    Row(usize),
    /// A record attribute.
    Attr(String),
}

/// Where a placeholder's value comes from: a field, and the steps below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The top-level field the value comes from.
    pub field: String,
    /// The path below it (attributes and loop rows).
    pub steps: Vec<Step>,
}

enum Frame {
    Loop {
        targets: Vec<String>,
        source: Option<Target>,
    },
    /// A macro's body or a `call` block's: its parameters are filled by its caller.
    Callable { params: Vec<String> },
    /// An `if` block, so that its `else` is not taken for a loop's.
    If,
}

/// The scopes open at the scanner's position.
#[derive(Default)]
pub(crate) struct Scopes {
    frames: Vec<Frame>,
    /// `{% set host = hhs_name ~ "." ~ domain %}`: `host` traces to what its expression reads
    /// first, so an empty `{{ host }}` is blamed on a field.
    aliases: std::collections::BTreeMap<String, Option<Target>>,
    /// Fields a loop with an `else` iterates: an empty list prints the `else`, not nothing.
    pub(crate) looped_with_else: std::collections::BTreeSet<String>,
}

impl Scopes {
    /// How many loops are open in the current macro (or top-level) scope: the instrumentation
    /// keeps each one's `loop` as `__loopN` so a render can read the rows.
    pub(crate) fn loop_depth(&self) -> usize {
        self.frames
            .iter()
            .rev()
            .take_while(|f| !matches!(f, Frame::Callable { .. }))
            .filter(|f| matches!(f, Frame::Loop { .. }))
            .count()
    }

    /// Notes a statement tag (`for`, `endfor`, `macro`, `call` …). Returns the loop level a
    /// `for` opens (1-based), so the caller can keep its `loop`.
    pub(crate) fn statement(&mut self, inner: &str) -> Option<usize> {
        let toks = lex(inner);
        let Some(Tok::Name(word)) = toks.first() else {
            return None;
        };
        match word.as_str() {
            "for" => {
                let in_at = toks.iter().position(|t| *t == Tok::Name("in".into()))?;
                let targets: Vec<String> = toks[1..in_at]
                    .iter()
                    .filter_map(|t| match t {
                        Tok::Name(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                let source = (targets.len() == 1)
                    .then(|| self.target_of(&toks, in_at + 1))
                    .flatten();
                self.frames.push(Frame::Loop { targets, source });
                Some(self.loop_depth())
            }
            "endfor" => {
                self.pop(|f| matches!(f, Frame::Loop { .. }));
                None
            }
            "macro" | "call" => {
                // `macro name(a, b=1)` / `call(a) name(x)`: parameters up to the first `)`.
                let close = toks.iter().position(|t| *t == Tok::Op(")"));
                let params = toks[1..close.unwrap_or(toks.len())]
                    .windows(2)
                    .filter_map(|w| match (&w[0], &w[1]) {
                        (Tok::Name(n), Tok::Op("," | ")" | "=")) => Some(n.clone()),
                        _ => None,
                    })
                    .chain(toks.get(close.map_or(0, |c| c.saturating_sub(1))).and_then(
                        |t| match t {
                            Tok::Name(n) => Some(n.clone()),
                            _ => None,
                        },
                    ))
                    .collect();
                self.frames.push(Frame::Callable { params });
                None
            }
            "if" => {
                self.frames.push(Frame::If);
                None
            }
            "endif" => {
                self.pop(|f| matches!(f, Frame::If));
                None
            }
            "else" => {
                if let Some(Frame::Loop {
                    source: Some(t), ..
                }) = self.frames.last()
                {
                    self.looped_with_else.insert(t.field.clone());
                }
                None
            }
            "set" => {
                if let (Some(Tok::Name(name)), Some(Tok::Op("="))) = (toks.get(1), toks.get(2)) {
                    let target = self.target_of(&toks, 3);
                    self.aliases.insert(name.clone(), target);
                }
                None
            }
            "endmacro" | "endcall" => {
                self.pop(|f| matches!(f, Frame::Callable { .. }));
                None
            }
            _ => None,
        }
    }

    fn pop(&mut self, is: impl Fn(&Frame) -> bool) {
        if let Some(i) = self.frames.iter().rposition(is) {
            self.frames.truncate(i);
        }
    }

    /// The target of a placeholder's expression: its first variable reference, resolved through
    /// the open loops. `None` when it reads only names bound by a macro or `call` block (the
    /// caller's placeholder is the one to blame) or no name at all.
    pub(crate) fn placeholder(&self, expr: &str) -> Option<Target> {
        self.target_of(&lex(expr), 0)
    }

    fn target_of(&self, toks: &[Tok], from: usize) -> Option<Target> {
        let mut i = from;
        while i < toks.len() {
            let Some((root, attrs, end)) = path_at(toks, i) else {
                i += 1;
                continue;
            };
            if matches!(toks.get(end), Some(Tok::Op("("))) && attrs.is_empty() {
                i = end;
                continue;
            }
            let attrs = attrs.iter().map(|a| Step::Attr((*a).to_owned()));
            let mut level = self.loop_depth();
            for f in self.frames.iter().rev() {
                match f {
                    Frame::Loop { targets, source } => {
                        level = level.saturating_sub(1);
                        if targets.iter().any(|t| t == root) {
                            let mut t = source.clone()?;
                            t.steps.push(Step::Row(level));
                            t.steps.extend(attrs);
                            return Some(t);
                        }
                    }
                    Frame::Callable { params } if params.iter().any(|p| p == root) => return None,
                    Frame::Callable { .. } => break,
                    Frame::If => {}
                }
            }
            if root == "loop" || root == "caller" {
                i = end;
                continue;
            }
            if let Some(alias) = self.aliases.get(root) {
                let mut t = alias.clone()?;
                t.steps.extend(attrs);
                return Some(t);
            }
            return Some(Target {
                field: root.to_owned(),
                steps: attrs.collect(),
            });
        }
        None
    }
}

impl Target {
    /// The value at this target in `values`, with the rows this render was at.
    pub fn lookup<'v>(
        &self,
        values: &'v crate::values::TenantValues,
        rows: &[u32],
    ) -> Option<&'v crate::values::FieldValue> {
        use crate::values::FieldValue;
        let mut v = values.get(&self.field)?;
        for step in &self.steps {
            v = match (step, v) {
                (Step::Row(level), FieldValue::List(items)) => {
                    items.get(*rows.get(*level)? as usize)?
                }
                (Step::Attr(a), FieldValue::Record(r)) => r.get(a)?,
                // Any other shape: the template reads something the value does not have.
                _ => return None,
            };
        }
        Some(v)
    }

    /// `subprocessors[2].name`, with the rows this render was at.
    pub fn path(&self, rows: &[u32]) -> String {
        let mut s = self.field.clone();
        for step in &self.steps {
            match step {
                Step::Row(level) => match rows.get(*level) {
                    Some(r) => s.push_str(&format!("[{r}]")),
                    None => s.push_str("[]"),
                },
                Step::Attr(a) => {
                    s.push('.');
                    s.push_str(a);
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_trace_to_fields_through_loops() {
        let mut s = Scopes::default();
        assert_eq!(s.statement("for p in subprocessors"), Some(1));
        let t = s.placeholder("p.name | upper").unwrap();
        assert_eq!(t.path(&[2]), "subprocessors[2].name");
        assert_eq!(s.statement("for r in p.regions"), Some(2));
        assert_eq!(
            s.placeholder("r").unwrap().path(&[0, 1]),
            "subprocessors[0].regions[1]"
        );
        assert_eq!(
            s.placeholder("loop.index ~ company.name")
                .unwrap()
                .path(&[]),
            "company.name"
        );
        s.statement("endfor");
        s.statement("endfor");
        assert_eq!(s.loop_depth(), 0);
        s.statement("macro contact(a, b=1)");
        assert_eq!(s.placeholder("a"), None);
        assert_eq!(s.placeholder("other").unwrap().field, "other");
        s.statement("endmacro");
        assert_eq!(s.placeholder("a").unwrap().field, "a");
    }
}
