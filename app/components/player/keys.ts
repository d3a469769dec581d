import type { MessageKey } from "~/i18n/messages";

/** The player's keyboard (shown by the help overlay from this same table). */
export type PlayerAction =
  | "playPause"
  | "shuttleBack"
  | "stop"
  | "shuttleForward"
  | "frameBack"
  | "frameForward"
  | "tenBack"
  | "tenForward"
  | "secondBack"
  | "secondForward"
  | "markIn"
  | "markOut"
  | "goToIn"
  | "goToOut"
  | "clearMarks"
  | "loop"
  | "goTo"
  | "start"
  | "end"
  | "fullscreen"
  | "mute"
  | "previousAsset"
  | "nextAsset"
  | "help";

/** Keys as KeyboardEvent.key (with Shift where it matters), and what the overlay says. */
export const KEYMAP: readonly { keys: readonly string[]; shift?: boolean; action: PlayerAction; label: readonly string[]; help?: MessageKey }[] = [
  { keys: [" "], action: "playPause", label: ["Space"], help: "player.keys.playPause" },
  { keys: ["j", "J"], action: "shuttleBack", label: ["J", "K", "L"], help: "player.keys.shuttle" },
  { keys: ["k", "K"], action: "stop", label: [] },
  { keys: ["l", "L"], action: "shuttleForward", label: [] },
  { keys: ["ArrowLeft"], action: "frameBack", label: ["←", "→"], help: "player.keys.frame" },
  { keys: ["ArrowRight"], action: "frameForward", label: [] },
  { keys: ["ArrowLeft"], shift: true, action: "tenBack", label: ["Shift+←", "Shift+→"], help: "player.keys.tenFrames" },
  { keys: ["ArrowRight"], shift: true, action: "tenForward", label: [] },
  { keys: [","], action: "secondBack", label: [",", "."], help: "player.keys.second" },
  { keys: ["."], action: "secondForward", label: [] },
  { keys: ["i"], action: "markIn", label: ["I", "O"], help: "player.keys.marks" },
  { keys: ["o"], action: "markOut", label: [] },
  { keys: ["I"], shift: true, action: "goToIn", label: ["Shift+I", "Shift+O"], help: "player.keys.goToMarks" },
  { keys: ["O"], shift: true, action: "goToOut", label: [] },
  { keys: ["x", "X"], action: "clearMarks", label: ["X"], help: "player.keys.clearMarks" },
  { keys: ["r", "R"], action: "loop", label: ["R"], help: "player.keys.loop" },
  { keys: ["t", "T"], action: "goTo", label: ["T"], help: "player.keys.goTo" },
  { keys: ["Home"], action: "start", label: ["Home", "End"], help: "player.keys.startEnd" },
  { keys: ["End"], action: "end", label: [] },
  { keys: ["f", "F"], action: "fullscreen", label: ["F"], help: "player.keys.fullscreen" },
  { keys: ["m", "M"], action: "mute", label: ["M"], help: "player.keys.mute" },
  { keys: ["PageUp"], action: "previousAsset", label: ["PageUp", "PageDown"], help: "player.keys.assets" },
  { keys: ["PageDown"], action: "nextAsset", label: [] },
  { keys: ["?"], action: "help", label: ["?"], help: "player.keys.help" },
];

/** The action of a key press, or null (typing in a field, a browser shortcut with Ctrl/Alt/Meta). */
export function actionOf(event: KeyboardEvent): PlayerAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return null;
  const target = event.target as HTMLElement | null;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return null;
  // Buttons and links keep Space and Enter for themselves.
  if (event.key === " " && target && /^(BUTTON|A|SUMMARY)$/.test(target.tagName)) return null;
  const shift = event.shiftKey;
  const exact = KEYMAP.find((k) => k.keys.includes(event.key) && (k.shift ?? false) === shift && k.shift !== undefined);
  const loose = KEYMAP.find((k) => k.keys.includes(event.key) && k.shift === undefined && !(shift && event.key.startsWith("Arrow")));
  return (exact ?? loose)?.action ?? null;
}
