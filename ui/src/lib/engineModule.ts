// Where the app finds the web view's engine: the module `npm run wasm:build` writes, bundled by
// Vite as an asset. Kept apart from `engine.ts` so unit tests load the module from disk instead.
import engineUrl from "../../../src-tauri/target/wasm32-unknown-unknown/wasm/notice_engine_wasm.wasm?url";
import { LocalEngine } from "./engine";

export async function loadEngine(): Promise<LocalEngine> {
  const response = await fetch(engineUrl);
  if (!response.ok) throw new Error(`the preview engine did not load (${response.status})`);
  return LocalEngine.fromBytes(await response.arrayBuffer());
}
