// Keystroke-to-paint instrumentation read by the end-to-end tests.
import { afterPaint } from "./frames";

declare global {
  interface Window {
    __noticeMetrics?: Metrics;
    __noticeReady?: boolean;
  }
}

const pending = new Set<number>();

type Metrics = {
  keystrokes: number[];
  /** Renders where the web view's engine and the app's disagreed (the tests expect none). */
  mismatches: number;
};

function metrics(): Metrics {
  if (!window.__noticeMetrics) window.__noticeMetrics = { keystrokes: [], mismatches: 0 };
  return window.__noticeMetrics;
}

export function markMismatch(): void {
  metrics().mismatches++;
}

function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // performance may be absent in odd environments; metrics are best effort
  }
}

/** Called on each input event, before the render request with the same sequence number. */
export function markKey(seq: number): void {
  metrics();
  pending.add(seq);
  mark(`notice:key:${seq}`);
}

/**
 * Called once the preview for `seq` is patched: after the frame that shows it is painted, marks
 * the paint and measures every pending keystroke up to `seq` (older ones were coalesced into
 * this render). Measured to the end of the paint, not to the frame's start, so the cost of
 * layout and painting counts.
 */
export function markPatched(seq: number): void {
  const done = Array.from(pending).filter((s) => s <= seq);
  if (done.length === 0) return;
  for (const s of done) pending.delete(s);
  afterPaint(() => {
    const m = metrics();
    for (const s of done.sort((a, b) => a - b)) {
      mark(`notice:paint:${s}`);
      try {
        const entry = performance.measure(
          "notice:keystroke",
          `notice:key:${s}`,
          `notice:paint:${s}`,
        );
        m.keystrokes.push(entry ? entry.duration : 0);
      } catch {
        // missing start mark (cleared by the page): skip this sample
      }
    }
  });
}

export function markReady(): void {
  metrics();
  if (window.__noticeReady) return;
  mark("notice:interactive");
  window.__noticeReady = true;
}
