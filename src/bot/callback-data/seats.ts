/**
 * The "🪑 Seggi" button under a comune's card: `s:<key>`, the key being the comune's ISTAT code or name
 * key (`DataPack.byKey` finds it by either). It answers as /seggi does.
 */
import { createCallbackData } from "./create.js";

export const seatsData = createCallbackData<{ key: string }>("s", {
  // 62 characters of an a-z0-9 key: with "s:" exactly Telegram's 64 bytes.
  encode: ({ key }) => key.slice(0, 62),
  decode: (key) => (key ? { key } : undefined),
});
