import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Diagnostic } from "../lib/bindings/Diagnostic";
import type { Field } from "../lib/bindings/Field";
import type { FieldValue } from "../lib/bindings/FieldValue";
import ListHarness from "../test/ListHarness.svelte";

function field(f: Partial<Field> & Pick<Field, "name" | "type" | "label">): Field {
  return { required: true, origin: "declared", uses: 1, ...f };
}

const SUBPROCESSORS = field({
  name: "subprocessors",
  label: "Sub-processors",
  type: "list",
  help: "Every company that processes personal data.",
  item: field({
    name: "item",
    label: "Item",
    type: "group",
    fields: [
      field({
        name: "name",
        label: "Name",
        type: "text",
        example: "Amazon Web Services EMEA SARL",
      }),
      field({ name: "purpose", label: "Purpose", type: "text", example: "Hosting and storage" }),
      field({ name: "location", label: "Location", type: "text", example: "Ireland (EU)" }),
    ],
  }),
});

afterEach(cleanup);

function setup(initial?: FieldValue, diagnostics: Diagnostic[] = []) {
  const onchange = vi.fn<(v: FieldValue) => void>();
  const onfocuspath = vi.fn<(p: string | null) => void>();
  render(ListHarness, {
    props: { field: SUBPROCESSORS, initial, diagnostics, onchange, onfocuspath },
  });
  const last = () => onchange.mock.lastCall?.[0];
  const names = () => (last() as { name?: FieldValue }[]).map((r) => r.name);
  return { onchange, onfocuspath, last, names };
}

function cell(row: number, label: string): HTMLInputElement {
  return screen.getByLabelText(`Sub-processors, row ${row}, ${label}`) as HTMLInputElement;
}

async function addRows(...names: string[]) {
  for (const name of names) {
    await fireEvent.click(screen.getByRole("button", { name: "+ Add row" }));
    const row = document.querySelectorAll("li.row").length;
    await waitFor(() => expect(document.activeElement).toBe(cell(row, "Name")));
    await fireEvent.input(cell(row, "Name"), { target: { value: name } });
  }
}

describe("ListField", () => {
  it("says what to add while empty: the help and the item's examples", () => {
    setup([]);
    const empty = screen.getByTestId("list-empty");
    expect(empty.textContent).toContain("No rows yet");
    expect(empty.textContent).toContain(
      "Amazon Web Services EMEA SARL · Hosting and storage · Ireland (EU)",
    );
    expect(screen.getByText("Every company that processes personal data.")).toBeTruthy();
  });

  it("adds three rows, each with labelled inputs, focused as they come", async () => {
    const { last, names } = setup([]);
    await addRows("AWS", "Cloudflare", "Mailgun");
    expect(names()).toEqual(["AWS", "Cloudflare", "Mailgun"]);
    expect(last()).toEqual([
      { name: "AWS", purpose: "", location: "" },
      { name: "Cloudflare", purpose: "", location: "" },
      { name: "Mailgun", purpose: "", location: "" },
    ]);
    const purpose = cell(2, "Purpose");
    expect(purpose.id).toBe("field-subprocessors[1].purpose");
    expect(purpose.dataset.path).toBe("subprocessors[1].purpose");
    expect(screen.queryByTestId("list-empty")).toBeNull();
  });

  it("moves a row with Alt+Arrow keys, keeps focus on it and announces the move", async () => {
    const { names } = setup([]);
    await addRows("AWS", "Cloudflare", "Mailgun");
    await fireEvent.keyDown(cell(3, "Name"), { key: "ArrowUp", altKey: true });
    expect(names()).toEqual(["AWS", "Mailgun", "Cloudflare"]);
    await waitFor(() => expect(document.activeElement).toBe(cell(2, "Name")));
    expect(screen.getByTestId("list-announcement").textContent).toBe(
      "Moved row 3 (Mailgun) to row 2 of 3.",
    );
    await fireEvent.keyDown(cell(1, "Name"), { key: "ArrowDown", altKey: true });
    expect(names()).toEqual(["Mailgun", "AWS", "Cloudflare"]);
    // Without Alt the arrows are the input's own.
    await fireEvent.keyDown(cell(1, "Name"), { key: "ArrowDown" });
    expect(names()).toEqual(["Mailgun", "AWS", "Cloudflare"]);
  });

  it("moves a row with its buttons; the first cannot go up, the last not down", async () => {
    const { names } = setup([]);
    await addRows("AWS", "Cloudflare", "Mailgun");
    const up1 = screen.getByRole("button", { name: "Move row 1 up" }) as HTMLButtonElement;
    const down3 = screen.getByRole("button", { name: "Move row 3 down" }) as HTMLButtonElement;
    expect(up1.disabled).toBe(true);
    expect(down3.disabled).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: "Move row 1 down" }));
    expect(names()).toEqual(["Cloudflare", "AWS", "Mailgun"]);
    await fireEvent.click(screen.getByRole("button", { name: "Move row 3 up" }));
    expect(names()).toEqual(["Cloudflare", "Mailgun", "AWS"]);
    expect(cell(2, "Name").value).toBe("Mailgun");
  });

  it("removes a row, offers it back, and removes an empty row without asking", async () => {
    const { names } = setup([]);
    await addRows("AWS", "Cloudflare", "Mailgun");
    await fireEvent.click(screen.getByRole("button", { name: "Remove row 2" }));
    expect(names()).toEqual(["AWS", "Mailgun"]);
    expect(screen.getByTestId("list-undo").textContent).toContain("Removed row 2 (Cloudflare)");
    await fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    expect(names()).toEqual(["AWS", "Cloudflare", "Mailgun"]);
    expect(screen.queryByTestId("list-undo")).toBeNull();

    await fireEvent.click(screen.getByRole("button", { name: "Remove row 1" }));
    expect(names()).toEqual(["Cloudflare", "Mailgun"]);
    await fireEvent.click(screen.getByRole("button", { name: "+ Add row" }));
    await fireEvent.click(screen.getByRole("button", { name: "Remove row 3" }));
    expect(names()).toEqual(["Cloudflare", "Mailgun"]);
    expect(screen.queryByTestId("list-undo")).toBeNull(); // nothing was lost
  });

  it("shows a row's problems beside its cell, and reports focus by row", async () => {
    const rows = [
      { name: "AWS", purpose: "Hosting", location: "EU" },
      { name: "Cloudflare", purpose: "CDN", location: "Mars" },
    ];
    const problem: Diagnostic = {
      severity: "error",
      code: "invalid-value",
      message: "Sub-processors, row 2: location is not a place",
      field: "subprocessors",
      field_path: "subprocessors[1].location",
    };
    const { onfocuspath } = setup(rows, [problem]);
    const location2 = cell(2, "Location");
    expect(location2.getAttribute("aria-invalid")).toBe("true");
    expect(cell(1, "Location").getAttribute("aria-invalid")).toBe("false");
    const describedBy = location2.getAttribute("aria-describedby") ?? "";
    expect(document.getElementById(describedBy)?.textContent).toContain("is not a place");
    expect(document.querySelector('li[data-row="1"]')?.classList.contains("invalid")).toBe(true);
    await fireEvent.focusIn(cell(2, "Purpose"));
    expect(onfocuspath).toHaveBeenLastCalledWith("subprocessors[1]");
  });

  it("marks a cell still empty as unfilled, without an error message", () => {
    const problem: Diagnostic = {
      severity: "error",
      code: "invalid-value",
      message: "Sub-processors, row 1: name is empty",
      field: "subprocessors",
      field_path: "subprocessors[0].name",
    };
    setup([{ name: "", purpose: "CDN", location: "US" }], [problem]);
    const name1 = cell(1, "Name");
    expect(name1.classList.contains("unfilled")).toBe(true);
    expect(name1.getAttribute("aria-invalid")).toBe("false");
    expect(screen.queryByText(/name is empty/)).toBeNull();
    expect(document.querySelector('li[data-row="0"]')?.classList.contains("invalid")).toBe(false);
  });
});
