// The editor and the open workspace kept in step: opening a workspace shows its table, a cell's
// "Open" brings its template and tenant into the editor, and a tenant created, renamed or
// deleted in the table is followed by the editor that may have it open.
import { type Backend, basename } from "./backend";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { Messages } from "./messages.svelte";
import type { TenantSession } from "./tenantSession.svelte";
import { folderName, tenantName } from "./workspace";
import type { TenantChange, Workspace } from "./workspace.svelte";

/** The editor as the workspace sees it (the Studio). */
export type LinkHost = {
  template: OpenedTemplate | null;
  currentProblem: string | null;
  showView(view: "editor" | "workspace"): void;
  render(): number;
};

export class WorkspaceLink {
  constructor(
    private readonly backend: Pick<Backend, "openTemplate">,
    private readonly workspace: Workspace,
    private readonly session: TenantSession,
    private readonly messages: Messages,
    private readonly host: LinkHost,
  ) {
    workspace.onTenantChange = (c) => void this.tenantChanged(c);
  }

  /** Opens a workspace folder (`null`: asks for one) and shows it. */
  async openWorkspace(path: string | null = null): Promise<void> {
    if (this.workspace.busy) return;
    try {
      if (await this.workspace.open(path)) this.host.showView("workspace");
    } catch (e) {
      this.messages.showError("open", e, path ? folderName(path) : undefined);
    }
  }

  closeWorkspace(): void {
    if (this.workspace.busy) return;
    this.workspace.close();
    this.host.showView("editor");
  }

  /**
   * A workspace cell's "Open": its template and its tenant's file in the editor (asking about
   * unsaved changes first, as every open does), then back to the editor.
   */
  async openFromWorkspace(templatePath: string, tenantPath: string): Promise<boolean> {
    if (!(await this.session.guardUnsaved())) return false;
    let template: OpenedTemplate | null;
    try {
      template = await this.backend.openTemplate(templatePath);
    } catch (e) {
      this.messages.showError("open", e, basename(templatePath));
      return false;
    }
    if (template) {
      this.host.template = template;
      this.host.currentProblem = null;
    }
    const ok = await this.session.read(tenantPath); // renders with the new template
    if (!ok && template) this.host.render();
    this.host.showView("editor");
    return ok;
  }

  /** Asks, then deletes a workspace tenant's file (by id). */
  async deleteTenant(tenant: string): Promise<void> {
    const view = this.workspace.view;
    if (!view) return;
    const name = tenantName(view, tenant);
    const choice = await this.messages.ask({
      title: "Delete tenant?",
      message: `Delete ${name} (tenants/${tenant}.json)? Its exports and export history are kept; in a git workspace the file can be restored from the history.`,
      save: "Delete",
      discard: null,
      danger: true,
    });
    if (choice !== "save") return;
    try {
      await this.workspace.deleteTenant(tenant);
    } catch (e) {
      this.messages.showError("delete", e, `${tenant}.json`);
    }
  }

  /** A workspace tenant was created, copied, renamed or deleted: the editor follows. */
  private async tenantChanged(c: TenantChange): Promise<void> {
    if (c.kind === "new") {
      // A new tenant is there to be filled in: open it with the workspace's first document.
      const doc = this.workspace.view?.documents[0];
      if (doc) await this.openFromWorkspace(doc.path, c.ref.path);
      return;
    }
    if (c.kind === "duplicate") {
      this.messages.notify(`Created ${c.ref.name} (${basename(c.ref.path)})`);
      return;
    }
    const path = c.kind === "delete" ? c.path : c.ref.path;
    if (path !== this.session.tenantPath) {
      if (c.kind === "rename") this.messages.notify(`Renamed to ${c.ref.name}`);
      return;
    }
    if (c.kind === "rename") {
      this.session.renamed(c.ref.name);
      this.messages.notify(`Renamed to ${c.ref.name}`);
      return;
    }
    this.session.detach();
    this.messages.notify(`Deleted ${basename(path)}; its answers stay open here, unsaved`, "info");
  }
}
