// Patching and decorating the live preview. The preview is patched in place with morphdom (never
// replaced), so scroll position, selection and hover survive every keystroke.
import morphdom from "morphdom";
import type { Diagnostic } from "./bindings/Diagnostic";
import { isWithin } from "./fieldPath";
import { afterPaint } from "./frames";
import { gutterMarks, worstSeverity } from "./problems";

export const HIGHLIGHT_CLASS = "uses-highlight";
export const FLASH_CLASS = "flash";

/** Replaces the children of `root` with `html`, touching only what changed. */
export function patchPreview(root: HTMLElement, html: string): void {
  const next = root.cloneNode(false) as HTMLElement;
  next.innerHTML = html;
  morphdom(root, next, { childrenOnly: true });
  shown.delete(root);
  wanted.delete(root);
}

/** The blocks each preview root shows, as last patched. */
const shown = new WeakMap<HTMLElement, string[]>();
/** The blocks each root is to show once its visible ones are painted (see `patchBlocks`). */
const wanted = new WeakMap<HTMLElement, string[]>();

function fragment(html: string): DocumentFragment {
  const t = document.createElement("template");
  t.innerHTML = html;
  return t.content;
}

/**
 * Shows `blocks` (the engine's top-level blocks, one element each) in `root`, replacing only the
 * blocks whose HTML changed. A keystroke changes a few blocks of a long notice, so this parses and
 * lays out a few paragraphs instead of diffing the whole document. Given the `scroller`, changed
 * blocks out of its view are patched only after this frame is painted: the frame showing the
 * keystroke paints what can be seen, and nothing else.
 */
export function patchBlocks(
  root: HTMLElement,
  blocks: string[],
  scroller: Element | null = null,
): void {
  wanted.set(root, blocks);
  const prev = shown.get(root);
  const children = root.children;
  if (!prev || prev.length !== children.length) {
    patchPreview(root, blocks.join(""));
    shown.set(root, blocks.slice());
    return;
  }
  let start = 0;
  while (start < prev.length && start < blocks.length && prev[start] === blocks[start]) start++;
  let endPrev = prev.length;
  let endNext = blocks.length;
  while (endPrev > start && endNext > start && prev[endPrev - 1] === blocks[endNext - 1]) {
    endPrev--;
    endNext--;
  }
  if (endPrev - start === endNext - start) {
    // Values never change the structure: the same blocks, some with new text. Morphed rather
    // than replaced, so only the changed text is laid out and painted again, not the block.
    const now = prev.slice();
    const view = scroller?.getBoundingClientRect();
    let later = false;
    for (let i = start; i < endPrev; i++) {
      if (prev[i] === blocks[i]) continue;
      if (view && !within(children[i].getBoundingClientRect(), view, false)) {
        later = true;
        continue;
      }
      morphBlock(children[i], blocks[i].trim());
      now[i] = blocks[i];
    }
    shown.set(root, now);
    if (later) {
      afterPaint(() => {
        const latest = wanted.get(root);
        if (latest) patchBlocks(root, latest);
      });
    }
    return;
  } else {
    // The structure changed (a condition flipped): replace the differing run.
    const after = children[endPrev] ?? null;
    for (let i = endPrev - 1; i >= start; i--) children[i].remove();
    root.insertBefore(fragment(blocks.slice(start, endNext).join("")), after);
  }
  shown.set(root, blocks.slice());
}

function morphBlock(el: Element, html: string): void {
  const next = fragment(html);
  if (next.childNodes.length === 1 && next.firstChild instanceof Element)
    morphdom(el, next.firstChild, { onBeforeElUpdated: keepDecoration });
  else el.replaceWith(next); // not one element (cannot happen for an engine block)
}

/** Carries the preview's own marks (the focused field's uses) over a morph; `highlightField`
 * then finds nothing to change. */
function keepDecoration(from: HTMLElement, to: HTMLElement): boolean {
  if (
    from.classList.contains(HIGHLIGHT_CLASS) &&
    from.dataset.field === to.dataset.field &&
    from.dataset.path === to.dataset.path
  ) {
    to.classList.add(HIGHLIGHT_CLASS);
  }
  return true;
}

function attrSelector(name: string): string {
  return `[data-field="${name.replace(/["\\]/g, "\\$&")}"]`;
}

export function fieldUses(root: ParentNode, name: string): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(attrSelector(name)));
}

/**
 * The uses of `name` at `path` inside it (a row: `subprocessors[1]`, its values marked
 * `data-path="subprocessors[1].name"`), or every use of `name` where none is marked so.
 */
export function pathUses(root: ParentNode, name: string, path?: string | null): HTMLElement[] {
  const all = fieldUses(root, name);
  if (!path || path === name) return all;
  const inside = all.filter((el) => isWithin(el.dataset.path, path));
  return inside.length > 0 ? inside : all;
}

/**
 * Marks every use of `name` (or of the row or sub-field at `path` inside it) in the preview, and
 * unmarks everything else. Touches only what changes: after every keystroke it runs again over
 * the same uses, and a class set again is style work for the browser all the same.
 */
export function highlightField(
  root: ParentNode,
  name: string | null,
  path?: string | null,
): HTMLElement[] {
  const uses = name ? pathUses(root, name, path) : [];
  const keep = new Set<Element>(uses);
  for (const el of Array.from(root.querySelectorAll(`.${HIGHLIGHT_CLASS}`))) {
    if (!keep.has(el)) el.classList.remove(HIGHLIGHT_CLASS);
  }
  for (const el of uses) {
    if (!el.classList.contains(HIGHLIGHT_CLASS)) el.classList.add(HIGHLIGHT_CLASS);
  }
  return uses;
}

/** Whether all of `r` (`whole`), or any of it, is inside the visible part `view` of a scroller. */
function within(r: DOMRect, view: DOMRect, whole: boolean): boolean {
  if (view.height === 0 && view.width === 0) return true; // not laid out (tests)
  return whole
    ? r.top >= view.top && r.bottom <= view.bottom
    : r.bottom >= view.top && r.top <= view.bottom;
}

/** Whether `el` is fully inside the visible part of `scroller`. */
export function isVisibleIn(el: Element, scroller: Element): boolean {
  return within(el.getBoundingClientRect(), scroller.getBoundingClientRect(), true);
}

export function revealIn(el: HTMLElement, scroller: Element | null, smooth = true): void {
  if (scroller && isVisibleIn(el, scroller)) return;
  if (typeof el.scrollIntoView === "function") {
    el.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "center" });
  }
}

const flashTimers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

/** Briefly flashes a block, restarting the animation if it is already flashing. */
export function flash(el: HTMLElement, ms = 1200): void {
  const old = flashTimers.get(el);
  if (old) clearTimeout(old);
  el.classList.remove(FLASH_CLASS);
  void el.offsetWidth; // restart the CSS animation
  el.classList.add(FLASH_CLASS);
  flashTimers.set(
    el,
    setTimeout(() => {
      el.classList.remove(FLASH_CLASS);
      flashTimers.delete(el);
    }, ms),
  );
}

/** Sets (or clears) the review gutter markers on the preview's top-level blocks. */
export function applyGutter(root: HTMLElement, problems: readonly Diagnostic[] | null): void {
  for (const el of Array.from(root.querySelectorAll("[data-problem]"))) {
    el.removeAttribute("data-problem");
    el.removeAttribute("data-problem-text");
  }
  if (!problems) return;
  for (const { el, problems: ps } of gutterMarks(root, problems)) {
    el.setAttribute("data-problem", worstSeverity(ps) ?? "info");
    el.setAttribute("data-problem-text", ps.map((p) => p.message).join("\n"));
  }
}

/**
 * A scroller's position across being hidden: `display: none` forgets it. Remember it while the
 * scroller is shown, put it back once it is shown again.
 */
export class ScrollMemory {
  private top = 0;
  private left = 0;

  remember(el: Element): void {
    this.top = el.scrollTop;
    this.left = el.scrollLeft;
  }

  restore(el: Element): void {
    if (el.scrollTop !== this.top) el.scrollTop = this.top;
    if (el.scrollLeft !== this.left) el.scrollLeft = this.left;
  }
}
