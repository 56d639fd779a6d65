// Frame timing: work that should wait until the frame being rendered now is on screen.

/** Runs `f` once the frame being rendered now is painted: a task queued from inside an animation
 * frame callback runs after that frame's layout and paint. */
export function afterPaint(f: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => f();
    channel.port2.postMessage(null);
  });
}
