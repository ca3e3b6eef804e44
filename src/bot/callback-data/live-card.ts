/**
 * The switch under a live card: `lc:0<key>` switches the chat's live card of that comune off (the
 * outcomes only), `lc:1<key>` back on; the key is the comune's ISTAT code or name key.
 */
import { createCallbackData } from "./create.js";

export interface LiveCardSwitch {
  on: boolean;
  key: string;
}

export const liveCardData = createCallbackData<LiveCardSwitch>("lc", {
  // 60 characters of an a-z0-9 key: with "lc:" and the digit exactly Telegram's 64 bytes.
  encode: ({ on, key }) => `${on ? "1" : "0"}${key.slice(0, 60)}`,
  decode: (payload) => {
    const flag = payload[0];
    const key = payload.slice(1);
    if ((flag !== "0" && flag !== "1") || !key) return undefined;
    return { on: flag === "1", key };
  },
});
