// What the app tells the user and asks them: the error banner, the passing toast, and the one
// question at a time with its answer (a newer question cancels the one still open).
import { describeError, toErrorPayload } from "./backend";
import type { Diagnostic } from "./bindings/Diagnostic";

export type ConfirmChoice = "save" | "discard" | "cancel";
/**
 * A question with up to three answers: "save" (the primary button), "discard" and "cancel".
 * The labels default to Save / Don't save; `discard: null` leaves that button out, and `danger`
 * marks the primary answer as destructive (Delete).
 */
export type ConfirmRequest = {
  title: string;
  message: string;
  save?: string;
  discard?: string | null;
  danger?: boolean;
};
export type Toast = { id: number; text: string; tone: "success" | "info" };
export type ErrorBanner = { text: string; diagnostics: Diagnostic[] };

export class Messages {
  error = $state<ErrorBanner | null>(null);
  toast = $state<Toast | null>(null);
  confirm = $state<ConfirmRequest | null>(null);

  private confirmResolve: ((c: ConfirmChoice) => void) | null = null;
  private toastTimer: ReturnType<typeof setTimeout> | null = null;
  private toastSeq = 0;

  showError(action: string, e: unknown, fallbackName?: string): void {
    const err = toErrorPayload(e);
    this.error = { text: describeError(action, err, fallbackName), diagnostics: err.diagnostics };
  }

  dismissError(): void {
    this.error = null;
  }

  notify(text: string, tone: Toast["tone"] = "success", ms = 5000): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toast = { id: ++this.toastSeq, text, tone };
    this.toastTimer = setTimeout(() => {
      this.toast = null;
      this.toastTimer = null;
    }, ms);
  }

  dismissToast(): void {
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toast = null;
  }

  ask(req: ConfirmRequest): Promise<ConfirmChoice> {
    this.confirmResolve?.("cancel");
    this.confirm = req;
    return new Promise((resolve) => {
      this.confirmResolve = resolve;
    });
  }

  answer(choice: ConfirmChoice): void {
    const resolve = this.confirmResolve;
    this.confirmResolve = null;
    this.confirm = null;
    resolve?.(choice);
  }
}
