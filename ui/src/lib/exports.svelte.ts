// What leaves the app for the open tenant: the document exports, a consent page's folder for
// Synapse, and legal's sign-off. All three are refused while the document has errors, so a
// refused export lists what blocks it instead of a bare error.
import { type Approvals, describeApproval } from "./approval.svelte";
import { type Backend, toErrorPayload } from "./backend";
import type { ConsentExportDone } from "./bindings/ConsentExportDone";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { OpenedTemplate } from "./bindings/OpenedTemplate";
import type { PdfSettings } from "./bindings/PdfSettings";
import type { TenantFile } from "./bindings/TenantFile";
import type { Messages } from "./messages.svelte";
import { sortProblems } from "./problems";
import { plain } from "./snapshot.svelte";

/** An export refused for errors; "synapse" (a consent page's template_dir) has no drafts. */
export type Refused = { format: ExportFormat | "synapse"; diagnostics: Diagnostic[] };

export type ExportsBackend = Pick<Backend, "exportDocument" | "exportForSynapse">;

/** The editor as exporting sees it (the Studio). */
export type ExportsHost = {
  readonly template: OpenedTemplate | null;
  readonly tenant: TenantFile;
  readonly tenantPath: string | undefined;
  readonly dirty: boolean;
  readonly problems: Diagnostic[];
  readonly counts: { errors: number };
  /** A file is being written (shared with saving and the redline). */
  busy: boolean;
  pdfSettings(): PdfSettings;
  templateName(): string | undefined;
  save(): Promise<boolean>;
};

export class Exports {
  refused = $state<Refused | null>(null);
  /** The last "Export for Synapse…" (its dialog shows the homeserver.yaml section). */
  synapseExport = $state<ConsentExportDone | null>(null);

  constructor(
    private readonly backend: ExportsBackend,
    private readonly messages: Messages,
    private readonly approvals: Approvals,
    private readonly host: ExportsHost,
  ) {}

  async exportDocument(format: ExportFormat, draft: boolean): Promise<void> {
    const host = this.host;
    host.busy = true;
    try {
      const done = await this.backend.exportDocument(
        plain(host.tenant),
        format,
        draft,
        format === "pdf" ? host.pdfSettings() : null,
        host.tenantPath ?? null,
      );
      if (!done) return;
      this.refused = null;
      const warn =
        done.warnings > 0 ? ` (${done.warnings} warning${done.warnings === 1 ? "" : "s"})` : "";
      const signed = done.approved_by ? `, approved by ${done.approved_by}` : "";
      this.messages.notify(`Exported ${done.draft ? "draft " : ""}to ${done.path}${signed}${warn}`);
    } catch (e) {
      this.exportFailed(format, "export", e);
    } finally {
      host.busy = false;
    }
  }

  async exportDraftInstead(): Promise<void> {
    const format = this.refused?.format ?? "html";
    this.refused = null;
    if (format === "synapse") return; // a page Synapse serves has no drafts
    await this.exportDocument(format, true);
  }

  /**
   * "Export for Synapse…": the consent page's template_dir into a folder the dialog asks for;
   * refused for errors (or a required approval) as every export is.
   */
  async exportForSynapse(): Promise<void> {
    const host = this.host;
    if (!host.template?.consent || host.busy) return;
    host.busy = true;
    try {
      const done = await this.backend.exportForSynapse(plain(host.tenant), host.tenantPath ?? null);
      if (!done) return;
      this.refused = null;
      this.synapseExport = done;
    } catch (e) {
      this.exportFailed("synapse", "export for Synapse", e);
    } finally {
      host.busy = false;
    }
  }

  /** A refused export lists what blocks it (the app's list, else the problems shown); any other
   * failure is an error banner. */
  private exportFailed(format: Refused["format"], action: string, e: unknown): void {
    const err = toErrorPayload(e);
    if (err.kind === "refused") {
      const errors = err.diagnostics.length
        ? err.diagnostics
        : this.host.problems.filter((d) => d.severity === "error");
      this.refused = { format, diagnostics: sortProblems(errors) };
    } else {
      this.messages.showError(action, e, err.path ? undefined : this.host.templateName());
    }
  }

  /**
   * Approves what the preview shows for this tenant, signed with the reviewer's key. Unsaved
   * answers are saved first (an approval is of the tenant file as it is on disk); with no
   * reviewer set up, the reviewer dialog opens and approving continues from there.
   */
  async approve(): Promise<void> {
    const host = this.host;
    if (!host.template || this.approvals.busy) return;
    if (!this.approvals.reviewer) {
      this.approvals.openDialog(true);
      return;
    }
    const errors = host.counts.errors;
    if (errors > 0) {
      this.messages.notify(
        `Fix the ${errors} error${errors === 1 ? "" : "s"} first: legal approves only what can be exported`,
        "info",
      );
      return;
    }
    if ((host.dirty || !host.tenantPath) && !(await host.save())) return;
    const path = host.tenantPath;
    if (!path) return;
    try {
      const v = await this.approvals.approve(path);
      const d = describeApproval(v.status, v.required);
      const approved = v.status.state === "approved";
      this.messages.notify(
        approved ? `${d.label}` : `Approved, but: ${d.detail}`,
        approved ? "success" : "info",
        8000,
      );
    } catch (e) {
      this.messages.showError("approve", e, host.templateName());
    } finally {
      this.approvals.refresh(plain(host.tenant), host.tenantPath ?? null);
    }
  }

  /** The reviewer dialog is done; continues an approval it was opened for. */
  async reviewerDone(): Promise<void> {
    const after = this.approvals.dialog?.approveAfter ?? false;
    this.approvals.closeDialog();
    if (after && this.approvals.reviewer) await this.approve();
  }
}
