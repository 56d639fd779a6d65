// @vitest-environment node
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PDF_CHOICE,
  describePdfChoice,
  loadPdfChoice,
  PDF_STORAGE_KEY,
  pageAlt,
  pageCount,
  pdfSettings,
  STANDARDS,
  savePdfChoice,
  svgDataUrl,
  svgPageSize,
} from "./pdf";

function memoryStorage(init: Record<string, string> = {}) {
  const data = new Map(Object.entries(init));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

describe("PDF settings", () => {
  it("maps each standard choice to the engine's standards", () => {
    expect(STANDARDS.map((s) => [s.label, s.standards])).toEqual([
      ["PDF/UA-1 (accessible)", ["ua-1"]],
      ["PDF/A-2b (archival)", ["a-2b"]],
      ["PDF/A-2a + PDF/UA-1 (archival, accessible)", ["a-2a", "ua-1"]],
    ]);
    expect(pdfSettings({ paper: "letter", standard: "a-2a+ua-1" }, "Acme Corp")).toEqual({
      paper: "letter",
      standards: ["a-2a", "ua-1"],
      tenant: "Acme Corp",
    });
    // no display name: no tenant in the settings
    expect(pdfSettings(DEFAULT_PDF_CHOICE, "  ")).toEqual({ paper: "a4", standards: ["ua-1"] });
    expect(describePdfChoice({ paper: "letter", standard: "a-2b" })).toBe("Letter, PDF/A-2b");
  });

  it("the settings are fresh arrays, never the table's", () => {
    const a = pdfSettings(DEFAULT_PDF_CHOICE, "A");
    a.standards.push("a-2b");
    expect(pdfSettings(DEFAULT_PDF_CHOICE, "A").standards).toEqual(["ua-1"]);
  });

  it("remembers the choice and falls back to A4 + PDF/UA-1 for anything unknown", () => {
    const storage = memoryStorage();
    expect(loadPdfChoice(storage)).toEqual({ paper: "a4", standard: "ua-1" });
    savePdfChoice({ paper: "letter", standard: "a-2b" }, storage);
    expect(JSON.parse(storage.data.get(PDF_STORAGE_KEY) ?? "")).toEqual({
      paper: "letter",
      standard: "a-2b",
    });
    expect(loadPdfChoice(storage)).toEqual({ paper: "letter", standard: "a-2b" });

    expect(loadPdfChoice(memoryStorage({ [PDF_STORAGE_KEY]: "{not json" }))).toEqual(
      DEFAULT_PDF_CHOICE,
    );
    expect(
      loadPdfChoice(
        memoryStorage({
          [PDF_STORAGE_KEY]: JSON.stringify({ paper: "a3", standard: "a-2a+ua-1" }),
        }),
      ),
    ).toEqual({ paper: "a4", standard: "a-2a+ua-1" });
    expect(loadPdfChoice(null)).toEqual(DEFAULT_PDF_CHOICE);
    const throwing = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("full");
      },
    };
    expect(loadPdfChoice(throwing)).toEqual(DEFAULT_PDF_CHOICE);
    expect(() => savePdfChoice(DEFAULT_PDF_CHOICE, throwing)).not.toThrow();
  });
});

describe("pages as images", () => {
  it("encodes an SVG page as a base64 data: URL, UTF-8 intact", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>Café “quoted” — ✓</text></svg>';
    const url = svgDataUrl(svg);
    const prefix = "data:image/svg+xml;base64,";
    expect(url.startsWith(prefix)).toBe(true);
    const bytes = Uint8Array.from(atob(url.slice(prefix.length)), (c) => c.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe(svg);
  });

  it("encodes pages larger than one chunk", () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg">${"<path d='M0 0L1 1'/>é".repeat(5000)}</svg>`;
    const b64 = svgDataUrl(svg).split(",")[1];
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe(svg);
  });

  it("reads the page size from the SVG, else from the paper", () => {
    expect(
      svgPageSize(
        '<svg class="typst-doc" viewBox="0 0 595.2755 841.8897" width="595.2755pt" height="841.8897pt" xmlns="http://www.w3.org/2000/svg">',
        "letter",
      ),
    ).toEqual({ width: 595.2755, height: 841.8897 });
    expect(svgPageSize('<svg width="612pt" height="792pt">', "a4")).toEqual({
      width: 612,
      height: 792,
    });
    expect(svgPageSize("<svg>", "letter")).toEqual({ width: 612, height: 792 });
    expect(svgPageSize("not svg", "a4")).toEqual({ width: 595.28, height: 841.89 });
  });

  it("describes pages", () => {
    expect(pageAlt(1, 5)).toBe("Page 2 of 5");
    expect(pageCount(1)).toBe("1 page");
    expect(pageCount(5)).toBe("5 pages");
  });
});
