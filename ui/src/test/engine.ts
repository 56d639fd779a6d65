// The web view's engine as the tests load it: the real module from the Rust build, and the
// shipped seed template's texts, read from disk.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PreviewSource } from "../lib/bindings/PreviewSource";
import { LocalEngine } from "../lib/engine";

// The test command runs from the repository root (jsdom's `import.meta.url` is not a file URL).
const repo = `${resolve(process.cwd())}/`;
const WASM = `${repo}src-tauri/target/wasm32-unknown-unknown/wasm/notice_engine_wasm.wasm`;
const SEED = `${repo}templates/hosted-homeserver/privacy_notice.md`;
const SIDECAR = `${repo}templates/hosted-homeserver/privacy_notice.fields.yaml`;

export function seedSource(): PreviewSource {
  return {
    path: SEED,
    source: readFileSync(SEED, "utf8"),
    sidecar_path: SIDECAR,
    sidecar: readFileSync(SIDECAR, "utf8"),
    sibling_keys: [],
  };
}

export function seedValues(): Record<string, string> {
  const file = JSON.parse(
    readFileSync(`${repo}templates/hosted-homeserver/example-tenant.json`, "utf8"),
  );
  return file.values;
}

export async function loadFromDisk(): Promise<LocalEngine> {
  return LocalEngine.fromBytes(readFileSync(WASM));
}
