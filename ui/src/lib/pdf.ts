// PDF settings (paper and standard, remembered between sessions) and the helpers the "Pages" view
// needs to show the engine's SVG pages as images.
import type { Paper } from "./bindings/Paper";
import type { PdfSettings } from "./bindings/PdfSettings";
import type { PdfStandard } from "./bindings/PdfStandard";

export type PaperChoice = { id: Paper; label: string; width: number; height: number };

/** Paper sizes, in points (what the engine's SVG pages measure in). */
export const PAPERS: readonly PaperChoice[] = [
  { id: "a4", label: "A4", width: 595.28, height: 841.89 },
  { id: "letter", label: "Letter", width: 612, height: 792 },
];

export type StandardId = "ua-1" | "a-2b" | "a-2a+ua-1";
export type StandardChoice = {
  id: StandardId;
  label: string;
  short: string;
  standards: readonly PdfStandard[];
};

export const STANDARDS: readonly StandardChoice[] = [
  { id: "ua-1", label: "PDF/UA-1 (accessible)", short: "PDF/UA-1", standards: ["ua-1"] },
  { id: "a-2b", label: "PDF/A-2b (archival)", short: "PDF/A-2b", standards: ["a-2b"] },
  {
    id: "a-2a+ua-1",
    label: "PDF/A-2a + PDF/UA-1 (archival, accessible)",
    short: "PDF/A-2a + PDF/UA-1",
    standards: ["a-2a", "ua-1"],
  },
];

/** What the user picked; stored as is. */
export type PdfChoice = { paper: Paper; standard: StandardId };

export const DEFAULT_PDF_CHOICE: PdfChoice = { paper: "a4", standard: "ua-1" };

export const PDF_STORAGE_KEY = "notice-studio.pdf";

function paperChoice(id: Paper): PaperChoice {
  return PAPERS.find((p) => p.id === id) ?? PAPERS[0];
}

function standardChoice(id: StandardId): StandardChoice {
  return STANDARDS.find((s) => s.id === id) ?? STANDARDS[0];
}

export function isPaper(v: unknown): v is Paper {
  return PAPERS.some((p) => p.id === v);
}

export function isStandardId(v: unknown): v is StandardId {
  return STANDARDS.some((s) => s.id === v);
}

/** The settings both `page_preview` and a PDF export get. */
export function pdfSettings(choice: PdfChoice, tenantName: string): PdfSettings {
  const settings: PdfSettings = {
    paper: choice.paper,
    standards: [...standardChoice(choice.standard).standards],
  };
  const name = tenantName.trim();
  if (name) settings.tenant = name;
  return settings;
}

/** A short description for tooltips: "A4, PDF/UA-1". */
export function describePdfChoice(choice: PdfChoice): string {
  return `${paperChoice(choice.paper).label}, ${standardChoice(choice.standard).short}`;
}

type StorageLike = Pick<Storage, "getItem" | "setItem">;

function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled
  }
}

/** The remembered choice; anything missing or unknown falls back to the default. */
export function loadPdfChoice(storage: StorageLike | null = defaultStorage()): PdfChoice {
  let raw: unknown = null;
  try {
    const text = storage?.getItem(PDF_STORAGE_KEY);
    raw = text ? JSON.parse(text) : null;
  } catch {
    raw = null;
  }
  const r = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    paper: isPaper(r.paper) ? r.paper : DEFAULT_PDF_CHOICE.paper,
    standard: isStandardId(r.standard) ? r.standard : DEFAULT_PDF_CHOICE.standard,
  };
}

export function savePdfChoice(
  choice: PdfChoice,
  storage: StorageLike | null = defaultStorage(),
): void {
  try {
    storage?.setItem(PDF_STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // full or disabled storage: the choice still holds for this session
  }
}

/** An SVG document as a `data:` URL for an `<img>` (images of SVG run no script). */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = "";
  const CHUNK = 0x2000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

function positive(s: string | undefined): number | null {
  if (s === undefined) return null;
  const n = Number.parseFloat(s);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * A page's size from its root `<svg>` (viewBox, else width/height), so the image has its final
 * height before it is decoded and the scroll position does not jump on a refresh.
 */
export function svgPageSize(svg: string, paper: Paper): { width: number; height: number } {
  const open = /<svg\b[^>]*>/i.exec(svg)?.[0] ?? "";
  const attr = (name: string) =>
    new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, "i").exec(open)?.[1];
  const box = attr("viewBox")
    ?.trim()
    .split(/[\s,]+/);
  if (box && box.length === 4) {
    const w = positive(box[2]);
    const h = positive(box[3]);
    if (w && h) return { width: w, height: h };
  }
  const w = positive(attr("width"));
  const h = positive(attr("height"));
  if (w && h) return { width: w, height: h };
  const p = paperChoice(paper);
  return { width: p.width, height: p.height };
}

export function pageAlt(index: number, count: number): string {
  return `Page ${index + 1} of ${count}`;
}

export function pageCount(n: number): string {
  return `${n} page${n === 1 ? "" : "s"}`;
}
