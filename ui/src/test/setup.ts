// jsdom lacks a few browser APIs the app touches; give it harmless stand-ins. (Tests of parts that
// touch no DOM run in plain Node, which starts faster: they have no window to patch.)
if (typeof window !== "undefined") {
  if (typeof window.requestAnimationFrame !== "function") {
    window.requestAnimationFrame = (cb: FrameRequestCallback) =>
      window.setTimeout(() => cb(performance.now()), 0) as unknown as number;
  }
  if (typeof Element.prototype.scrollIntoView !== "function") {
    Element.prototype.scrollIntoView = function scrollIntoView() {};
  }
}
