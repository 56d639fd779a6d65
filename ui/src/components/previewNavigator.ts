// Problem navigation in the window, owned by the preview component: showing where a problem or a
// field is means focusing its input in the form, or scrolling to and flashing its place in the
// document (switching to the document view first), which only the mounted components can do.
import { flushSync } from "svelte";
import type { Diagnostic } from "../lib/bindings/Diagnostic";
import { inputFor } from "../lib/form";
import { flash, highlightField, revealIn } from "../lib/preview";
import { blockForLine, mapsToPreview } from "../lib/problems";
import type { PreviewTab } from "../lib/studio.svelte";

/** What the navigator needs of the app: review mode hides the form, and the preview's tabs. */
export type NavigatorHost = {
  readonly review: boolean;
  readonly previewTab: PreviewTab;
  showTab(tab: PreviewTab): void;
};

export class PreviewNavigator {
  constructor(
    private readonly host: NavigatorHost,
    private readonly root: HTMLElement,
    private readonly scroller: HTMLElement | null,
  ) {}

  /** Shows where a problem is: its field's input, else its block in the preview. */
  reveal(d: Diagnostic): void {
    if (d.field && this.focusField(d.field, d.field_path)) return;
    if (d.line !== undefined && mapsToPreview(d)) this.scrollToLine(d.line);
  }

  /**
   * Focuses a field's input, or the input of the row or sub-field at `path` inside it (or, in
   * review mode, its first use in the preview).
   */
  focusField(name: string, path?: string): boolean {
    if (this.host.review) return this.showFieldInPreview(name, path);
    const input = inputFor(document, name, path);
    if (!input) return this.showFieldInPreview(name, path);
    input.focus();
    if (typeof input.scrollIntoView === "function") input.scrollIntoView({ block: "nearest" });
    return true;
  }

  scrollToLine(line: number): boolean {
    const block = blockForLine(this.root, line);
    if (!block) return false;
    this.showAndFlash(block);
    return true;
  }

  private showFieldInPreview(name: string, path?: string): boolean {
    const uses = highlightField(this.root, name, path);
    if (uses.length === 0) return false;
    this.showAndFlash(uses[0]);
    return true;
  }

  /** Places in the notice are shown in the document view: switch to it (and lay it out) first. */
  private showAndFlash(el: HTMLElement): void {
    if (this.host.previewTab !== "document") {
      this.host.showTab("document");
      flushSync();
    }
    revealIn(el, this.scroller);
    flash(el);
  }
}
