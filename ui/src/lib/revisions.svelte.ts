// Other versions of the open document: the redline against another version of the template or
// against what this tenant last received (and saving it for legal), and carrying a tenant's
// answers over to the fields an older version's names moved to.
import { type Backend, basename } from "./backend";
import type { MigrationPlan } from "./bindings/MigrationPlan";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { RedlineView } from "./bindings/RedlineView";
import type { TenantFile } from "./bindings/TenantFile";
import type { Messages } from "./messages.svelte";
import { plain } from "./snapshot.svelte";

export type RevisionsBackend = Pick<
  Backend,
  "redlineTemplate" | "redlineLastExport" | "saveRedline" | "migrationPlan"
>;

/** The editor as the comparisons see it (the Studio). */
export type RevisionsHost = {
  readonly template: OpenedTemplate | null;
  readonly tenant: TenantFile;
  readonly tenantPath: string | undefined;
  readonly review: boolean;
  /** A file is being written (shared with saving and exporting). */
  busy: boolean;
  render(): number;
  tenantName(): string;
};

export class Revisions {
  /** The redline shown ("Compare with version…"). */
  redline = $state<RedlineView | null>(null);
  comparing = $state(false);
  /** The "carry answers over" dialog's plan, when open. */
  migration = $state<MigrationPlan | null>(null);

  constructor(
    private readonly backend: RevisionsBackend,
    private readonly messages: Messages,
    private readonly host: RevisionsHost,
  ) {}

  /** Compares the open template with another version of it (`null`: asks for the file). */
  async compareWithVersion(oldTemplate: string | null = null): Promise<void> {
    if (!this.host.template || this.comparing) return;
    this.comparing = true;
    try {
      const view = await this.backend.redlineTemplate(plain(this.host.tenant), oldTemplate);
      if (view) this.redline = view;
    } catch (e) {
      this.redline = null;
      this.messages.showError("compare with", e, oldTemplate ? basename(oldTemplate) : undefined);
    } finally {
      this.comparing = false;
    }
  }

  /** Compares the open document now with what this tenant last received of it. */
  async compareWithLastExport(): Promise<void> {
    const path = this.host.tenantPath;
    if (!this.host.template || this.comparing || !path) return;
    this.comparing = true;
    try {
      this.redline = await this.backend.redlineLastExport(plain(this.host.tenant), path);
    } catch (e) {
      this.redline = null;
      this.messages.showError("compare with the last export of", e, basename(path));
    } finally {
      this.comparing = false;
    }
  }

  /** Saves the redline shown as an HTML page for legal (a save dialog asks where). */
  async saveRedline(): Promise<void> {
    const view = this.redline;
    if (!view || this.host.busy) return;
    this.host.busy = true;
    try {
      const path = await this.backend.saveRedline(
        plain(this.host.tenant),
        $state.snapshot(view.against) as RedlineView["against"],
      );
      if (path) this.messages.notify(`Saved the redline to ${path}`);
    } catch (e) {
      this.messages.showError("save the redline", e);
    } finally {
      this.host.busy = false;
    }
  }

  /**
   * Opens the "carry answers over" dialog: the tenant's answers for fields this template does
   * not use (an older version's names), each with the field it most likely moved to.
   */
  async planMigration(): Promise<void> {
    if (!this.host.template || this.host.review) return;
    try {
      const plan = await this.backend.migrationPlan(plain(this.host.tenant));
      if (plan.orphans.length === 0) {
        this.messages.notify("Every answer is for a field of this template", "info");
        return;
      }
      this.migration = plan;
    } catch (e) {
      this.messages.showError("check the answers of", e, this.host.tenantName());
    }
  }

  /**
   * Carries answers over as chosen: to a field (which must still be empty), removed, or kept
   * as they are (`"keep"`). The tenant is then unsaved, like any edit.
   */
  applyMigration(choices: Record<string, string>): void {
    const plan = this.migration;
    this.migration = null;
    if (!plan) return;
    const values = plain(this.host.tenant.values);
    let moved = 0;
    let removed = 0;
    for (const o of plan.orphans) {
      const to = choices[o.name] ?? "keep";
      if (to === "keep") continue;
      if (to !== "drop") {
        const there = values[to];
        if (there !== undefined && there !== "" && there !== false) continue; // never overwrite
        values[to] = o.value;
        moved++;
      } else removed++;
      delete values[o.name];
    }
    if (moved + removed === 0) return;
    this.host.tenant.values = values;
    this.host.render();
    const parts = [];
    if (moved) parts.push(`${moved} answer${moved === 1 ? "" : "s"} carried over`);
    if (removed) parts.push(`${removed} removed`);
    this.messages.notify(`${parts.join(", ")}; save to keep the change`, "info");
  }
}
