// The window operations the app needs, behind an interface so tests can fake them.
import { getCurrentWindow } from "@tauri-apps/api/window";
import type { OpenRequest } from "./bindings/OpenRequest";

export interface AppWindow {
  setTitle(title: string): Promise<void>;
  /** Calls `handler` when the user asks to close; the handler returns true to keep the window open. */
  onCloseRequested(handler: () => boolean | Promise<boolean>): Promise<() => void>;
  destroy(): Promise<void>;
  /** Calls `handler` with what a second instance (`notice-studio FILE`) asks this one to open. */
  onOpenRequested(handler: (request: OpenRequest) => void): Promise<() => void>;
}

function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export const tauriWindow: AppWindow = {
  async setTitle(title) {
    if (inTauri()) await getCurrentWindow().setTitle(title);
  },
  async onCloseRequested(handler) {
    if (!inTauri()) return () => {};
    return getCurrentWindow().onCloseRequested(async (event) => {
      if (await handler()) event.preventDefault();
    });
  },
  async destroy() {
    if (inTauri()) await getCurrentWindow().destroy();
  },
  async onOpenRequested(handler) {
    if (!inTauri()) return () => {};
    // The name the Rust side emits (`launch::OPEN_REQUESTED`).
    return getCurrentWindow().listen<OpenRequest>("open-requested", (e) => handler(e.payload));
  },
};
