// The Problems panel model: ordering, counts, navigation and mapping problems to preview blocks.
import type { Diagnostic } from "./bindings/Diagnostic";
import type { Severity } from "./bindings/Severity";
import type { Summary } from "./bindings/Summary";

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Keys for listing `list`: a problem keeps its key while only its message changes (a message
 * quoting a value changes on every keystroke), so its row is updated rather than rebuilt; two
 * problems alike but for the message are told apart by their order.
 */
export function rowKeys(list: readonly Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  return list.map((d) => {
    const at = place(d).join("\u0000");
    const n = seen.get(at) ?? 0;
    seen.set(at, n + 1);
    return `${at}\u0000${n}`;
  });
}

/** What a problem is and where, without its message. */
function place(d: Diagnostic): (string | number)[] {
  return [
    d.severity,
    d.code,
    d.field ?? "",
    d.field_path ?? "",
    d.path ?? "",
    d.line ?? "",
    d.column ?? "",
  ];
}

export function problemKey(d: Diagnostic): string {
  return [...place(d), d.message].join("\u0000");
}

/** Merges lists, dropping exact duplicates (a template's load problems may come back on render). */
export function mergeProblems(...lists: ReadonlyArray<readonly Diagnostic[]>): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const list of lists) {
    for (const d of list) {
      const k = problemKey(d);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(d);
    }
  }
  return out;
}

/** Panel (and F8) order: errors, then warnings, then infos; within each, by line (no line last). */
export function sortProblems(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const s = SEVERITY_RANK[a.d.severity] - SEVERITY_RANK[b.d.severity];
      if (s !== 0) return s;
      const la = a.d.line ?? Number.POSITIVE_INFINITY;
      const lb = b.d.line ?? Number.POSITIVE_INFINITY;
      if (la !== lb) return la - lb;
      const ca = a.d.column ?? 0;
      const cb = b.d.column ?? 0;
      if (ca !== cb) return ca - cb;
      return a.i - b.i;
    })
    .map((x) => x.d);
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Summary {
  const s: Summary = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === "error") s.errors++;
    else if (d.severity === "warning") s.warnings++;
    else s.infos++;
  }
  return s;
}

export function worstSeverity(diagnostics: readonly Diagnostic[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const d of diagnostics) {
    if (worst === undefined || SEVERITY_RANK[d.severity] < SEVERITY_RANK[worst]) worst = d.severity;
  }
  return worst;
}

/**
 * The index F8 (dir 1) or Shift+F8 (dir -1) moves to, wrapping around. With no current problem,
 * F8 goes to the first and Shift+F8 to the last.
 */
export function stepIndex(current: number, length: number, dir: 1 | -1): number {
  if (length <= 0) return -1;
  if (current < 0 || current >= length) return dir === 1 ? 0 : length - 1;
  return (current + dir + length) % length;
}

/** Template line numbers map onto the preview; lines in the tenant file or the field sidecar do not. */
export function mapsToPreview(d: Diagnostic): boolean {
  if (d.line === undefined) return false;
  if (d.path && /\.(ya?ml|json|toml)$/i.test(d.path)) return false;
  return true;
}

export type LineRange = { start: number; end: number };

/** Parses comrak's `data-sourcepos="L1:C1-L2:C2"`. */
export function parseSourcepos(value: string | null | undefined): LineRange | null {
  if (!value) return null;
  const m = /^(\d+):\d+-(\d+):\d+$/.exec(value.trim());
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]) };
}

function blocks(
  root: ParentNode,
  topLevelOnly: boolean,
): Array<{ el: HTMLElement; range: LineRange }> {
  const els = topLevelOnly
    ? Array.from(root.children).filter((c) => c.hasAttribute("data-sourcepos"))
    : Array.from(root.querySelectorAll("[data-sourcepos]"));
  const out: Array<{ el: HTMLElement; range: LineRange }> = [];
  for (const el of els) {
    const range = parseSourcepos(el.getAttribute("data-sourcepos"));
    if (range) out.push({ el: el as HTMLElement, range });
  }
  return out;
}

/**
 * The innermost block whose line range holds `line`; failing that, the first block after it
 * (a problem on a blank line), failing that the last block.
 */
export function blockForLine(root: ParentNode, line: number): HTMLElement | null {
  const all = blocks(root, false);
  let best: { el: HTMLElement; range: LineRange } | null = null;
  for (const b of all) {
    if (b.range.start <= line && line <= b.range.end) {
      if (!best || b.range.end - b.range.start <= best.range.end - best.range.start) best = b;
    }
  }
  if (best) return best.el;
  const after = all
    .filter((b) => b.range.start > line)
    .sort((a, b) => a.range.start - b.range.start);
  if (after.length > 0) return after[0].el;
  return all.length > 0 ? all[all.length - 1].el : null;
}

/** Top-level blocks with the problems that fall in their line ranges (for the review gutter). */
export function gutterMarks(
  root: ParentNode,
  problems: readonly Diagnostic[],
): Array<{ el: HTMLElement; problems: Diagnostic[] }> {
  const tops = blocks(root, true);
  const marks = new Map<HTMLElement, Diagnostic[]>();
  for (const d of problems) {
    if (!mapsToPreview(d) || d.line === undefined) continue;
    const line = d.line;
    const b = tops.find((t) => t.range.start <= line && line <= t.range.end);
    if (!b) continue;
    const list = marks.get(b.el) ?? [];
    list.push(d);
    marks.set(b.el, list);
  }
  return Array.from(marks, ([el, ps]) => ({ el, problems: ps }));
}

/** Where a diagnostic points, to follow its message: " (line 3, column 5)", or "" if nowhere. */
export function whereText(d: Pick<Diagnostic, "line" | "column">): string {
  if (d.line === undefined) return "";
  return d.column === undefined ? ` (line ${d.line})` : ` (line ${d.line}, column ${d.column})`;
}
