// @vitest-environment node
// The tenant session on its own: opening and saving a tenant file, the unsaved-changes question,
// the autosave, following the file on disk, and closing without losing edits.
import { describe, expect, it, vi } from "vitest";
import { ACME, ACME_PATH, fakeBackend, opened } from "../test/fixtures";
import type { OpenedTenant } from "./bindings/OpenedTenant";
import { Messages } from "./messages.svelte";
import { TenantSession } from "./tenantSession.svelte";

function harness() {
  const backend = fakeBackend();
  const messages = new Messages();
  const hooks = {
    templatePath: vi.fn((): string | undefined => "/t/privacy_notice.md"),
    loaded: vi.fn(),
    saved: vi.fn(),
    recentChanged: vi.fn(async () => {}),
    busy: vi.fn(),
  };
  const session = new TenantSession(backend, messages, hooks);
  session.load(opened(ACME, ACME_PATH));
  hooks.loaded.mockClear();
  const edit = (v: string) => {
    session.tenant.values = { ...session.tenant.values, hhs_name: v };
  };
  return { backend, messages, hooks, session, edit };
}

describe("opening and saving", () => {
  it("a loaded file is clean until edited, and its conversions are told", () => {
    const h = harness();
    expect(h.session.dirty).toBe(false);
    h.edit("changed");
    expect(h.session.dirty).toBe(true);
    const old: OpenedTenant = opened(ACME, "/home/am/old.json");
    old.report.legacy_format = true;
    h.session.load(old, false);
    expect(h.session.dirty).toBe(false);
    expect(h.session.tenantPath).toBe("/home/am/old.json");
    expect(h.hooks.loaded).toHaveBeenCalledWith(false);
    expect(h.messages.toast?.text).toBe("old.json: converted from the old flat format");
  });

  it("saving writes the file, makes it clean, and tells the rest of the app", async () => {
    const h = harness();
    h.edit("saved");
    expect(await h.session.save()).toBe(true);
    expect(h.backend.saveTenant).toHaveBeenCalledWith(
      expect.objectContaining({ values: expect.objectContaining({ hhs_name: "saved" }) }),
      ACME_PATH,
    );
    expect(h.session.dirty).toBe(false);
    expect(h.hooks.busy.mock.calls).toEqual([[true], [false]]);
    expect(h.hooks.saved).toHaveBeenCalledWith(expect.anything(), ACME_PATH);
    expect(h.backend.clearAutosave).toHaveBeenCalledOnce();
    expect(h.hooks.recentChanged).toHaveBeenCalledOnce();
    expect(h.messages.toast?.text).toBe(`Saved ${ACME_PATH}`);
  });

  it("Save As takes the new path; a failed save keeps the edits and says why", async () => {
    const h = harness();
    h.edit("elsewhere");
    expect(await h.session.saveAs()).toBe(true);
    expect(h.session.tenantPath).toBe("/home/am/new.json");
    h.edit("again");
    h.backend.saveTenant.mockRejectedValueOnce({
      kind: "io",
      message: "read-only",
      diagnostics: [],
    });
    expect(await h.session.save()).toBe(false);
    expect(h.session.dirty).toBe(true);
    expect(h.messages.error?.text).toContain("read-only");
  });

  it("asks about unsaved changes before going on, and does as answered", async () => {
    const h = harness();
    expect(await h.session.guardUnsaved()).toBe(true); // clean: nothing to ask
    expect(h.messages.confirm).toBeNull();
    h.edit("unsaved");
    let going = h.session.guardUnsaved();
    h.messages.answer("cancel");
    expect(await going).toBe(false);
    going = h.session.guardUnsaved();
    h.messages.answer("save");
    expect(await going).toBe(true);
    expect(h.backend.saveTenant).toHaveBeenCalledOnce();
    h.edit("dropped");
    const opening = h.session.openTenant("/home/am/globex.json");
    h.messages.answer("discard");
    await opening;
    expect(h.session.tenant.tenant).toBe("Globex");
    expect(h.session.dirty).toBe(false);
  });
});

describe("autosave and recovery", () => {
  it("writes the working state once per change, only while dirty", async () => {
    const h = harness();
    expect(await h.session.autosave()).toBe(false);
    h.edit("one");
    expect(await h.session.autosave(new Date("2026-12-01T10:00:00Z"))).toBe(true);
    expect(h.backend.writeAutosave).toHaveBeenCalledWith(
      expect.objectContaining({ template_path: "/t/privacy_notice.md", tenant_path: ACME_PATH }),
    );
    expect(await h.session.autosave()).toBe(false); // the same state again
    h.edit("two");
    h.session.recovery = {
      template_path: "/t/privacy_notice.md",
      tenant: ACME,
      dirty: true,
      saved_at: "2026-12-01T09:00:00Z",
    };
    expect(await h.session.autosave()).toBe(false); // the offer of old work is not overwritten
    expect(h.backend.writeAutosave).toHaveBeenCalledOnce();
  });

  it("restored work is unsaved; discarding the offer clears the autosave", async () => {
    const h = harness();
    h.session.restore({
      template_path: "/t/privacy_notice.md",
      tenant_path: "/home/am/r.json",
      tenant: ACME,
      dirty: true,
      saved_at: "2026-12-01T09:00:00Z",
    });
    expect(h.session.dirty).toBe(true);
    expect(h.session.tenantPath).toBe("/home/am/r.json");
    await h.session.dismissRecovery();
    expect(h.session.recovery).toBeNull();
    expect(h.backend.clearAutosave).toHaveBeenCalledOnce();
  });
});

describe("the file on disk", () => {
  const onDisk = (name: string) => opened({ ...ACME, tenant: name }, ACME_PATH);

  it("reloads a clean file that changed, and leaves an unchanged one alone", async () => {
    const h = harness();
    await h.session.checkOnDisk();
    expect(h.hooks.loaded).not.toHaveBeenCalled();
    h.backend.openTenant.mockResolvedValueOnce(onDisk("Acme (pulled)"));
    await h.session.checkOnDisk();
    expect(h.session.tenant.tenant).toBe("Acme (pulled)");
    expect(h.messages.toast?.text).toBe("acme.json changed on disk and was reloaded");
  });

  it("with unsaved edits asks; kept edits are not asked about again", async () => {
    const h = harness();
    h.edit("mine");
    h.backend.openTenant.mockResolvedValue(onDisk("Theirs"));
    const checking = h.session.checkOnDisk();
    await vi.waitFor(() => expect(h.messages.confirm?.title).toBe("File changed on disk"));
    h.messages.answer("save"); // Keep my edits
    await checking;
    expect(h.session.tenant.values.hhs_name).toBe("mine");
    await h.session.checkOnDisk();
    expect(h.messages.confirm).toBeNull();
  });

  it("follows a rename and a deletion of the file", () => {
    const h = harness();
    h.session.renamed("Acme Renamed");
    expect(h.session.tenant.tenant).toBe("Acme Renamed");
    expect(h.session.dirty).toBe(false); // the file holds the new name already
    h.session.detach();
    expect(h.session.tenantPath).toBeUndefined();
    expect(h.session.dirty).toBe(true);
  });
});

describe("closing", () => {
  it("closes a clean window at once, clearing the autosave", async () => {
    const h = harness();
    const destroy = vi.fn(async () => {});
    expect(await h.session.handleCloseRequest(destroy)).toBe(false);
    expect(h.backend.clearAutosave).toHaveBeenCalledOnce();
  });

  it("keeps a dirty window open to ask; Don't save clears the autosave and closes", async () => {
    const h = harness();
    h.edit("unsaved");
    const destroy = vi.fn(async () => {});
    expect(await h.session.handleCloseRequest(destroy)).toBe(true);
    expect(h.messages.confirm?.title).toBe("Save changes before closing?");
    h.messages.answer("discard");
    await vi.waitFor(() => expect(destroy).toHaveBeenCalledOnce());
    expect(h.backend.clearAutosave).toHaveBeenCalledOnce();
  });
});
