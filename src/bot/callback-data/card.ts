/**
 * The buttons under a comune's card that need no state: `k:t<key>` its turnout, `k:n<key>` its news,
 * `k:r<key>` the card again with the latest figures (edited in place), `k:b` every runoff. The key is
 * the comune's ISTAT code or name key (`DataPack.byKey` finds it by either), so a button still works
 * after a restart. Following and unfollowing reuse the follow buttons (`f:`).
 */
import { createCallbackData } from "./create.js";

export type CardAction = "turnout" | "news" | "refresh" | "runoffs";

export type CardButton = { action: Exclude<CardAction, "runoffs">; key: string } | { action: "runoffs" };

const LETTER: Record<CardAction, string> = { turnout: "t", news: "n", refresh: "r", runoffs: "b" };
const ACTION = new Map(Object.entries(LETTER).map(([action, letter]) => [letter, action as CardAction]));

export const cardData = createCallbackData<CardButton>("k", {
  // 61 characters of an a-z0-9 key: with "k:" and the letter exactly Telegram's 64 bytes.
  encode: (b) => LETTER[b.action] + (b.action === "runoffs" ? "" : b.key.slice(0, 61)),
  decode: (payload) => {
    const action = ACTION.get(payload[0] ?? "");
    const key = payload.slice(1);
    if (!action) return undefined;
    if (action === "runoffs") return key ? undefined : { action };
    return key ? { action, key } : undefined;
  },
});
