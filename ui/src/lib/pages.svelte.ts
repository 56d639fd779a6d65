// The "Pages" view's refresh logic: the notice typeset as the PDF will be. Typesetting is CPU-heavy,
// so it runs only while the view is shown, debounced after the last change, and an answer that
// arrives after a newer one was shown is dropped.
import { toErrorPayload } from "./backend";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { PagePreview } from "./bindings/PagePreview";
import type { PdfSettings } from "./bindings/PdfSettings";
import type { TenantFile } from "./bindings/TenantFile";
import { LatestOnly } from "./latest";

export type PageRequest = { tenant: TenantFile; settings: PdfSettings };

export const PAGES_DEBOUNCE_MS = 300;

export class PagesView {
  /** Whether the view is shown; hidden, it asks for nothing. */
  visible = $state(false);
  /** The last pages typeset. */
  result = $state<PagePreview | null>(null);
  /** The error of the newest completed request, if it failed. */
  error = $state<ErrorPayload | null>(null);
  /** Sequence numbers of the newest request issued and of the newest answer shown. */
  issued = $state(0);
  shown = $state(0);
  /** Waiting for typing to pause. */
  waiting = $state(false);

  /** A refresh is due or in flight: the pages shown may be out of date. */
  updating = $derived(this.waiting || this.issued > this.shown);

  /** Whether anything changed since the last request. */
  private stale = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly requests: LatestOnly<PageRequest, PagePreview>;

  constructor(
    private readonly source: () => PageRequest,
    fetch: (req: PageRequest) => Promise<PagePreview>,
    private readonly debounceMs = PAGES_DEBOUNCE_MS,
  ) {
    this.requests = new LatestOnly(
      fetch,
      (pages, seq) => {
        if (seq < this.shown) return; // a newer request already failed
        this.shown = seq;
        this.result = pages;
        this.error = null;
      },
      (e, seq) => {
        if (seq < this.shown) return;
        this.shown = seq;
        this.error = toErrorPayload(e);
      },
    );
  }

  /** Values or template changed: refresh once typing pauses (now, with `immediate`). */
  changed(immediate = false): void {
    this.stale = true;
    if (!this.visible) return;
    if (immediate) this.refresh();
    else this.schedule();
  }

  /** Shows or hides the view; showing it refreshes if anything changed meanwhile. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (!visible) {
      this.cancelTimer(); // `stale` stays set: the refresh happens when shown again
      return;
    }
    if (this.stale) this.refresh();
  }

  /** Asks for the pages now. */
  refresh(): number {
    this.cancelTimer();
    this.stale = false;
    this.issued = this.requests.request(this.source());
    return this.issued;
  }

  dispose(): void {
    this.cancelTimer();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.waiting = true;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.waiting = false;
      this.refresh();
    }, this.debounceMs);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.waiting = false;
  }
}
