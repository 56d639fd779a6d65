// The engine in the web view: `src-tauri/engine-wasm`, the Rust engine compiled to WebAssembly.
// Each keystroke is rendered here synchronously, so the preview is patched in the very frame that
// shows the typed character; the app renders the same answers natively as well, and its answer
// is what counts (the studio compares the two and shows the app's wherever they differ).
import type { PreviewSource } from "./bindings/PreviewSource";
import type { RenderedNotice } from "./bindings/RenderedNotice";
import type { TenantFile } from "./bindings/TenantFile";

type TenantValues = TenantFile["values"];

/** The module's exports (see `engine-wasm/src/lib.rs`): two byte buffers and three calls. */
type Exports = {
  memory: WebAssembly.Memory;
  input(len: number): number;
  output(): number;
  output_len(): number;
  open(): number;
  render(): number;
};

const OK = 0;

export class EngineError extends Error {
  override name = "EngineError";
}

export class LocalEngine {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();
  /** Set once a call trapped: the module's state is then unknown, so it is never called again. */
  private broken = false;

  private constructor(private readonly x: Exports) {}

  /** Compiles and starts the module from its bytes. */
  static async fromBytes(bytes: BufferSource): Promise<LocalEngine> {
    const { instance } = await WebAssembly.instantiate(bytes, {});
    return new LocalEngine(instance.exports as unknown as Exports);
  }

  /** Opens the template the web view previews; throws when the source is refused. */
  open(source: PreviewSource): void {
    this.call(() => this.x.open(), JSON.stringify(source));
  }

  /** The preview for `values`, as JSON text exactly as the engine wrote it. */
  renderJson(values: TenantValues): string {
    return this.call(() => this.x.render(), JSON.stringify(values));
  }

  render(values: TenantValues): RenderedNotice {
    return JSON.parse(this.renderJson(values)) as RenderedNotice;
  }

  get usable(): boolean {
    return !this.broken;
  }

  private call(f: () => number, request: string): string {
    if (this.broken) throw new EngineError("the preview engine stopped after an error");
    let status: number;
    let text: string;
    try {
      const bytes = this.encoder.encode(request);
      const at = this.x.input(bytes.length);
      // `memory.buffer` is replaced when memory grows: take it after every call that allocates.
      new Uint8Array(this.x.memory.buffer, at, bytes.length).set(bytes);
      status = f();
      text = this.decoder.decode(
        new Uint8Array(this.x.memory.buffer, this.x.output(), this.x.output_len()),
      );
    } catch (e) {
      this.broken = true; // a trap (a panic in Rust) leaves the module's state unknown
      throw new EngineError(`the preview engine failed: ${e instanceof Error ? e.message : e}`);
    }
    if (status !== OK) throw new EngineError(text);
    return text;
  }
}
