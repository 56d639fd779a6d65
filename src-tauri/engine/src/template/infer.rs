//! Field inference from how a template uses each name, for templates that declare nothing:
//! `for p in subprocessors` makes a list (and `p.name` a field of its records), `company.name` a
//! record, `backup_days > 90` a number, `region == "eu"`, `a ~ b`, a filter or a macro argument
//! text; only a name used nowhere but as a bare condition is a yes/no. `default(…)` and
//! `is defined` make a field optional. Reads tags as the scanner found them; evaluates nothing.

use std::collections::{BTreeMap, BTreeSet};

use super::expr::{Tok, is_keyword, lex, path_at};
use super::fields::{Field, FieldOrigin, FieldType};
use super::source::{ScannedTag, TagKind};

/// What the uses of one name say about it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Shape {
    printed: bool,
    condition: bool,
    text: bool,
    number: bool,
    list: bool,
    record: bool,
    optional: bool,
    attrs: BTreeMap<String, Shape>,
    item: Option<Box<Shape>>,
}

/// A name bound inside the template: a loop's target (its items come from `source`), a macro's
/// parameter, or a `set` variable.
enum Frame {
    Loop {
        targets: Vec<String>,
        source: Option<(String, Vec<String>)>,
    },
    Macro {
        params: Vec<String>,
    },
}

/// The shapes of the template's global names, in order of first use.
pub(crate) fn shapes(tags: &[ScannedTag], globals: &BTreeSet<String>) -> Vec<(String, Shape)> {
    let mut w = Walker {
        globals,
        shapes: BTreeMap::new(),
        order: Vec::new(),
        frames: Vec::new(),
        locals: BTreeSet::new(),
    };
    for tag in tags {
        match tag.kind {
            TagKind::Expr => w.expression(&lex(&tag.inner), Use::Printed),
            TagKind::Stmt => w.statement(&tag.inner),
            TagKind::Comment => {}
        }
    }
    let Walker {
        mut shapes, order, ..
    } = w;
    order
        .into_iter()
        .filter_map(|n| shapes.remove(&n).map(|s| (n, s)))
        .collect()
}

/// The form field for a name and what its uses say.
pub(crate) fn to_field(name: &str, shape: &Shape) -> Field {
    let kind = kind_of(name, shape);
    let mut f = Field::new(name, kind, FieldOrigin::Inferred);
    f.required = kind != FieldType::Bool && !shape.optional;
    match kind {
        FieldType::List => {
            let item = shape.item.as_deref().cloned().unwrap_or_default();
            let mut item_field = to_field("item", &item);
            if item_field.kind == FieldType::Bool {
                item_field.kind = FieldType::Text;
            }
            item_field.required = true;
            f.item = Some(Box::new(item_field));
        }
        FieldType::Group => {
            f.fields = shape.attrs.iter().map(|(n, s)| to_field(n, s)).collect();
        }
        _ => {}
    }
    f
}

/// The field for a name that is printed and used no other way (a legacy `%%NAME%%`).
pub(crate) fn printed_field(name: &str) -> Field {
    to_field(
        name,
        &Shape {
            printed: true,
            ..Shape::default()
        },
    )
}

fn kind_of(name: &str, s: &Shape) -> FieldType {
    if s.list {
        FieldType::List
    } else if s.record || !s.attrs.is_empty() {
        FieldType::Group
    } else if s.number {
        FieldType::Number
    } else if s.text || s.printed {
        match FieldType::infer(name) {
            // A name printed or compared as text is not a yes/no, whatever its name says.
            FieldType::Bool => FieldType::Text,
            k => k,
        }
    } else if s.condition {
        FieldType::Bool
    } else {
        FieldType::infer(name)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Use {
    Printed,
    Condition,
}

struct Walker<'g> {
    globals: &'g BTreeSet<String>,
    shapes: BTreeMap<String, Shape>,
    order: Vec<String>,
    frames: Vec<Frame>,
    /// `set` variables and other names the template binds itself.
    locals: BTreeSet<String>,
}

/// Filters whose input is a list, or a number.
const LIST_FILTERS: &[&str] = &[
    "join",
    "first",
    "last",
    "sort",
    "reverse",
    "unique",
    "map",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
    "batch",
    "slice",
    "sum",
    "min",
    "max",
    "list",
    "groupby",
    "dictsort",
];
const NUMBER_FILTERS: &[&str] = &["round", "abs", "filesizeformat"];

impl Walker<'_> {
    fn statement(&mut self, inner: &str) {
        let toks = lex(inner);
        let Some(Tok::Name(word)) = toks.first() else {
            return;
        };
        let rest = &toks[1..];
        match word.as_str() {
            "for" => self.for_loop(rest),
            "endfor" => self.pop(|f| matches!(f, Frame::Loop { .. })),
            "macro" => {
                let params = rest
                    .iter()
                    .skip(1)
                    .enumerate()
                    .filter_map(|(i, t)| match (t, rest.get(i + 2)) {
                        (Tok::Name(n), Some(Tok::Op("," | ")" | "="))) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                if let Some(Tok::Name(name)) = rest.first() {
                    self.locals.insert(name.clone());
                }
                self.frames.push(Frame::Macro { params });
            }
            "endmacro" => self.pop(|f| matches!(f, Frame::Macro { .. })),
            "set" => {
                // `set a = expr`, `set a, b = expr` or the block form `set a`.
                let eq = rest.iter().position(|t| *t == Tok::Op("="));
                for t in &rest[..eq.unwrap_or(rest.len())] {
                    if let Tok::Name(n) = t {
                        self.locals.insert(n.clone());
                    }
                }
                if let Some(eq) = eq {
                    self.expression(&rest[eq + 1..], Use::Printed);
                }
            }
            "if" | "elif" => self.expression(rest, Use::Condition),
            "call" | "with" | "filter" => self.expression(rest, Use::Printed),
            _ => {}
        }
    }

    fn pop(&mut self, is: impl Fn(&Frame) -> bool) {
        if let Some(i) = self.frames.iter().rposition(is) {
            self.frames.truncate(i);
        }
    }

    fn for_loop(&mut self, toks: &[Tok]) {
        let Some(in_at) = toks.iter().position(|t| *t == Tok::Name("in".into())) else {
            return;
        };
        let targets: Vec<String> = toks[..in_at]
            .iter()
            .filter_map(|t| match t {
                Tok::Name(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        let after = &toks[in_at + 1..];
        let cond_at = after
            .iter()
            .position(|t| matches!(t, Tok::Name(n) if n == "if" || n == "recursive"))
            .unwrap_or(after.len());
        let iterable = &after[..cond_at];
        let mut source = None;
        if let Some((root, attrs, end)) = path_at(iterable, 0) {
            let pairs = targets.len() > 1;
            let by_items = matches!(iterable.get(end), Some(Tok::Op(".")))
                || matches!(iterable.get(end + 1), Some(Tok::Name(f)) if f == "dictsort" || f == "items");
            let (root, attrs) = (
                root.to_owned(),
                attrs.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>(),
            );
            if let Some(shape) = self.resolve(&root, &attrs) {
                if pairs || by_items {
                    shape.record = true;
                } else {
                    shape.list = true;
                    source = Some((root, attrs));
                }
            }
            // The rest of the iterable (`| sort`, arguments) and the condition read names too.
            self.expression(&iterable[end..], Use::Printed);
        } else {
            self.expression(iterable, Use::Printed);
        }
        self.frames.push(Frame::Loop {
            targets: targets.clone(),
            source: if targets.len() == 1 { source } else { None },
        });
        if cond_at < after.len() {
            self.expression(&after[cond_at + 1..], Use::Condition);
        }
    }

    /// The shape a path refers to: a global's, or a loop target's item's, with attributes below.
    /// `None` for names the template binds itself (macro parameters, `set` variables, builtins).
    fn resolve(&mut self, root: &str, attrs: &[String]) -> Option<&mut Shape> {
        let mut base: Option<(String, Vec<String>, bool)> = None;
        for f in self.frames.iter().rev() {
            match f {
                Frame::Loop { targets, source } if targets.iter().any(|t| t == root) => {
                    let (r, a) = source.clone()?;
                    base = Some((r, a, true));
                    break;
                }
                Frame::Macro { params } if params.iter().any(|p| p == root) => return None,
                _ => {}
            }
        }
        let (root, prefix, item) = match base {
            Some(b) => b,
            None if self.locals.contains(root) || !self.globals.contains(root) => return None,
            None => (root.to_owned(), vec![], false),
        };
        if !self.shapes.contains_key(&root) {
            self.order.push(root.clone());
        }
        let mut shape = self.shapes.entry(root).or_default();
        for a in &prefix {
            shape = shape.attrs.entry(a.clone()).or_default();
        }
        if item {
            shape.list = true;
            shape = shape.item.get_or_insert_with(Box::default);
        }
        for a in attrs {
            shape = shape.attrs.entry(a.clone()).or_default();
        }
        Some(shape)
    }

    fn expression(&mut self, toks: &[Tok], ctx: Use) {
        // Which open brackets are calls, and of what: `range(n)` takes a number, others text.
        let mut calls: Vec<Option<String>> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match &toks[i] {
                Tok::Op("(" | "[" | "{") => {
                    let callee = match (toks[i] == Tok::Op("("), i.checked_sub(1).map(|p| &toks[p]))
                    {
                        (true, Some(Tok::Name(n))) if !is_keyword(n) => Some(n.clone()),
                        _ => None,
                    };
                    calls.push(callee);
                    i += 1;
                    continue;
                }
                Tok::Op(")" | "]" | "}") => {
                    calls.pop();
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let Some((root, attrs, end)) = path_at(toks, i) else {
                i += 1;
                continue;
            };
            if matches!(toks.get(end), Some(Tok::Op("("))) && attrs.is_empty() {
                // A call (`contact(x)`, `range(3)`): its arguments are read below.
                i = end;
                continue;
            }
            let (root, attrs) = (
                root.to_owned(),
                attrs.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>(),
            );
            let in_call = calls.last().cloned().flatten();
            let prev = i.checked_sub(1).and_then(|p| toks.get(p));
            let prev2 = i.checked_sub(2).and_then(|p| toks.get(p));
            let next = toks.get(end);
            let next2 = toks.get(end + 1);
            let Some(shape) = self.resolve(&root, &attrs) else {
                i = end;
                continue;
            };
            classify(
                shape,
                ctx,
                in_call.as_deref(),
                prev,
                prev2,
                next,
                next2,
                toks.get(end + 2),
            );
            i = end;
        }
    }
}

/// What one use of a name says, from the tokens around it.
#[allow(clippy::too_many_arguments)]
fn classify(
    shape: &mut Shape,
    ctx: Use,
    in_call: Option<&str>,
    prev: Option<&Tok>,
    prev2: Option<&Tok>,
    next: Option<&Tok>,
    next2: Option<&Tok>,
    next3: Option<&Tok>,
) {
    let comparison =
        |t: Option<&Tok>| matches!(t, Some(Tok::Op("==" | "!=" | "<" | ">" | "<=" | ">=")));
    let arithmetic =
        |t: Option<&Tok>| matches!(t, Some(Tok::Op("+" | "-" | "*" | "/" | "//" | "%" | "**")));
    let mut decided = false;
    for (op, lit) in [(next, next2), (prev, prev2)] {
        if comparison(op) || arithmetic(op) {
            match lit {
                Some(Tok::Num) => shape.number = true,
                Some(Tok::Str) => shape.text = true,
                _ => continue,
            }
            decided = true;
        }
    }
    if matches!(prev, Some(Tok::Op("~"))) || matches!(next, Some(Tok::Op("~"))) {
        shape.text = true;
        decided = true;
    }
    if let (Some(Tok::Op("|")), Some(Tok::Name(filter))) = (next, next2) {
        match filter.as_str() {
            "default" | "d" => shape.optional = true,
            f if LIST_FILTERS.contains(&f) => shape.list = true,
            f if NUMBER_FILTERS.contains(&f) => shape.number = true,
            "length" | "count" | "string" => {}
            _ => shape.text = true,
        }
        decided = true;
    }
    if matches!(next, Some(Tok::Name(n)) if n == "is") {
        let test = match next2 {
            Some(Tok::Name(n)) if n == "not" => next3,
            t => t,
        };
        match test {
            Some(Tok::Name(t)) if matches!(t.as_str(), "defined" | "undefined" | "none") => {
                shape.optional = true;
            }
            Some(Tok::Name(t)) if matches!(t.as_str(), "number" | "integer" | "float") => {
                shape.number = true;
            }
            Some(Tok::Name(t)) if t == "string" => shape.text = true,
            Some(Tok::Name(t)) if matches!(t.as_str(), "sequence" | "iterable") => {
                shape.list = true
            }
            Some(Tok::Name(t)) if t == "mapping" => shape.record = true,
            _ => {}
        }
        decided = true;
    }
    if matches!(next, Some(Tok::Name(n)) if n == "in")
        && matches!(next2, Some(Tok::Op("[")) | Some(Tok::Str))
    {
        shape.text = true;
        decided = true;
    }
    if let Some(callee) = in_call
        && matches!(prev, Some(Tok::Op("(" | ",")))
    {
        if callee == "range" {
            shape.number = true;
        } else {
            shape.text = true;
        }
        decided = true;
    }
    if decided {
        return;
    }
    let conditional = |t: Option<&Tok>| matches!(t, Some(Tok::Name(n)) if matches!(n.as_str(), "if" | "not" | "and" | "or" | "else"));
    if ctx == Use::Condition || conditional(prev) || conditional(next) {
        shape.condition = true;
    } else {
        shape.printed = true;
    }
}

#[cfg(test)]
mod tests;
