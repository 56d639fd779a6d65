// The tenant file's life cycle in the editor: opening and saving it, the baseline that says
// whether there are unsaved changes, the autosave of the working state and the work recovered
// from it, following the file when it changes on disk, and never losing edits on close.
import { type Backend, basename } from "./backend";
import type { OpenedTenant } from "./bindings/OpenedTenant";
import type { TenantFile } from "./bindings/TenantFile";
import type { TenantReport } from "./bindings/TenantReport";
import type { WorkingState } from "./bindings/WorkingState";
import type { Messages } from "./messages.svelte";
import { isDirty, tenantFingerprint, workingState } from "./session";
import { plain } from "./snapshot.svelte";

export type SessionBackend = Pick<
  Backend,
  "newTenant" | "openTenant" | "saveTenant" | "writeAutosave" | "clearAutosave"
>;

/** What the rest of the app does when the tenant file comes and goes. */
export type SessionHooks = {
  templatePath(): string | undefined;
  /** A tenant file was loaded (opened, new, reloaded from disk); `show`: bring the editor up. */
  loaded(show: boolean): void;
  /** The tenant was written to `path` as `tenant`. */
  saved(tenant: TenantFile, path: string): void;
  /** The list of recent files may have changed. */
  recentChanged(): Promise<void>;
  /** A save is running (the buttons wait). */
  busy(on: boolean): void;
};

const EMPTY_TENANT: TenantFile = { format: 1, tenant: "", values: {} };

export class TenantSession {
  tenant = $state<TenantFile>(structuredClone(EMPTY_TENANT));
  tenantPath = $state<string | undefined>(undefined);
  report = $state<TenantReport | null>(null);
  /** Fingerprint of the tenant as last opened/saved; null = never saved in this form (restored). */
  baseline = $state<string | null>(tenantFingerprint(EMPTY_TENANT));
  /** Work an earlier session left unsaved, offered at start. */
  recovery = $state<WorkingState | null>(null);

  dirty = $derived(isDirty(this.tenant, this.baseline));

  private lastAutosave: string | null = null;
  private checkingDisk = false;

  constructor(
    private readonly backend: SessionBackend,
    private readonly messages: Messages,
    private readonly hooks: SessionHooks,
  ) {}

  /** The file's name for messages, or the tenant's. */
  name(): string {
    return this.tenantPath ? basename(this.tenantPath) : this.tenant.tenant || "this tenant";
  }

  load(opened: OpenedTenant, show = true): void {
    this.tenant = plain(opened.tenant);
    this.tenantPath = opened.path;
    this.report = opened.report;
    this.baseline = tenantFingerprint(opened.tenant);
    this.lastAutosave = null;
    const notes: string[] = [];
    if (opened.report.legacy_format) notes.push("converted from the old flat format");
    if (opened.report.converted.length > 0) notes.push(...opened.report.converted);
    if (opened.report.duplicates.length > 0) notes.push(...opened.report.duplicates);
    if (notes.length > 0 && opened.path) {
      this.messages.notify(`${basename(opened.path)}: ${notes.join("; ")}`, "info");
    }
    this.hooks.loaded(show);
  }

  /** Asks about unsaved changes; resolves true when it is fine to go on. */
  async guardUnsaved(): Promise<boolean> {
    if (!this.dirty) return true;
    const choice = await this.messages.ask({
      title: "Save changes?",
      message: `${this.name()} has unsaved changes. Save them before continuing?`,
    });
    if (choice === "cancel") return false;
    if (choice === "discard") return true;
    return this.save();
  }

  async newTenant(): Promise<void> {
    if (!(await this.guardUnsaved())) return;
    try {
      this.load(await this.backend.newTenant());
    } catch (e) {
      this.messages.showError("create a new tenant", e);
    }
  }

  async openTenant(path: string | null = null): Promise<void> {
    if (!(await this.guardUnsaved())) return;
    await this.read(path);
  }

  /** Opens a tenant file without asking about unsaved changes; resolves true when opened. */
  async read(path: string | null): Promise<boolean> {
    try {
      const opened = await this.backend.openTenant(path);
      if (!opened) return false;
      this.load(opened);
      await this.hooks.recentChanged();
      return true;
    } catch (e) {
      this.messages.showError("open", e, path ? basename(path) : undefined);
      return false;
    }
  }

  /** Saves to the current path (or asks for one). Resolves true when saved. */
  save(): Promise<boolean> {
    return this.saveTo(this.tenantPath ?? null);
  }

  saveAs(): Promise<boolean> {
    return this.saveTo(null);
  }

  private async saveTo(path: string | null): Promise<boolean> {
    const snapshot = plain(this.tenant);
    this.hooks.busy(true);
    try {
      const saved = await this.backend.saveTenant(snapshot, path);
      if (!saved) return false;
      this.tenantPath = saved;
      this.baseline = tenantFingerprint(snapshot);
      this.lastAutosave = null;
      this.messages.notify(`Saved ${saved}`);
      this.hooks.saved(snapshot, saved);
      await this.backend.clearAutosave().catch(() => {});
      await this.hooks.recentChanged();
      return true;
    } catch (e) {
      this.messages.showError("save", e, path ? basename(path) : undefined);
      return false;
    } finally {
      this.hooks.busy(false);
    }
  }

  /** The file now holds a new tenant name: take it, and keep any unsaved edits. */
  renamed(name: string): void {
    const clean = !this.dirty;
    this.tenant.tenant = name;
    if (clean) this.baseline = tenantFingerprint(plain(this.tenant));
  }

  /** The file is gone: its answers stay open, as unsaved work. */
  detach(): void {
    this.tenantPath = undefined;
    this.baseline = null;
  }

  // ---- recovery and autosave ---------------------------------------------------------------

  /** Takes the recovered work: unsaved until saved, since the file may differ. */
  restore(rec: WorkingState): void {
    this.tenant = plain(rec.tenant);
    this.tenantPath = rec.tenant_path;
    this.baseline = null;
  }

  async dismissRecovery(): Promise<void> {
    this.recovery = null;
    try {
      await this.backend.clearAutosave();
    } catch (e) {
      this.messages.showError("discard the recovered work", e);
    }
  }

  /** One autosave step: writes the working state if dirty and changed since the last write. */
  async autosave(now: Date = new Date()): Promise<boolean> {
    const templatePath = this.hooks.templatePath();
    if (!this.dirty || !templatePath || this.recovery) return false;
    const tenant = plain(this.tenant);
    const fp = `${this.tenantPath ?? ""}\u0000${templatePath}\u0000${tenantFingerprint(tenant)}`;
    if (fp === this.lastAutosave) return false;
    const state = workingState({
      templatePath,
      tenantPath: this.tenantPath,
      tenant,
      dirty: true,
      now,
    });
    try {
      await this.backend.writeAutosave(state);
      this.lastAutosave = fp;
      return true;
    } catch {
      return false; // try again on the next tick
    }
  }

  startAutosave(intervalMs = 3000): () => void {
    const id = setInterval(() => void this.autosave(), intervalMs);
    return () => clearInterval(id);
  }

  // ---- the disk and closing ----------------------------------------------------------------

  /**
   * Reloads the open tenant file when it changed on disk (a `git pull`, another window). Clean,
   * it is reloaded with a note; with unsaved edits, the user chooses: nothing is overwritten
   * silently either way.
   */
  async checkOnDisk(): Promise<void> {
    const path = this.tenantPath;
    if (!path || this.checkingDisk || this.messages.confirm || this.recovery) return;
    this.checkingDisk = true;
    try {
      let opened: OpenedTenant | null;
      try {
        opened = await this.backend.openTenant(path);
      } catch {
        return; // gone or unreadable for now: saving will say so, and nothing here is lost
      }
      if (!opened || path !== this.tenantPath) return;
      const onDisk = tenantFingerprint(opened.tenant);
      if (onDisk === this.baseline) return;
      const name = basename(path);
      if (!this.dirty) {
        this.load(opened, false);
        this.messages.notify(`${name} changed on disk and was reloaded`, "info");
        return;
      }
      const choice = await this.messages.ask({
        title: "File changed on disk",
        message: `${name} was changed outside Notice Studio (a git pull, another window?) while you have unsaved edits here.`,
        save: "Keep my edits",
        discard: "Reload from disk",
      });
      if (path !== this.tenantPath) return;
      if (choice === "discard") {
        this.load(opened, false);
        this.messages.notify(`${name} reloaded from disk`, "info");
      } else {
        // Kept: saving will replace the file. Asked once per change on disk, not on every focus.
        this.baseline = onDisk;
      }
    } finally {
      this.checkingDisk = false;
    }
  }

  /** The close-requested handler: resolves true to keep the window open (asking first). */
  async handleCloseRequest(destroy: () => Promise<void>): Promise<boolean> {
    if (!this.dirty) {
      // A stale autosave would be offered next time; never let clearing it hold the window open.
      if (!this.recovery) {
        await Promise.race([
          this.backend.clearAutosave().catch(() => {}),
          new Promise((resolve) => setTimeout(resolve, 1000)),
        ]);
      }
      return false;
    }
    void this.confirmClose(destroy);
    return true;
  }

  private async confirmClose(destroy: () => Promise<void>): Promise<void> {
    const choice = await this.messages.ask({
      title: "Save changes before closing?",
      message: `${this.name()} has unsaved changes.`,
    });
    if (choice === "cancel") return;
    if (choice === "save" && !(await this.save())) return;
    if (choice === "discard") await this.backend.clearAutosave().catch(() => {});
    await destroy();
  }
}
