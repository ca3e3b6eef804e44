/**
 * The "📊 Grafico" button under a comune's card: `g:<key>`, the key being the comune's ISTAT code or
 * name key (`DataPack.byKey` finds it by either). The chart shows the round the card shows.
 */
import { createCallbackData } from "./create.js";

export const chartData = createCallbackData<{ key: string }>("g", {
  // 62 characters of an a-z0-9 key: with "g:" exactly Telegram's 64 bytes.
  encode: ({ key }) => key.slice(0, 62),
  decode: (key) => (key ? { key } : undefined),
});
