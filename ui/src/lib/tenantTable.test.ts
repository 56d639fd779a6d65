// @vitest-environment node
import { describe, expect, it } from "vitest";
import type { DocStatus } from "./bindings/DocStatus";
import type { WorkspaceTenant } from "./bindings/WorkspaceTenant";
import { filterRows, indexRows, naturalCompare, rowWindow, sortRows } from "./tenantTable";

const UP: DocStatus = { state: "up-to-date", version: "1.0.0" };
const OUTDATED: DocStatus = {
  state: "outdated",
  exported: "1.0.0",
  current: "2.0.0",
  must_accept: true,
};

function tenant(name: string, cells: DocStatus[]): WorkspaceTenant {
  const id = name.toLowerCase().replace(/ /g, "-");
  return {
    path: `/ws/tenants/${id}.json`,
    status: { tenant: id, name, documents: cells.map((s, i) => [`f/d${i}`, s]) },
  };
}

const names = (rows: ReturnType<typeof indexRows>) => rows.map((r) => r.tenant.status.name);

describe("tenant order", () => {
  it("sorts numbers by value and ignores case", () => {
    const v = ["Tenant 10", "tenant 2", "Tenant 1", "Tenant 100", "Tenant 9"];
    expect(v.sort(naturalCompare)).toEqual([
      "Tenant 1",
      "tenant 2",
      "Tenant 9",
      "Tenant 10",
      "Tenant 100",
    ]);
  });

  it("puts problems first, then outdated, changed, never exported, up to date", () => {
    const rows = indexRows([
      tenant("Tenant 10", [UP, { state: "never-exported" }]),
      tenant("Tenant 2", [UP, OUTDATED]),
      tenant("Tenant 3", [UP, UP]),
      tenant("Tenant 1", [{ state: "problems", errors: 2 }, OUTDATED]),
      tenant("Tenant 20", [{ state: "changed", version: "1.0.0" }, UP]),
    ]);
    expect(names(sortRows(rows, "status"))).toEqual([
      "Tenant 1",
      "Tenant 2",
      "Tenant 20",
      "Tenant 10",
      "Tenant 3",
    ]);
    expect(names(sortRows(rows, "name"))).toEqual([
      "Tenant 1",
      "Tenant 2",
      "Tenant 3",
      "Tenant 10",
      "Tenant 20",
    ]);
    expect(names(rows)[0]).toBe("Tenant 10"); // a sorted copy: the index is untouched
  });
});

describe("filter", () => {
  const rows = indexRows(Array.from({ length: 120 }, (_, i) => tenant(`Tenant ${i + 1}`, [UP])));

  it("matches name or id in any case and keeps the rows' objects", () => {
    const hits = filterRows(rows, "  TENANT 99 ");
    expect(names(hits)).toEqual(["Tenant 99"]);
    expect(hits[0]).toBe(rows[98]);
    expect(names(filterRows(rows, "tenant-11"))).toEqual([
      "Tenant 11",
      ...Array.from({ length: 10 }, (_, i) => `Tenant ${110 + i}`),
    ]);
    expect(filterRows(rows, "")).toBe(rows);
    expect(filterRows(rows, "nobody")).toEqual([]);
  });
});

describe("row window", () => {
  it("renders the rows in view and the overscan, padding the rest", () => {
    expect(rowWindow(10_000, 40, 0, 400, 5)).toEqual({
      start: 0,
      end: 16,
      padTop: 0,
      padBottom: (10_000 - 16) * 40,
    });
    const w = rowWindow(10_000, 40, 4_000, 400, 5);
    expect(w).toEqual({ start: 95, end: 116, padTop: 95 * 40, padBottom: (10_000 - 116) * 40 });
    // The window and its padding always add up to the whole table.
    expect(w.padTop + (w.end - w.start) * 40 + w.padBottom).toBe(10_000 * 40);
  });

  it("stays inside the table when scrolled past its end or when it is short", () => {
    expect(rowWindow(30, 40, 1_000_000, 400, 5)).toEqual({
      start: 29,
      end: 30,
      padTop: 29 * 40,
      padBottom: 0,
    });
    expect(rowWindow(8, 40, 0, 400)).toEqual({ start: 0, end: 8, padTop: 0, padBottom: 0 });
    expect(rowWindow(0, 40, 0, 400)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });
});
