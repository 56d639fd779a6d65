// @vitest-environment node
// The web view's engine, the real module (`npm run wasm:build`) on the shipped seed template.
import { beforeAll, describe, expect, it } from "vitest";
import { loadFromDisk, seedSource, seedValues } from "../test/engine";
import type { PreviewSource } from "./bindings/PreviewSource";
import { EngineError, type LocalEngine } from "./engine";

describe("the web view's engine", () => {
  let engine: LocalEngine;
  beforeAll(async () => {
    engine = await loadFromDisk();
  });

  it("refuses to render before a template is open, with the engine's message", () => {
    expect(() => engine.render({})).toThrow(new EngineError("no template is open"));
    expect(engine.usable).toBe(true); // a refusal is not a failure
  });

  it("renders the seed with the example tenant: values in place, the heading, no unfilled place", () => {
    engine.open(seedSource());
    const r = engine.render(seedValues());
    expect(r.rendered).toBe(true);
    expect(r.blocks[0]).toContain("Acme Corporation Ltd");
    expect(r.blocks[0]).toMatch(/^<h1/);
    expect(r.diagnostics.filter((d) => d.code === "unfilled-placeholder")).toEqual([]);
    expect(r.body_html).toBe(""); // blocks only, as the app's render_preview sends
  });

  it("an empty field is an unfilled place in the preview and a problem on its line", () => {
    const values = { ...seedValues(), our_server_fqdn: "" };
    const r = engine.render(values);
    const unfilled = r.diagnostics.filter(
      (d) => d.code === "unfilled-placeholder" && d.field === "our_server_fqdn",
    );
    expect(unfilled.length).toBeGreaterThan(0);
    expect(unfilled[0].line).toBe(18);
    expect(r.blocks.join("")).toContain('data-field="our_server_fqdn"');
  });

  it("a typed value cannot inject markup", () => {
    const values = { ...seedValues(), hhs_entity_name: "<script>alert(1)</script> **bold**" };
    const html = engine.render(values).blocks.join("");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; **bold**");
  });

  it("a source that is not one is refused with a message, and the engine stays usable", () => {
    const bad = { path: "x.md" } as unknown as PreviewSource;
    expect(() => engine.open(bad)).toThrow(/not a preview source/);
    expect(engine.usable).toBe(true);
    engine.open(seedSource());
    expect(engine.render(seedValues()).rendered).toBe(true);
  });

  it("grows its memory for a large template and still reads results right", () => {
    const big = seedSource();
    big.source += "\n".concat(
      ...Array.from({ length: 400 }, (_, i) => `\nParagraph ${i} for {{ hhs_entity_name }}.\n`),
    );
    engine.open(big);
    const r = engine.render(seedValues());
    expect(r.blocks.at(-1)).toContain("Paragraph 399 for");
    engine.open(seedSource());
  });
});
