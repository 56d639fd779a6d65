// Paths to values inside a field, as the engine writes them (`subprocessors[1].name`, 0-based rows,
// `company.name`): in diagnostics (`field_path`), in the preview (`data-path`) and in the form's
// input ids. Text only: nothing here reads or changes values (that is listValue.ts).
import type { Diagnostic } from "./bindings/Diagnostic";

/** One step of a path: a row index or a record key. */
export type Step = number | string;

/** `name[1].purpose` → `["name", 1, "purpose"]`. A malformed path gives its text as one key. */
export function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/gy;
  let expectKey = true;
  let at = 0;
  while (at < path.length) {
    if (!expectKey && path[at] === ".") {
      at++;
      expectKey = true;
      continue;
    }
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m || (m[1] !== undefined && !expectKey)) return [path];
    steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
    expectKey = false;
    at = re.lastIndex;
  }
  return expectKey && steps.length > 0 ? [path] : steps;
}

/** `["name", 1, "purpose"]` → `name[1].purpose`. */
export function formatPath(steps: readonly Step[]): string {
  let out = "";
  for (const s of steps) {
    if (typeof s === "number") out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

/** The path of row `index` of the list at `path`. */
export function rowPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** The path of key `key` of the record at `path`. */
export function keyPath(path: string, key: string): string {
  return `${path}.${key}`;
}

/**
 * Whether `path` is `prefix` or lies inside it: `name[1].purpose` is within `name[1]` and
 * `name`, but `name[10]` is not within `name[1]`, nor `names` within `name`.
 */
export function isWithin(path: string | undefined, prefix: string): boolean {
  if (path === undefined || !path.startsWith(prefix)) return false;
  const next = path[prefix.length];
  return next === undefined || next === "." || next === "[";
}

/** `name[1].purpose`, `name[1]`, `name`: the path and each of its parents, nearest first. */
export function selfAndParents(path: string): string[] {
  const steps = parsePath(path);
  const out: string[] = [];
  for (let n = steps.length; n > 0; n--) out.push(formatPath(steps.slice(0, n)));
  return out;
}

/**
 * The diagnostics of field `name` that point inside it at `prefix` (or deeper), but not inside
 * any of `except` (shown elsewhere: a row's cells); each message once.
 */
export function diagnosticsWithin(
  diagnostics: readonly Diagnostic[],
  name: string,
  prefix: string,
  except: readonly string[] = [],
): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    if (d.field !== name || !isWithin(d.field_path, prefix) || seen.has(d.message)) return false;
    if (except.some((p) => isWithin(d.field_path, p))) return false;
    seen.add(d.message);
    return true;
  });
}
