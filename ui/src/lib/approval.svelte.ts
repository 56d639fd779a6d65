// Legal sign-off in the UI: the reviewer this app signs as, the open document's approval status
// (asked again after every render, so an edit shows "Changed since approval" at once), and the
// words and tone each status is shown with.
import type { Backend } from "./backend";
import type { ApprovalStatus } from "./bindings/ApprovalStatus";
import type { ApprovalView } from "./bindings/ApprovalView";
import type { ReviewerInfo } from "./bindings/ReviewerInfo";
import type { TenantFile } from "./bindings/TenantFile";
import { LatestOnly } from "./latest";

export type Tone = "ok" | "warn" | "bad" | "none";

/** How a status reads: a short label, a sentence with the details, and its tone. */
export function describeApproval(
  s: ApprovalStatus,
  required = false,
): {
  label: string;
  detail: string;
  tone: Tone;
} {
  switch (s.state) {
    case "approved":
      return {
        label: `Approved by ${s.reviewer.name} on ${formatDay(s.approved_at)}`,
        detail: `${s.reviewer.name} <${s.reviewer.email}> approved version ${s.version || "—"} of this document for this tenant, exactly as shown.`,
        tone: "ok",
      };
    case "changed":
      return {
        label: "Changed since approval",
        detail: `${s.reviewer.name} approved it on ${formatDay(s.approved_at)}; since then ${s.reasons.join("; ")}.`,
        tone: "warn",
      };
    case "untrusted":
      return {
        label: "Signed by a key that is not trusted",
        detail: `Signed as ${s.reviewer.name} <${s.reviewer.email}> with key ${s.fingerprint}, which is not in the workspace's trusted-reviewers.txt.`,
        tone: "bad",
      };
    case "invalid":
      return { label: "Approval not valid", detail: s.reason, tone: "bad" };
    case "not-approved":
      return {
        label: required ? "Not approved (required for export)" : "Not approved",
        detail: required
          ? "This workspace requires legal approval before a document is exported."
          : "No reviewer has approved this document for this tenant.",
        tone: required ? "warn" : "none",
      };
  }
}

/** `2026-11-27T10:00:00Z` → `27 Nov 2026` (the approval's own date, not the local clock's). */
export function formatDay(rfc3339: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(rfc3339);
  if (!m) return rfc3339;
  const months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
  return `${Number(m[3])} ${months[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

type Ask = { tenant: TenantFile; tenantPath: string | null };

export class Approvals {
  view = $state<ApprovalView | null>(null);
  reviewer = $state<ReviewerInfo | null>(null);
  /** The reviewer dialog is open (`approveAfter`: approve once the reviewer is set up). */
  dialog = $state<{ approveAfter: boolean } | null>(null);
  busy = $state(false);
  /** What went wrong in the dialog (a locked keychain, say), shown there. */
  dialogError = $state<unknown>(null);

  private readonly checks: LatestOnly<Ask, ApprovalView>;

  constructor(private readonly backend: Backend) {
    this.checks = new LatestOnly(
      ({ tenant, tenantPath }) => backend.approvalStatus(tenant, tenantPath),
      (v) => {
        this.view = v;
      },
      () => {
        this.view = null; // a status that cannot be had is shown as none, never as approved
      },
    );
  }

  async init(): Promise<void> {
    try {
      this.reviewer = await this.backend.reviewer();
    } catch {
      this.reviewer = null;
    }
  }

  /** Asks for the status of `tenant` as typed. */
  refresh(tenant: TenantFile, tenantPath: string | null): void {
    this.checks.request({ tenant, tenantPath });
  }

  get status(): ApprovalStatus {
    return this.view?.status ?? { state: "not-approved" };
  }

  openDialog(approveAfter = false): void {
    this.dialogError = null;
    this.dialog = { approveAfter };
  }

  closeDialog(): void {
    this.dialog = null;
    this.dialogError = null;
  }

  /** Sets up the reviewer; resolves true when done (the dialog then shows the public line). */
  async setReviewer(name: string, email: string): Promise<boolean> {
    this.busy = true;
    this.dialogError = null;
    try {
      this.reviewer = await this.backend.setReviewer(name, email);
      return true;
    } catch (e) {
      this.dialogError = e;
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Approves the saved tenant's document; the new status comes back with it. */
  async approve(tenantPath: string): Promise<ApprovalView> {
    this.busy = true;
    try {
      const v = await this.backend.approveDocument(tenantPath);
      this.view = v;
      return v;
    } finally {
      this.busy = false;
    }
  }
}
