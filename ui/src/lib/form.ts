// The form model: which input each field gets, how fields group, and how typed text becomes values.
import type { Diagnostic } from "./bindings/Diagnostic";
import type { Field } from "./bindings/Field";
import type { FieldType } from "./bindings/FieldType";
import type { FieldValue } from "./bindings/FieldValue";
import { selfAndParents } from "./fieldPath";

export const OTHER_GROUP = "Other";

export type FieldGroup = { name: string; fields: Field[] };

/** Groups in order of first appearance, fields in declaration order; ungrouped fields go last, under "Other". */
export function groupFields(fields: readonly Field[]): FieldGroup[] {
  const groups: FieldGroup[] = [];
  const byName = new Map<string, FieldGroup>();
  const other: Field[] = [];
  for (const f of fields) {
    const name = f.group?.trim();
    if (!name) {
      other.push(f);
      continue;
    }
    let g = byName.get(name);
    if (!g) {
      g = { name, fields: [] };
      byName.set(name, g);
      groups.push(g);
    }
    g.fields.push(f);
  }
  if (other.length > 0) {
    const existing = byName.get(OTHER_GROUP);
    if (existing) existing.fields.push(...other);
    else groups.push({ name: OTHER_GROUP, fields: other });
  }
  return groups;
}

export type InputKind =
  | "text"
  | "textarea"
  | "email"
  | "url"
  | "date"
  | "checkbox"
  | "select"
  | "number";

export function inputKind(type: FieldType): InputKind {
  switch (type) {
    case "multiline":
      return "textarea";
    case "email":
      return "email";
    case "url":
      return "url";
    case "date":
      return "date";
    case "bool":
      return "checkbox";
    case "choice":
      return "select";
    case "number":
      return "number";
    default:
      return "text";
  }
}

/** Host names and server names are not prose: no spellcheck, no autocapitalisation. */
export function isIdentifierType(type: FieldType): boolean {
  return type === "hostname" || type === "matrix_server_name";
}

/** A field's input id; also of a value inside it, by its path (`field-subprocessors[1].name`). */
export function fieldInputId(name: string): string {
  return `field-${name}`;
}

/** Fields shown as a sub-form or a list of rows rather than one input. */
export function isCompound(type: FieldType): boolean {
  return type === "list" || type === "group";
}

/**
 * The form's input for `path` inside field `name` (`subprocessors[1].name`): its own, else the
 * first input inside it (a row), else its nearest parent's, else the field's.
 */
export function inputFor(doc: Document, name: string, path?: string): HTMLElement | null {
  for (const p of path ? selfAndParents(path) : []) {
    const own = doc.getElementById(fieldInputId(p));
    if (own) return own;
    const quoted = p.replace(/["\\]/g, "\\$&");
    const inside = doc.querySelector<HTMLElement>(
      `:is(input, textarea, select)[data-path^="${quoted}."], :is(input, textarea, select)[data-path^="${quoted}["]`,
    );
    if (inside) return inside;
  }
  return doc.getElementById(fieldInputId(name));
}

export function helpId(name: string): string {
  return `field-${name}-help`;
}

export function messagesId(name: string): string {
  return `field-${name}-messages`;
}

/** Whether the field's effective value currently comes from its default. */
export function isDerived(name: string, derived: readonly string[] | undefined): boolean {
  return derived?.includes(name) ?? false;
}

/** The derived (default) value of a field, if it currently has one. */
export function derivedValue(
  name: string,
  derived: readonly string[] | undefined,
  values: Record<string, FieldValue> | undefined,
): string | undefined {
  if (!isDerived(name, derived)) return undefined;
  const v = values?.[name];
  if (v === undefined || v === "") return undefined;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return String(v);
  return typeof v === "string" ? v : undefined;
}

/** Placeholder text: the derived value when a default applies, else "e.g. <example>". */
export function placeholderFor(field: Field, derived?: string): string {
  if (derived !== undefined) return derived;
  if (field.example) return `e.g. ${field.example}`;
  return "";
}

const FIELD_MESSAGE_CODES = new Set(["invalid-value", "unknown-field", "unsafe-link"]);

/** The diagnostics shown inline under a field. */
export function fieldMessages(diagnostics: readonly Diagnostic[], name: string): Diagnostic[] {
  return diagnostics.filter((d) => d.field === name && FIELD_MESSAGE_CODES.has(d.code));
}

/** The text an input shows for a stored value. */
export function textValue(v: FieldValue | undefined): string {
  if (v === undefined) return "";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return String(v);
  return typeof v === "string" ? v : ""; // a list or record has no text of its own
}

export function boolValue(v: FieldValue | undefined): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") return ["true", "yes", "1", "on"].includes(v.trim().toLowerCase());
  return false;
}

/**
 * A copy of `values` with one field set. Clearing a text field removes the key so the field
 * falls back to its default (if it has one) instead of rendering as the empty string.
 */
export function withValue(
  values: Record<string, FieldValue>,
  name: string,
  value: FieldValue,
): Record<string, FieldValue> {
  const next = { ...values };
  if (value === "") delete next[name];
  else next[name] = value;
  return next;
}
