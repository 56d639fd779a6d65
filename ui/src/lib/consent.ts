// A consent page's preview states: what Synapse shows a visitor without a signed link, a user
// who has not accepted this version, and one who has. The switch's labels and keyboard moves.
import type { ConsentState } from "./bindings/ConsentState";

export const CONSENT_STATES: readonly { id: ConsentState; label: string }[] = [
  { id: "public", label: "Public" },
  { id: "not-accepted", label: "Not yet accepted" },
  { id: "accepted", label: "Accepted" },
];

/**
 * The state a key moves to from `current`, as a radio group moves (arrows wrap, Home and End go
 * to the ends); `null` for any other key.
 */
export function stepConsentState(current: ConsentState, key: string): ConsentState | null {
  const n = CONSENT_STATES.length;
  const i = Math.max(
    0,
    CONSENT_STATES.findIndex((s) => s.id === current),
  );
  let next: number;
  if (key === "ArrowRight" || key === "ArrowDown") next = (i + 1) % n;
  else if (key === "ArrowLeft" || key === "ArrowUp") next = (i - 1 + n) % n;
  else if (key === "Home") next = 0;
  else if (key === "End") next = n - 1;
  else return null;
  return CONSENT_STATES[next].id;
}
