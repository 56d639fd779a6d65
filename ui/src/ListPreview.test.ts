// The list field in the app: rows sent whole to the engine, a click on a row's value in the
// preview focuses that row's input, and a focused row highlights where it lands in the preview.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { Field } from "./lib/bindings/Field";
import type { FieldValue } from "./lib/bindings/FieldValue";
import type { RenderedNotice } from "./lib/bindings/RenderedNotice";
import type { TenantFile } from "./lib/bindings/TenantFile";
import { fakeBackend, fakeWindow, opened, startup, TEMPLATE } from "./test/fixtures";

const text = (name: string, label: string): Field => ({
  name,
  label,
  type: "text",
  required: true,
  origin: "declared",
  uses: 1,
});
const SUBPROCESSORS: Field = {
  ...text("subprocessors", "Sub-processors"),
  type: "list",
  item: {
    ...text("item", "Item"),
    type: "group",
    fields: [text("name", "Name"), text("purpose", "Purpose")],
  },
};
const ROWS = [
  { name: "AWS", purpose: "Hosting" },
  { name: "Cloudflare", purpose: "" },
];

/** The engine's markup for the rows: values and unfilled marks carry their path. */
function listRender(t: TenantFile): RenderedNotice {
  const rows = (t.values.subprocessors ?? []) as { [k: string]: FieldValue | undefined }[];
  const cell = (i: number, k: string) => {
    const v = rows[i][k];
    const at = `data-field="subprocessors" data-path="subprocessors[${i}].${k}"`;
    return v
      ? `<span class="field-value" ${at}>${v}</span>`
      : `<mark class="unfilled" ${at}>${k}</mark>`;
  };
  const body = [
    `<table data-sourcepos="1:1-3:10"><tbody>${rows
      .map((_, i) => `<tr><td>${cell(i, "name")}</td><td>${cell(i, "purpose")}</td></tr>`)
      .join("")}</tbody></table>`,
    `<p data-sourcepos="5:1-5:20">We list <span class="field-value" data-field="subprocessors">${rows.length}</span>.</p>`,
  ];
  return {
    title: "Sub-processors",
    version: "1.0.0",
    body_html: body.join("\n"),
    blocks: body.map((b) => `${b}\n`),
    markdown: "",
    diagnostics: [],
    sections: [],
    values: t.values,
    derived: [],
    rendered: true,
  };
}

async function setup() {
  const template = structuredClone(TEMPLATE);
  template.schema.fields = [SUBPROCESSORS];
  const tenant: TenantFile = { format: 2, tenant: "Globex", values: { subprocessors: ROWS } };
  const backend = fakeBackend(
    startup({ template, tenant: opened(tenant, "/home/am/globex.json") }),
  );
  backend.renderPreview.mockImplementation(async (t: TenantFile) => listRender(t));
  render(App, {
    props: { backend, appWindow: fakeWindow(), autosaveMs: 60_000, onstudio: () => {} },
  });
  await waitFor(() => expect(window.__noticeReady).toBe(true));
  await waitFor(() => expect(screen.getByTestId("preview").querySelector("table")).toBeTruthy());
  return backend;
}

afterEach(cleanup);

describe("a list field in the app", () => {
  it("clicking a row's value or unfilled mark in the preview focuses that row's input", async () => {
    await setup();
    const preview = screen.getByTestId("preview");
    await fireEvent.click(
      preview.querySelector('[data-path="subprocessors[1].purpose"]') as Element,
    );
    expect(document.activeElement?.id).toBe("field-subprocessors[1].purpose");
    await fireEvent.click(preview.querySelector('[data-path="subprocessors[0].name"]') as Element);
    expect(document.activeElement?.id).toBe("field-subprocessors[0].name");
  });

  it("a focused row highlights its places in the preview, and only them", async () => {
    await setup();
    await fireEvent.focusIn(screen.getByLabelText("Sub-processors, row 2, Name"));
    const preview = screen.getByTestId("preview");
    await waitFor(() =>
      expect(
        [...preview.querySelectorAll(".uses-highlight")].map((e) => e.getAttribute("data-path")),
      ).toEqual(["subprocessors[1].name", "subprocessors[1].purpose"]),
    );
  });

  it("sends the rows whole to the engine, in their new order", async () => {
    const backend = await setup();
    await fireEvent.click(screen.getByRole("button", { name: "Move row 2 up" }));
    await waitFor(() => {
      const last = backend.renderPreview.mock.lastCall?.[0] as TenantFile;
      expect(last.values.subprocessors).toEqual([ROWS[1], ROWS[0]]);
    });
  });
});
