// Keyboard shortcuts, as a pure mapping from a key event to a command.
export type Command =
  | "open-tenant"
  | "save"
  | "save-as"
  | "export-html"
  | "export-pdf"
  | "next-problem"
  | "previous-problem";

export type KeyLike = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">;

export function commandFor(e: KeyLike): Command | null {
  if (e.key === "F8" && !e.ctrlKey && !e.metaKey && !e.altKey) {
    return e.shiftKey ? "previous-problem" : "next-problem";
  }
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || e.altKey) return null;
  const k = e.key.toLowerCase();
  if (k === "o" && !e.shiftKey) return "open-tenant";
  if (k === "s") return e.shiftKey ? "save-as" : "save";
  if (k === "e") return e.shiftKey ? "export-pdf" : "export-html";
  return null;
}
