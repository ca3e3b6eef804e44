/** Starts the fake Bot API on loopback and prints its address: for trying `npm start` without Telegram. */
import { FakeTelegram } from "./fake-bot-api/index.js";

const fake = await FakeTelegram.start({
  recordSent: true,
  token: process.env.FAKE_TOKEN ?? "123456789:AAH-local-fake-token-for-trying",
});
console.log(JSON.stringify({ apiRoot: fake.apiRoot, token: fake.token }));
process.on("SIGTERM", () => void fake.close().then(() => process.exit(0)));
setInterval(() => {
  for (const m of fake.sent.splice(0)) console.log(`→ ${m.chat_id}: ${m.plain.split("\n")[0]}`);
}, 200);
if (process.env.PUSH) {
  setTimeout(() => {
    for (const text of process.env.PUSH!.split("|")) fake.pushMessage(text, { userId: 1001 });
  }, 1500);
}
