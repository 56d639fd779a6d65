// jsdom lacks a few browser APIs the app touches; give it harmless stand-ins.
if (typeof window.requestAnimationFrame !== "function") {
  window.requestAnimationFrame = (cb: FrameRequestCallback) =>
    window.setTimeout(() => cb(performance.now()), 0) as unknown as number;
}
if (typeof Element.prototype.scrollIntoView !== "function") {
  Element.prototype.scrollIntoView = function scrollIntoView() {};
}
