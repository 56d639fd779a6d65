// Editing values that hold other values (lists and records) and numbers, without changing them in
// place: every helper returns a new value, which the form hands to `Studio.setValue` whole.
import type { Field } from "./bindings/Field";
import type { FieldValue } from "./bindings/FieldValue";
import type { Step } from "./fieldPath";

export type RecordValue = { [key in string]?: FieldValue };

export function isList(v: FieldValue | undefined): v is FieldValue[] {
  return Array.isArray(v);
}

export function isRecord(v: FieldValue | undefined): v is RecordValue {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A list value's rows; anything else (no value yet, a stray text) has none. */
export function rows(v: FieldValue | undefined): FieldValue[] {
  return isList(v) ? v : [];
}

/** No answer given: empty text, an empty list, a record whose every value is blank. */
export function isBlank(v: FieldValue | undefined): boolean {
  if (v === undefined) return true;
  if (typeof v === "string") return v.trim() === "";
  if (isList(v)) return v.length === 0;
  if (isRecord(v)) return Object.values(v).every(isBlank);
  return false; // a yes/no or a number is always an answer
}

/** The value at `steps` inside `v` (undefined where there is none). */
export function getAt(v: FieldValue | undefined, steps: readonly Step[]): FieldValue | undefined {
  let here = v;
  for (const s of steps) {
    if (typeof s === "number") here = isList(here) ? here[s] : undefined;
    else here = isRecord(here) ? here[s] : undefined;
    if (here === undefined) return undefined;
  }
  return here;
}

/**
 * A copy of `v` with `value` at `steps`, creating the records and rows on the way that are not
 * there yet. A row index past the end appends; the steps never leave holes in a list.
 */
export function setAt(
  v: FieldValue | undefined,
  steps: readonly Step[],
  value: FieldValue,
): FieldValue {
  if (steps.length === 0) return value;
  const [s, ...rest] = steps;
  if (typeof s === "number") {
    const list = rows(v).slice();
    const i = Math.max(0, Math.min(s, list.length));
    list[i] = setAt(list[i], rest, value);
    return list;
  }
  const rec: RecordValue = isRecord(v) ? { ...v } : {};
  rec[s] = setAt(rec[s], rest, value);
  return rec;
}

/** A copy of `list` with `item` inserted before row `index` (at the end when past it). */
export function insertRow(
  list: readonly FieldValue[],
  index: number,
  item: FieldValue,
): FieldValue[] {
  const out = list.slice();
  out.splice(Math.max(0, Math.min(index, out.length)), 0, item);
  return out;
}

/** A copy of `list` without row `index`. */
export function removeRow(list: readonly FieldValue[], index: number): FieldValue[] {
  return list.filter((_, i) => i !== index);
}

/**
 * A copy of `list` with row `from` moved to position `to` (clamped to the list); the same list
 * when nothing moves.
 */
export function moveRow(list: readonly FieldValue[], from: number, to: number): FieldValue[] {
  const target = Math.max(0, Math.min(to, list.length - 1));
  if (from < 0 || from >= list.length || from === target) return list.slice();
  const out = list.slice();
  const [row] = out.splice(from, 1);
  out.splice(target, 0, row);
  return out;
}

/**
 * A fresh value for `field`, as a new tenant file holds it: no for a yes/no, an empty list, a
 * record of fresh values, a plain default (one that is not itself a template), else empty text.
 */
export function emptyValue(field: Field): FieldValue {
  switch (field.type) {
    case "bool":
      return false;
    case "list":
      return [];
    case "group":
      return Object.fromEntries((field.fields ?? []).map((f) => [f.name, emptyValue(f)]));
    case "number": {
      const n = field.default === undefined ? Number.NaN : parseNumber(field.default);
      return Number.isNaN(n) ? "" : n;
    }
    default:
      return field.default !== undefined && !field.default.includes("{{") ? field.default : "";
  }
}

/** A new row of the list `field`: a fresh value of its item (empty text when it declares none). */
export function emptyItem(field: Field): FieldValue {
  return field.item ? emptyValue(field.item) : "";
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number `text` spells (surrounding spaces allowed), or NaN. */
export function parseNumber(text: string): number {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : Number.NaN;
}

/**
 * What a number input stores for the text in it: a number when the text is one, else the text
 * itself (the engine then says it "is not a number"); empty text stays empty (no answer).
 */
export function numberValue(text: string): FieldValue {
  if (text.trim() === "") return "";
  const n = parseNumber(text);
  return Number.isFinite(n) ? n : text;
}

/** A value as a number input shows it. */
export function numberText(v: FieldValue | undefined): string {
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  return "";
}

/**
 * A row in a few words, for announcing and undoing: its first filled-in values, a record's in the
 * order its `item` declares them.
 */
export function rowSummary(v: FieldValue | undefined, item?: Field, max = 2): string {
  if (v === undefined) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  const parts = isList(v)
    ? v.map((x) => rowSummary(x, item?.item))
    : orderedKeys(v, item).map((k) =>
        rowSummary(
          v[k],
          item?.fields?.find((f) => f.name === k),
        ),
      );
  return parts
    .filter((s) => s !== "")
    .slice(0, max)
    .join(", ");
}

/** A record's keys: the declared ones first, in their order, then any others. */
function orderedKeys(v: RecordValue, item?: Field): string[] {
  const declared = (item?.fields ?? []).map((f) => f.name);
  return [...declared, ...Object.keys(v).filter((k) => !declared.includes(k))];
}
