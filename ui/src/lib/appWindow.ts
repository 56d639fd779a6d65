// The window operations the app needs, behind an interface so tests can fake them.
import { getCurrentWindow } from "@tauri-apps/api/window";

export interface AppWindow {
  setTitle(title: string): Promise<void>;
  /** Calls `handler` when the user asks to close; the handler returns true to keep the window open. */
  onCloseRequested(handler: () => boolean | Promise<boolean>): Promise<() => void>;
  destroy(): Promise<void>;
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
};
