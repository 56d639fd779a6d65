// @vitest-environment node
// Exports and sign-off on their own: what an export says, a refused export's list and its draft,
// the Synapse folder, and approving (setting up the reviewer first, saving first).
import { describe, expect, it, vi } from "vitest";
import { ACME, ACME_PATH, fakeBackend, reviewerInfo, TEMPLATE } from "../test/fixtures";
import { Approvals } from "./approval.svelte";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import { Exports } from "./exports.svelte";
import { Messages } from "./messages.svelte";

const UNFILLED: Diagnostic = { severity: "error", code: "unfilled-placeholder", message: "Name" };

function harness(template: OpenedTemplate = structuredClone(TEMPLATE)) {
  const backend = fakeBackend();
  const messages = new Messages();
  const approvals = new Approvals(backend);
  const host = {
    template: template as OpenedTemplate | null,
    tenant: structuredClone(ACME),
    tenantPath: ACME_PATH as string | undefined,
    dirty: false,
    problems: [] as Diagnostic[],
    counts: { errors: 0 },
    busy: false,
    pdfSettings: () => ({ paper: "a4" as const, standards: [] }),
    templateName: () => "privacy_notice.md",
    save: vi.fn(async () => {
      host.dirty = false;
      return true;
    }),
  };
  const exports = new Exports(backend, messages, approvals, host);
  return { backend, messages, approvals, host, exports };
}

describe("exporting", () => {
  it("exports and says where to, with its warnings; PDF gets the paper settings", async () => {
    const h = harness();
    await h.exports.exportDocument("html", false);
    expect(h.backend.exportDocument).toHaveBeenCalledWith(
      h.host.tenant,
      "html",
      false,
      null,
      ACME_PATH,
    );
    expect(h.messages.toast?.text).toBe("Exported to /home/am/acme.html (1 warning)");
    await h.exports.exportDocument("pdf", true);
    expect(h.backend.exportDocument).toHaveBeenLastCalledWith(
      h.host.tenant,
      "pdf",
      true,
      { paper: "a4", standards: [] },
      ACME_PATH,
    );
    expect(h.messages.toast?.text).toBe("Exported draft to /home/am/acme.pdf (1 warning)");
    expect(h.host.busy).toBe(false);
  });

  it("a refused export lists what blocks it, and the draft goes out instead", async () => {
    const h = harness();
    h.host.problems = [
      UNFILLED,
      { severity: "warning", code: "fragile-emphasis", message: "Only a warning" },
    ];
    h.backend.exportDocument.mockRejectedValueOnce({
      kind: "refused",
      message: "",
      diagnostics: [],
    });
    await h.exports.exportDocument("pdf", false);
    expect(h.exports.refused).toEqual({ format: "pdf", diagnostics: [UNFILLED] });
    await h.exports.exportDraftInstead();
    expect(h.exports.refused).toBeNull();
    expect(h.backend.exportDocument).toHaveBeenLastCalledWith(
      expect.anything(),
      "pdf",
      true,
      expect.anything(),
      ACME_PATH,
    );
  });

  it("any other failure is an error banner", async () => {
    const h = harness();
    h.backend.exportDocument.mockRejectedValueOnce({
      kind: "io",
      message: "disk full",
      diagnostics: [],
    });
    await h.exports.exportDocument("html", false);
    expect(h.exports.refused).toBeNull();
    expect(h.messages.error?.text).toContain("disk full");
  });

  it("exports a consent page for Synapse; refused, it offers no draft", async () => {
    const h = harness({ ...structuredClone(TEMPLATE), consent: true });
    await h.exports.exportForSynapse();
    expect(h.exports.synapseExport?.folder).toBe("/home/am/synapse");
    h.backend.exportForSynapse.mockRejectedValueOnce({
      kind: "refused",
      message: "",
      diagnostics: [UNFILLED],
    });
    await h.exports.exportForSynapse();
    expect(h.exports.refused?.format).toBe("synapse");
    await h.exports.exportDraftInstead();
    expect(h.backend.exportDocument).not.toHaveBeenCalled();
  });

  it("an ordinary template has no Synapse export", async () => {
    const h = harness();
    await h.exports.exportForSynapse();
    expect(h.backend.exportForSynapse).not.toHaveBeenCalled();
  });
});

describe("signing off", () => {
  it("sets up the reviewer first, then approves the saved file", async () => {
    const h = harness();
    await h.exports.approve();
    expect(h.approvals.dialog).toEqual({ approveAfter: true });
    await h.approvals.setReviewer("Ada Lovelace", "ada@example.org");
    h.host.dirty = true;
    await h.exports.reviewerDone();
    expect(h.approvals.dialog).toBeNull();
    expect(h.host.save).toHaveBeenCalledOnce(); // an approval is of the file on disk
    expect(h.backend.approveDocument).toHaveBeenCalledWith(ACME_PATH);
    expect(h.messages.toast?.text).toBe("Approved by Ada Lovelace on 27 Nov 2026");
  });

  it("approves nothing while the document has errors", async () => {
    const h = harness();
    h.approvals.reviewer = reviewerInfo("Ada Lovelace", "ada@example.org");
    h.host.counts = { errors: 2 };
    await h.exports.approve();
    expect(h.backend.approveDocument).not.toHaveBeenCalled();
    expect(h.messages.toast?.text).toBe(
      "Fix the 2 errors first: legal approves only what can be exported",
    );
  });
});
