//! Template syntax left in the output: `{{`, `}}`, `{%`, `%}` or `%%NAME%%` that would reach the
//! customer (from `{% raw %}` blocks or stray braces).

use crate::check::values::legacy_token;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::Placer;
use crate::render::markdown::Variant;

pub(crate) fn template_text(
    v: &Variant,
    raws: &[crate::template::source::RawSpan],
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) {
    // `{% raw %}` prints template syntax on purpose.
    let meant = |p: crate::render::markdown::Pos| raws.iter().any(|r| r.contains(p.file, p.line));
    // One pass over the whole text first: nearly every document has no leftovers at all.
    if !["{{", "}}", "{%", "%}", "%%"]
        .iter()
        .any(|p| v.md.contains(p))
    {
        return;
    }
    for (i, line) in v.md.split('\n').enumerate() {
        for pat in ["{{", "}}", "{%", "%}"] {
            let mut from = 0;
            while let Some(rel) = line[from..].find(pat) {
                let at = from + rel;
                from = at + pat.len();
                if meant(v.locate(i + 1, at + 1)) {
                    continue;
                }
                diags.push(
                    placer.at(
                        Diagnostic::error(
                            Code::LeftoverPlaceholder,
                            format!("template syntax `{pat}` would appear in the document"),
                        )
                        .with_hint("close the tag, or remove the stray braces")
                        .spanning(2),
                        v.locate(i + 1, at + 1),
                    ),
                );
            }
        }
        if let Some((at, len)) = legacy_token(line)
            && !meant(v.locate(i + 1, at + 1))
        {
            diags.push(
                placer.at(
                    Diagnostic::error(
                        Code::LeftoverPlaceholder,
                        format!(
                            "placeholder `{}` would appear in the document",
                            &line[at..at + len]
                        ),
                    )
                    .spanning(len as u32),
                    v.locate(i + 1, at + 1),
                ),
            );
        }
    }
}
