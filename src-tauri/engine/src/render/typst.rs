//! The rendered syntax tree as Typst markup. The tree is the one the HTML comes from, so the PDF
//! and the preview cannot disagree about structure.
//!
//! Every piece of text (template prose and tenant values alike) is written as a Typst string
//! literal (`#"…"`), never as markup, so `#`, `$`, `*`, `_`, `@`, `<`, `[`, `]`, `\`, backticks and
//! `//` in a document are always just characters. Structure is written as function calls
//! (`#heading(level: 2)[…]`, `#strong[…]`), which is the only markup this module emits.

use std::fmt::Write as _;

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};

/// The document body as Typst markup, one string per top-level block.
#[derive(Debug, Clone, Default)]
pub(crate) struct TypstBody {
    pub blocks: Vec<String>,
    /// The first block is a level-1 heading: the title block goes after it rather than before.
    #[cfg_attr(not(feature = "pdf"), allow(dead_code))]
    pub starts_with_title: bool,
}

/// Converts the rendered document.
pub(crate) fn body<'a>(root: &'a AstNode<'a>) -> TypstBody {
    let starts_with_title = root
        .first_child()
        .is_some_and(|n| matches!(&n.data.borrow().value, NodeValue::Heading(h) if h.level == 1));
    let blocks = root
        .children()
        .map(|n| {
            let mut s = String::new();
            block(n, &mut s);
            s
        })
        .filter(|s| !s.is_empty())
        .collect();
    TypstBody {
        blocks,
        starts_with_title,
    }
}

/// `s` as a Typst string literal. Typst strings know only these escapes, and nothing inside a
/// string is ever evaluated.
pub(crate) fn string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '"' => o.push_str("\\\""),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(o, "\\u{{{:x}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Text in markup: an embedded string expression. `;` ends the expression, so whatever follows
/// (a `.`, a `(`, a `[`) can never be read as a method call or argument.
fn text(s: &str, out: &mut String) {
    if !s.is_empty() {
        out.push('#');
        out.push_str(&string(s));
        out.push(';');
    }
}

fn children<'a>(node: &'a AstNode<'a>, out: &mut String) {
    for c in node.children() {
        inline(c, out);
    }
}

fn content<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::from("[");
    children(node, &mut s);
    s.push(']');
    s
}

/// Block children separated by paragraph breaks.
fn blocks<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let mut first = true;
    for c in node.children() {
        let mut s = String::new();
        block(c, &mut s);
        if s.is_empty() {
            continue;
        }
        if !first {
            out.push_str("\n\n");
        }
        first = false;
        out.push_str(&s);
    }
}

fn block<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Paragraph => children(node, out),
        NodeValue::Heading(h) => {
            let _ = write!(out, "#heading(level: {})", h.level.clamp(1, 6));
            out.push_str(&content(node));
        }
        NodeValue::BlockQuote => {
            out.push_str("#quote(block: true)[");
            blocks(node, out);
            out.push(']');
        }
        NodeValue::List(l) => list(node, l.list_type, l.start, l.tight, out),
        NodeValue::CodeBlock(c) => {
            out.push_str("#raw(block: true, ");
            let lang = c.info.split_whitespace().next().unwrap_or("");
            if !lang.is_empty() {
                let _ = write!(out, "lang: {}, ", string(lang));
            }
            out.push_str(&string(c.literal.trim_end_matches('\n')));
            out.push(')');
        }
        NodeValue::ThematicBreak => {
            out.push_str("#line(length: 100%, stroke: 0.5pt + luma(75%))");
        }
        NodeValue::Table(t) => table(node, &t.alignments, out),
        // Raw HTML never reaches an export (the renderer removes it); anything else unexpected
        // at block level is written as its inline content so no text is lost.
        NodeValue::HtmlBlock(_) | NodeValue::FrontMatter(_) => {}
        _ => children(node, out),
    }
}

fn list<'a>(node: &'a AstNode<'a>, kind: ListType, start: usize, tight: bool, out: &mut String) {
    match kind {
        ListType::Bullet => {
            let _ = write!(out, "#list(tight: {tight}");
        }
        ListType::Ordered => {
            let _ = write!(out, "#enum(tight: {tight}, start: {start}");
        }
    }
    for item in node.children() {
        out.push_str(", [");
        blocks(item, out);
        out.push(']');
    }
    out.push(')');
}

fn table<'a>(node: &'a AstNode<'a>, alignments: &[TableAlignment], out: &mut String) {
    let columns = alignments.len().max(1);
    let align: Vec<&str> = alignments
        .iter()
        .map(|a| match a {
            TableAlignment::Center => "center",
            TableAlignment::Right => "right",
            TableAlignment::Left | TableAlignment::None => "left",
        })
        .collect();
    let _ = write!(
        out,
        "#table(columns: {columns}, align: ({},)",
        align.join(", ")
    );
    for row in node.children() {
        let header = matches!(row.data.borrow().value, NodeValue::TableRow(true));
        let cells: Vec<String> = row.children().map(|c| content(c)).collect();
        if header {
            let _ = write!(out, ", table.header({})", cells.join(", "));
        } else {
            for c in cells {
                out.push_str(", ");
                out.push_str(&c);
            }
        }
    }
    out.push(')');
}

fn inline<'a>(node: &'a AstNode<'a>, out: &mut String) {
    let value = node.data.borrow().value.clone();
    match value {
        NodeValue::Text(t) => text(&t, out),
        NodeValue::SoftBreak => out.push(' '),
        NodeValue::LineBreak => out.push_str("#linebreak();"),
        NodeValue::Code(c) => {
            let _ = write!(out, "#raw({});", string(&c.literal));
        }
        NodeValue::Emph => {
            out.push_str("#emph");
            out.push_str(&content(node));
        }
        NodeValue::Strong => {
            out.push_str("#strong");
            out.push_str(&content(node));
        }
        NodeValue::Strikethrough => {
            out.push_str("#strike");
            out.push_str(&content(node));
        }
        NodeValue::Link(l) if !l.url.is_empty() => {
            let _ = write!(out, "#link({})", string(&l.url));
            out.push_str(&content(node));
        }
        // Documents load nothing: an image is represented by its description.
        NodeValue::Image(_) => {
            out.push_str("#emph");
            out.push_str(&content(node));
        }
        NodeValue::HtmlInline(_) => {}
        _ => children(node, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(md: &str) -> String {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, md, &crate::render::markdown::options(false));
        body(root).blocks.join("\n\n")
    }

    #[test]
    fn strings_escape_only_what_typst_strings_know() {
        assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string("x\ny\u{7}"), r#""x\ny\u{7}""#);
        assert_eq!(string("#$*_@<[]`//"), "\"#$*_@<[]`//\"");
    }

    #[test]
    fn structure_becomes_calls_and_text_stays_literal() {
        let t = convert("# Title\n\nSome **bold** and *it* `code` [link](https://x.org).\n");
        assert_eq!(
            t,
            "#heading(level: 1)[#\"Title\";]\n\n#\"Some \";#strong[#\"bold\";]#\" and \";#emph[#\"it\";]#\" \";#raw(\"code\");#\" \";#link(\"https://x.org\")[#\"link\";]#\".\";"
        );
    }

    #[test]
    fn lists_tables_quotes_code() {
        let t = convert(
            "- a\n- b\n\n3. c\n\n> q\n\n| h | i |\n|:-:|--|\n| 1 | 2 |\n\n```sh\nls\n```\n\n---\n",
        );
        assert!(
            t.contains("#list(tight: true, [#\"a\";], [#\"b\";])"),
            "{t}"
        );
        assert!(t.contains("#enum(tight: true, start: 3, [#\"c\";])"), "{t}");
        assert!(t.contains("#quote(block: true)[#\"q\";]"), "{t}");
        assert!(
            t.contains("#table(columns: 2, align: (center, left,), table.header([#\"h\";], [#\"i\";]), [#\"1\";], [#\"2\";])"),
            "{t}"
        );
        assert!(t.contains("#raw(block: true, lang: \"sh\", \"ls\")"), "{t}");
        assert!(t.contains("#line(length: 100%"), "{t}");
    }
}
