/** The button that shows a comune's card: `c:<ISTAT code or name key>` (`DataPack.byKey` finds it by either). */
import { createCallbackData } from "./create.js";

export const cityData = createCallbackData<{ key: string }>("c", {
  // 62 characters of an a-z0-9 key: with "c:" exactly Telegram's 64 bytes.
  encode: ({ key }) => key.slice(0, 62),
  decode: (key) => ({ key }),
});
