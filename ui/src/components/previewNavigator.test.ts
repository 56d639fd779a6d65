// The preview's navigator on its own: a problem or a field is shown by focusing its input, or
// else by bringing its place in the document into view (on the document tab) and flashing it.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PreviewTab } from "../lib/studio.svelte";
import { PreviewNavigator } from "./previewNavigator";

function harness(tab: PreviewTab = "document", review = false) {
  document.body.innerHTML = `
    <form><input id="field-hhs_name" /></form>
    <div class="scroller"><div class="notice">
      <p data-sourcepos="3:1-3:20">Operated by <span class="field-value" data-field="hhs_entity_name">Acme</span></p>
      <p data-sourcepos="8:1-9:10">Contact <span class="field-value" data-field="hhs_admin_email">dpo@</span></p>
    </div></div>`;
  const root = document.querySelector<HTMLElement>(".notice") as HTMLElement;
  const scroller = document.querySelector<HTMLElement>(".scroller");
  const host = {
    review,
    previewTab: tab,
    showTab: vi.fn((t: PreviewTab) => {
      host.previewTab = t;
    }),
  };
  return { host, root, navigator: new PreviewNavigator(host, root, scroller) };
}

const flashed = (el: Element | null) => el?.classList.contains("flash");

afterEach(() => {
  document.body.innerHTML = "";
});

describe("the preview navigator", () => {
  it("focuses a field's input when the form has one", () => {
    const h = harness();
    expect(h.navigator.focusField("hhs_name")).toBe(true);
    expect(document.activeElement?.id).toBe("field-hhs_name");
  });

  it("else shows the field's first use in the document, switching to it from the pages", () => {
    const h = harness("pages");
    expect(h.navigator.focusField("hhs_entity_name")).toBe(true);
    expect(h.host.showTab).toHaveBeenCalledWith("document");
    const use = h.root.querySelector('[data-field="hhs_entity_name"]');
    expect(use?.classList.contains("uses-highlight")).toBe(true);
    expect(flashed(use)).toBe(true);
  });

  it("in review mode shows the use even where the form has an input", () => {
    const h = harness("document", true);
    expect(h.navigator.focusField("hhs_admin_email")).toBe(true);
    expect(document.activeElement?.id).not.toBe("field-hhs_admin_email");
    expect(flashed(h.root.querySelector('[data-field="hhs_admin_email"]'))).toBe(true);
    expect(h.host.showTab).not.toHaveBeenCalled(); // already on the document
  });

  it("reveals a template problem at its line's block; a field that is nowhere is not found", () => {
    const h = harness();
    h.navigator.reveal({ severity: "warning", code: "unpaired-emphasis", message: "m", line: 9 });
    expect(flashed(h.root.querySelector('[data-sourcepos="8:1-9:10"]'))).toBe(true);
    expect(h.navigator.focusField("nowhere")).toBe(false);
  });
});
