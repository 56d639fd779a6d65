//! Runtime tags in the rendered document (see [`crate::template::runtime`]): the runtime's own
//! export keeps them as tokens and writes them back verbatim; every other output (preview, HTML,
//! Markdown, PDF) shows each as inline code with its verbatim text, so a reader sees where the
//! runtime decides. Touches only the syntax tree it is given.

use comrak::Arena;
use comrak::nodes::{AstNode, NodeCode, NodeValue};

use super::markdown;
use crate::template::NoticeTemplate;
use crate::template::runtime::{RUNTIME_OPEN, replace_runtime_tokens};

/// The verbatim text of every runtime tag of `t`, by number.
pub(crate) fn tag_texts(t: &NoticeTemplate) -> Vec<String> {
    let r = t.registry.lock().unwrap_or_else(|e| e.into_inner());
    r.runtime_tags.iter().map(|g| g.text.clone()).collect()
}

/// `s` with runtime tokens as their verbatim tags.
pub(crate) fn verbatim(s: &str, tags: &[String]) -> String {
    replace_runtime_tokens(s, |n| tags.get(n).cloned().unwrap_or_default())
}

/// Replaces runtime tokens in the tree with inline code holding the tag as written.
pub(crate) fn show_tags<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>, tags: &[String]) {
    if tags.is_empty() {
        return;
    }
    let nodes: Vec<_> = root.descendants().collect();
    for node in nodes {
        let sp = node.data.borrow().sourcepos;
        let text = {
            let mut data = node.data.borrow_mut();
            match &mut data.value {
                NodeValue::Text(t) if t.contains(RUNTIME_OPEN) => t.to_string(),
                NodeValue::Code(c) => {
                    c.literal = verbatim(&c.literal, tags);
                    continue;
                }
                NodeValue::CodeBlock(c) => {
                    c.literal = verbatim(&c.literal, tags);
                    continue;
                }
                NodeValue::Link(l) | NodeValue::Image(l) => {
                    l.title = verbatim(&l.title, tags);
                    continue;
                }
                _ => continue,
            }
        };
        // Split the text at each token: text, code, text, …
        let mut pieces: Vec<NodeValue> = Vec::new();
        let mut plain = String::new();
        let marked = replace_runtime_tokens(&text, |n| format!("\u{0}{n}\u{0}"));
        for (i, part) in marked.split('\u{0}').enumerate() {
            if i % 2 == 0 {
                plain.push_str(part);
            } else {
                if !plain.is_empty() {
                    pieces.push(NodeValue::Text(std::mem::take(&mut plain).into()));
                }
                let n: usize = part.parse().unwrap_or(usize::MAX);
                pieces.push(NodeValue::Code(NodeCode {
                    num_backticks: 1,
                    literal: tags.get(n).cloned().unwrap_or_default(),
                }));
            }
        }
        if !plain.is_empty() {
            pieces.push(NodeValue::Text(plain.into()));
        }
        for p in pieces {
            node.insert_before(markdown::new_node(arena, p, sp));
        }
        node.detach();
    }
}
