// The status table at fleet scale, as pure functions: rows indexed once per load (lowercase
// search keys, urgency), natural and status order, the filter, and which rows are in view.
import type { DocStatus } from "./bindings/DocStatus";
import type { WorkspaceTenant } from "./bindings/WorkspaceTenant";

export type RowOrder = "name" | "status";

/** A tenant with what sorting and filtering need, computed once per load, not per keystroke. */
export type IndexedRow = {
  tenant: WorkspaceTenant;
  /** Lowercase name and id, for the filter. */
  key: string;
  /** The most urgent cell: 0 problems, 1 outdated, 2 changed, 3 never exported, 4 up to date. */
  urgency: number;
};

const URGENCY: Record<DocStatus["state"], number> = {
  problems: 0,
  outdated: 1,
  changed: 2,
  "never-exported": 3,
  "up-to-date": 4,
};

/** Natural order ignoring case and accents: "Tenant 2" before "Tenant 10". */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function indexRows(tenants: WorkspaceTenant[]): IndexedRow[] {
  return tenants.map((t) => ({
    tenant: t,
    key: `${t.status.name}\n${t.status.tenant}`.toLocaleLowerCase(),
    urgency: Math.min(4, ...t.status.documents.map(([, s]) => URGENCY[s.state])),
  }));
}

const label = (r: IndexedRow) => r.tenant.status.name || r.tenant.status.tenant;

/** A sorted copy: by name (natural), or the tenants that need someone first, by name within. */
export function sortRows(rows: IndexedRow[], order: RowOrder): IndexedRow[] {
  const byName = (a: IndexedRow, b: IndexedRow) =>
    naturalCompare(label(a), label(b)) ||
    naturalCompare(a.tenant.status.tenant, b.tenant.status.tenant);
  const cmp =
    order === "status"
      ? (a: IndexedRow, b: IndexedRow) => a.urgency - b.urgency || byName(a, b)
      : byName;
  return [...rows].sort(cmp);
}

/** The rows whose name or id contains `query` (any case), in their order. */
export function filterRows(rows: IndexedRow[], query: string): IndexedRow[] {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return rows;
  return rows.filter((r) => r.key.includes(q));
}

export type RowWindow = {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Space standing in for the rows above and below, in pixels. */
  padTop: number;
  padBottom: number;
};

/**
 * The rows to render for a viewport scrolled to `scrollTop` and `height` pixels tall, with
 * `overscan` rows more on each side (so Tab and the arrow keys find the next row already there).
 */
export function rowWindow(
  count: number,
  rowHeight: number,
  scrollTop: number,
  height: number,
  overscan = 12,
): RowWindow {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: count, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.min(Math.max(0, first - overscan), Math.max(0, count - 1));
  const end = Math.min(count, first + Math.ceil(Math.max(0, height) / rowHeight) + overscan + 1);
  return {
    start,
    end: Math.max(end, start),
    padTop: start * rowHeight,
    padBottom: (count - Math.max(end, start)) * rowHeight,
  };
}
