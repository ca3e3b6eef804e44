/**
 * The buttons that follow or stop following a comune: `f:+<key>` and `f:-<key>`, the key being the
 * comune's ISTAT code or name key (`DataPack.byKey` finds it by either). Offered as suggestions when
 * a name after /iscriviti or /disiscriviti matched several comuni or none.
 */
import { createCallbackData } from "./create.js";

export interface FollowButton {
  follow: boolean;
  key: string;
}

export const followData = createCallbackData<FollowButton>("f", {
  // 61 characters of an a-z0-9 key: with "f:" and the sign exactly Telegram's 64 bytes.
  encode: ({ follow, key }) => `${follow ? "+" : "-"}${key.slice(0, 61)}`,
  decode: (payload) => {
    const sign = payload[0];
    const key = payload.slice(1);
    if ((sign !== "+" && sign !== "-") || !key) return undefined;
    return { follow: sign === "+", key };
  },
});
