import { describe, expect, it } from "vitest";
import { applyGutter, HIGHLIGHT_CLASS, highlightField, patchBlocks, patchPreview } from "./preview";

describe("patchPreview", () => {
  it("patches in place, keeping unchanged elements", () => {
    const root = document.createElement("div");
    patchPreview(
      root,
      '<h1 data-sourcepos="1:1-1:5">T</h1><p data-sourcepos="3:1-3:9">a <span class="field-value" data-field="x">1</span></p>',
    );
    const h1 = root.querySelector("h1");
    const p = root.querySelector("p");
    patchPreview(
      root,
      '<h1 data-sourcepos="1:1-1:5">T</h1><p data-sourcepos="3:1-3:9">a <span class="field-value" data-field="x">12</span></p>',
    );
    expect(root.querySelector("h1")).toBe(h1);
    expect(root.querySelector("p")).toBe(p);
    expect(root.querySelector("[data-field=x]")?.textContent).toBe("12");
  });
});

describe("patchBlocks", () => {
  it("keeps the focused field's marks through a patch, so highlighting again changes nothing", () => {
    const root = document.createElement("div");
    const span = (v: string) =>
      `<p data-sourcepos="1:1-1:9">a <span class="field-value" data-field="x">${v}</span></p>`;
    patchBlocks(root, [span("1")]);
    highlightField(root, "x");
    const use = root.querySelector("[data-field=x]");
    const changes: MutationRecord[] = [];
    const observer = new MutationObserver((m) => changes.push(...m));
    observer.observe(root, { subtree: true, attributes: true });
    patchBlocks(root, [span("12")]);
    highlightField(root, "x");
    changes.push(...observer.takeRecords());
    observer.disconnect();
    expect(root.querySelector("[data-field=x]")).toBe(use);
    expect(use?.classList.contains("uses-highlight")).toBe(true);
    expect(use?.textContent).toBe("12");
    expect(changes.filter((m) => m.attributeName === "class")).toEqual([]);
  });

  const p = (n: number, v: string) => `<p data-sourcepos="${n}:1-${n}:9">${v}</p>\n`;

  it("touches only the blocks that changed, and those in place", () => {
    const root = document.createElement("div");
    patchBlocks(root, [p(1, "a"), p(2, "b"), p(3, "c")]);
    const [first, second, third] = Array.from(root.children);
    const text = second.firstChild;
    patchBlocks(root, [p(1, "a"), p(2, "B"), p(3, "c")]);
    expect(root.children[0]).toBe(first);
    // Morphed, not replaced: the same element and text node, with the new text.
    expect(root.children[1]).toBe(second);
    expect(root.children[1].firstChild).toBe(text);
    expect(root.children[1].textContent).toBe("B");
    expect(root.children[2]).toBe(third);
    expect(root.children).toHaveLength(3);
  });

  it("follows structural changes", () => {
    const root = document.createElement("div");
    patchBlocks(root, [p(1, "a"), p(2, "b"), p(3, "c")]);
    const first = root.children[0];
    patchBlocks(root, [p(1, "a"), p(3, "c")]);
    expect(Array.from(root.children).map((e) => e.textContent)).toEqual(["a", "c"]);
    expect(root.children[0]).toBe(first);
    patchBlocks(root, [p(1, "a"), p(2, "x"), p(4, "y"), p(3, "c")]);
    expect(Array.from(root.children).map((e) => e.textContent)).toEqual(["a", "x", "y", "c"]);
  });
});

describe("decorations", () => {
  it("highlights every use of a field and clears the others", () => {
    const root = document.createElement("div");
    root.innerHTML =
      '<p><span data-field="a">1</span><mark data-field="b">B</mark><span data-field="a">1</span></p>';
    expect(highlightField(root, "a")).toHaveLength(2);
    expect(root.querySelectorAll(`.${HIGHLIGHT_CLASS}`)).toHaveLength(2);
    highlightField(root, "b");
    expect(Array.from(root.querySelectorAll(`.${HIGHLIGHT_CLASS}`)).map((e) => e.tagName)).toEqual([
      "MARK",
    ]);
    highlightField(root, null);
    expect(root.querySelectorAll(`.${HIGHLIGHT_CLASS}`)).toHaveLength(0);
  });

  it("marks blocks with the worst severity of their problems", () => {
    const root = document.createElement("div");
    root.innerHTML = '<p data-sourcepos="1:1-2:1">a</p><p data-sourcepos="4:1-4:9">b</p>';
    applyGutter(root, [
      { severity: "warning", code: "syntax", message: "w", line: 1 },
      { severity: "error", code: "syntax", message: "e", line: 2 },
    ]);
    const [a, b] = Array.from(root.children);
    expect(a.getAttribute("data-problem")).toBe("error");
    expect(a.getAttribute("data-problem-text")).toBe("w\ne");
    expect(b.hasAttribute("data-problem")).toBe(false);
    applyGutter(root, null);
    expect(a.hasAttribute("data-problem")).toBe(false);
  });
});

describe("patchBlocks with a scroller", () => {
  const p = (n: number, v: string) => `<p data-sourcepos="${n}:1-${n}:9">${v}</p>\n`;

  it("patches blocks out of view only after the frame is painted", async () => {
    const root = document.createElement("div");
    const scroller = document.createElement("div");
    scroller.append(root);
    document.body.append(scroller);
    patchBlocks(root, [p(1, "a"), p(2, "b")]);
    // jsdom lays nothing out: place the scroller and the second block by hand.
    scroller.getBoundingClientRect = () => new DOMRect(0, 0, 400, 100);
    (root.children[0] as HTMLElement).getBoundingClientRect = () => new DOMRect(0, 10, 400, 20);
    (root.children[1] as HTMLElement).getBoundingClientRect = () => new DOMRect(0, 500, 400, 20);
    patchBlocks(root, [p(1, "A"), p(2, "B")], scroller);
    expect(Array.from(root.children).map((e) => e.textContent)).toEqual(["A", "b"]);
    await new Promise((r) => setTimeout(r, 20));
    expect(Array.from(root.children).map((e) => e.textContent)).toEqual(["A", "B"]);
    scroller.remove();
  });
});

describe("highlighting a row", () => {
  const html =
    '<table><tr><td><span class="field-value" data-field="s" data-path="s[0].name">AWS</span></td>' +
    '<td><span class="field-value" data-field="s" data-path="s[0].purpose">Hosting</span></td></tr>' +
    '<tr><td><span class="field-value" data-field="s" data-path="s[1].name">Cloudflare</span></td>' +
    '<td><mark class="unfilled" data-field="s" data-path="s[1].purpose">purpose</mark></td></tr>' +
    '<tr><td><span class="field-value" data-field="s" data-path="s[10].name">Row 11</span></td></tr></table>' +
    '<p>We list <span class="field-value" data-field="s">3</span>.</p>';

  it("marks the places of one row (its values and unfilled marks), not row 10 or the count", () => {
    const root = document.createElement("div");
    root.innerHTML = html;
    const lit = highlightField(root, "s", "s[1]").map((e) => e.dataset.path);
    expect(lit).toEqual(["s[1].name", "s[1].purpose"]);
    expect(root.querySelectorAll(`.${HIGHLIGHT_CLASS}`)).toHaveLength(2);
  });

  it("marks every use of the field without a path, and when no place has that path", () => {
    const root = document.createElement("div");
    root.innerHTML = html;
    expect(highlightField(root, "s")).toHaveLength(6);
    expect(highlightField(root, "s", "s[7]")).toHaveLength(6);
    expect(highlightField(root, null)).toHaveLength(0);
    expect(root.querySelectorAll(`.${HIGHLIGHT_CLASS}`)).toHaveLength(0);
  });
});
