// @vitest-environment node
// The editor and the workspace kept in step, on their own: opening and closing a workspace, a
// cell's "Open", and the editor following a tenant created, renamed or deleted in the table.
import { describe, expect, it, vi } from "vitest";
import {
  ACME,
  fakeBackend,
  opened,
  TEMPLATE,
  tenantRef,
  WORKSPACE,
  WS_ROOT,
} from "../test/fixtures";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import { Messages } from "./messages.svelte";
import { TenantSession } from "./tenantSession.svelte";
import { Workspace } from "./workspace.svelte";
import { WorkspaceLink } from "./workspaceLink";

const ACME_IN_WS = `${WS_ROOT}/tenants/acme.json`;
const PRIVACY_PATH = WORKSPACE.documents[0].path;

async function harness() {
  const backend = fakeBackend();
  const messages = new Messages();
  const workspace = new Workspace(backend);
  const session = new TenantSession(backend, messages, {
    templatePath: () => undefined,
    loaded: () => {},
    saved: () => {},
    recentChanged: async () => {},
    busy: () => {},
  });
  session.load(opened(ACME, ACME_IN_WS));
  const host = {
    template: structuredClone(TEMPLATE) as OpenedTemplate | null,
    currentProblem: "a problem" as string | null,
    showView: vi.fn(),
    render: vi.fn(() => 1),
  };
  const link = new WorkspaceLink(backend, workspace, session, messages, host);
  await link.openWorkspace(WS_ROOT);
  return { backend, messages, workspace, session, host, link };
}

describe("the workspace link", () => {
  it("opening a workspace shows its table; closing it goes back to the editor", async () => {
    const h = await harness();
    expect(h.backend.openWorkspace).toHaveBeenCalledWith(WS_ROOT, expect.any(Function));
    expect(h.host.showView).toHaveBeenLastCalledWith("workspace");
    h.link.closeWorkspace();
    expect(h.workspace.view).toBeNull();
    expect(h.host.showView).toHaveBeenLastCalledWith("editor");
  });

  it("a workspace that cannot be opened is an error banner naming its folder", async () => {
    const h = await harness();
    h.backend.openWorkspace.mockRejectedValueOnce({
      kind: "io",
      message: "not a workspace",
      diagnostics: [],
    });
    await h.link.openWorkspace("/home/am/templates");
    expect(h.messages.error?.text).toContain("templates");
  });

  it("a cell's Open brings its template and tenant into the editor, asking about unsaved edits", async () => {
    const h = await harness();
    h.session.tenant.values = { hhs_name: "unsaved" };
    const opening = h.link.openFromWorkspace(PRIVACY_PATH, `${WS_ROOT}/tenants/globex.json`);
    await vi.waitFor(() => expect(h.messages.confirm?.title).toBe("Save changes?"));
    h.messages.answer("discard");
    expect(await opening).toBe(true);
    expect(h.backend.openTemplate).toHaveBeenCalledWith(PRIVACY_PATH);
    expect(h.host.template?.schema.path).toBe(TEMPLATE.schema.path);
    expect(h.host.currentProblem).toBeNull();
    expect(h.session.tenant.tenant).toBe("Globex");
    expect(h.host.showView).toHaveBeenLastCalledWith("editor");
  });

  it("deleting the tenant open in the editor keeps its answers, unsaved", async () => {
    const h = await harness();
    const deleting = h.link.deleteTenant("acme");
    await vi.waitFor(() => expect(h.messages.confirm?.title).toBe("Delete tenant?"));
    h.messages.answer("save");
    await deleting;
    expect(h.backend.deleteTenant).toHaveBeenCalledWith("acme");
    expect(h.session.tenantPath).toBeUndefined();
    expect(h.session.dirty).toBe(true);
    expect(h.messages.toast?.text).toBe("Deleted acme.json; its answers stay open here, unsaved");
  });

  it("a rename of the open tenant is taken into the editor", async () => {
    const h = await harness();
    h.workspace.askName("rename", "acme");
    await h.workspace.submitName("Acme Holdings");
    await vi.waitFor(() => expect(h.session.tenant.tenant).toBe("Acme Holdings"));
    expect(h.session.dirty).toBe(false);
    expect(h.messages.toast?.text).toBe("Renamed to Acme Holdings");
  });

  it("a new tenant is opened in the editor with the workspace's first document", async () => {
    const h = await harness();
    h.backend.createTenant.mockResolvedValueOnce(tenantRef("umbrella", "Umbrella"));
    h.workspace.askName("new");
    await h.workspace.submitName("Umbrella");
    await vi.waitFor(() =>
      expect(h.backend.openTenant).toHaveBeenCalledWith(`${WS_ROOT}/tenants/umbrella.json`),
    );
    expect(h.backend.openTemplate).toHaveBeenCalledWith(PRIVACY_PATH);
  });
});
