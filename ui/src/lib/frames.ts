// Frame timing: work that should wait until the frame being rendered now is on screen.

// One channel for every caller: a task posted from inside an animation frame callback runs after
// that frame's layout and paint. (A channel per call leaked: WebKit keeps a port with a listener
// alive, and a few were made on every keystroke.)
let channel: MessageChannel | null = null;
/** Callbacks for the next frame, and those whose frame has been painted. */
let waiting: (() => void)[] = [];
let painted: (() => void)[] = [];
let frameRequested = false;

function port(): MessagePort {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const run = painted;
      painted = [];
      for (const f of run) f();
    };
  }
  return channel.port2;
}

/** Runs `f` once the frame being rendered now is painted. */
export function afterPaint(f: () => void): void {
  waiting.push(f);
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    painted.push(...waiting);
    waiting = [];
    port().postMessage(null);
  });
}
