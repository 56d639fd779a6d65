//! Running a compiled template ([`Program`], compiled by `template::jinja`): the tenant's values
//! as minijinja's context, the output with its value tokens and line marks taken out, and the
//! recorded hits in output order.

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::Error;
use minijinja::value::Value;

use crate::template::jinja::{Hit, Program, RECORDER, Recorder, Recording};
use crate::token;
use crate::values::TenantValues;

impl Program {
    /// Renders `name` (the body or the title) with `values`.
    pub(crate) fn run(
        &self,
        name: &str,
        values: &TenantValues,
        start: (u32, u32),
    ) -> Result<(String, Recording), Error> {
        let rec = Arc::new(Recorder::default());
        // Names starting with `__` belong to the instrumentation (`__slot`, `__nl`, `__loopN`,
        // the recorder): a tenant value by that name would shadow them and break the render.
        let mut ctx: BTreeMap<String, Value> = values
            .iter()
            .filter(|(k, _)| !k.starts_with("__"))
            .map(|(k, v)| (k.clone(), v.to_jinja()))
            .collect();
        ctx.insert(RECORDER.into(), Value::from_dyn_object(Arc::clone(&rec)));
        let raw = self.env.get_template(name)?.render(ctx)?;
        let (marked, printed) = token::take_value_texts(&raw);
        let (out, lines) = token::take_line_marks(&marked, start);
        let recorded = std::mem::take(&mut rec.lock().hits);
        // One hit per value in the output, in order, with its text as the template left it (a
        // filter block may have changed it); then the values captured but never printed.
        let mut hits: Vec<Hit> = Vec::with_capacity(recorded.len());
        let mut seen = vec![false; recorded.len()];
        for (index, text) in printed {
            let Some(h) = recorded.get(index) else {
                continue;
            };
            seen[index] = true;
            let mut h = h.clone();
            if h.text.is_some() || !text.is_empty() {
                h.text = Some(text);
            }
            h.printed = true;
            hits.push(h);
        }
        hits.extend(
            recorded
                .into_iter()
                .zip(seen)
                .filter(|(_, seen)| !seen)
                .map(|(h, _)| h),
        );
        Ok((out, Recording { hits, lines }))
    }
}
