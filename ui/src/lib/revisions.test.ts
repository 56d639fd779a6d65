// @vitest-environment node
// Revisions on their own: the redline against another version or the last export, saving it,
// and carrying answers over to the fields an older version's names moved to.
import { describe, expect, it, vi } from "vitest";
import { ACME, ACME_PATH, fakeBackend, MIGRATION, REDLINE, TEMPLATE } from "../test/fixtures";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { TenantFile } from "./bindings/TenantFile";
import { Messages } from "./messages.svelte";
import { Revisions } from "./revisions.svelte";

function harness(values: TenantFile["values"] = structuredClone(ACME.values)) {
  const backend = fakeBackend();
  const messages = new Messages();
  const host = {
    template: structuredClone(TEMPLATE) as OpenedTemplate | null,
    tenant: { ...structuredClone(ACME), values },
    tenantPath: ACME_PATH as string | undefined,
    review: false,
    busy: false,
    render: vi.fn(() => 1),
    tenantName: () => "acme.json",
  };
  return { backend, messages, host, revisions: new Revisions(backend, messages, host) };
}

describe("the redline", () => {
  it("compares with another version of the template, and saves it for legal", async () => {
    const h = harness();
    await h.revisions.compareWithVersion("/old/privacy_notice.md");
    expect(h.backend.redlineTemplate).toHaveBeenCalledWith(h.host.tenant, "/old/privacy_notice.md");
    expect(h.revisions.redline).toEqual(REDLINE);
    expect(h.revisions.comparing).toBe(false);
    await h.revisions.saveRedline();
    expect(h.backend.saveRedline).toHaveBeenCalledWith(h.host.tenant, REDLINE.against);
    expect(h.messages.toast?.text).toBe(
      "Saved the redline to /home/am/redline-privacy-notice.html",
    );
    expect(h.host.busy).toBe(false);
  });

  it("compares with what the tenant last received; a failure says so and shows none", async () => {
    const h = harness();
    await h.revisions.compareWithLastExport();
    expect(h.revisions.redline?.against).toEqual({ kind: "last-export", tenant_path: ACME_PATH });
    h.backend.redlineLastExport.mockRejectedValueOnce({
      kind: "io",
      message: "no recorded export",
      diagnostics: [],
    });
    await h.revisions.compareWithLastExport();
    expect(h.revisions.redline).toBeNull();
    expect(h.messages.error?.text).toContain("no recorded export");
  });

  it("needs a template, and a saved tenant for the last export", async () => {
    const h = harness();
    h.host.tenantPath = undefined;
    await h.revisions.compareWithLastExport();
    h.host.template = null;
    await h.revisions.compareWithVersion(null);
    expect(h.backend.redlineLastExport).not.toHaveBeenCalled();
    expect(h.backend.redlineTemplate).not.toHaveBeenCalled();
  });
});

describe("carrying answers over", () => {
  it("moves answers to empty fields, removes those asked, and renders the unsaved result", async () => {
    const h = harness({
      hhs_client_domain: "acme.example.org",
      hhs_legacy_note: "kept since 2018",
    });
    await h.revisions.planMigration();
    expect(h.revisions.migration).toEqual(MIGRATION);
    h.revisions.applyMigration({ hhs_client_domain: "hhs_name", hhs_legacy_note: "drop" });
    expect(h.revisions.migration).toBeNull();
    expect(h.host.tenant.values).toEqual({ hhs_name: "acme.example.org" });
    expect(h.host.render).toHaveBeenCalledOnce();
    expect(h.messages.toast?.text).toBe(
      "1 answer carried over, 1 removed; save to keep the change",
    );
  });

  it("never overwrites a field that has an answer, and keeps what is kept", async () => {
    const h = harness({ hhs_client_domain: "acme.example.org", hhs_name: "acme" });
    await h.revisions.planMigration();
    h.revisions.applyMigration({ hhs_client_domain: "hhs_name" });
    expect(h.host.tenant.values).toEqual({
      hhs_client_domain: "acme.example.org",
      hhs_name: "acme",
    });
    expect(h.host.render).not.toHaveBeenCalled();
  });

  it("says so when every answer is for a field of this template", async () => {
    const h = harness();
    h.backend.migrationPlan.mockResolvedValueOnce({ orphans: [], open_fields: [] });
    await h.revisions.planMigration();
    expect(h.revisions.migration).toBeNull();
    expect(h.messages.toast?.text).toBe("Every answer is for a field of this template");
  });
});
