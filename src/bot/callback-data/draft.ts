/**
 * The buttons under a newsroom preview: `d:<action><draft id>`. `s` confirms (publish, correct or
 * withdraw), `c` cancels, `p` takes the suggested tags and shows the preview. The draft itself is in
 * the store, so the buttons work after a restart; only its author may press them, until it expires.
 */
import { createCallbackData } from "./create.js";

export type DraftAction = "send" | "cancel" | "preview";

const CODES: Record<DraftAction, string> = { send: "s", cancel: "c", preview: "p" };
const ACTIONS: Record<string, DraftAction> = { s: "send", c: "cancel", p: "preview" };

export const draftData = createCallbackData<{ action: DraftAction; id: number }>("d", {
  encode: ({ action, id }) => `${CODES[action]}${id}`,
  decode: (payload) => {
    const m = /^([scp])(\d{1,15})$/.exec(payload);
    return m ? { action: ACTIONS[m[1]!]!, id: Number(m[2]) } : undefined;
  },
});
