// Keystroke-to-paint instrumentation read by the end-to-end tests.
declare global {
  interface Window {
    __noticeMetrics?: { keystrokes: number[] };
    __noticeReady?: boolean;
  }
}

const pending = new Set<number>();

function metrics(): { keystrokes: number[] } {
  if (!window.__noticeMetrics) window.__noticeMetrics = { keystrokes: [] };
  return window.__noticeMetrics;
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

/** Runs `f` once the frame being rendered now is painted: a task queued from inside an animation
 * frame callback runs after that frame's layout and paint. */
function afterPaint(f: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => f();
    channel.port2.postMessage(null);
  });
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
