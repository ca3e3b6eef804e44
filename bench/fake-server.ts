/**
 * The loopback fake Bot API in a process of its own, so the bot's process can be measured alone.
 * Started by bench/fake-remote.ts with the fake's options as JSON in argv; controlled over IPC.
 */
import { FakeTelegram, type FakeTelegramOptions } from "../test/support/fake-bot-api/index.js";
import { type CardTallyInput, CardWatcher } from "./cards-tally.js";
import { type RushArm, type RushTallyInput, rushTally } from "./rush-tally.js";
import { type TallyInput, tally } from "./tally.js";

type Request =
  | { id: number; cmd: "reset" }
  | { id: number; cmd: "block"; ids: number[] }
  | { id: number; cmd: "snapshot" }
  | { id: number; cmd: "tally"; input: TallyInput }
  | { id: number; cmd: "armRush"; arm: RushArm }
  | { id: number; cmd: "rushTally"; input: RushTallyInput }
  | { id: number; cmd: "watchCards" }
  | { id: number; cmd: "cardTally"; input: CardTallyInput }
  | { id: number; cmd: "pretendSent"; ids: number[] }
  | { id: number; cmd: "close" };

const opts = JSON.parse(process.argv[2] ?? "{}") as FakeTelegramOptions;
const fake = await FakeTelegram.start(opts);

// Never outlive the benchmark that started it.
process.on("disconnect", () => process.exit(0));

/** When each citizen's message of the rush was queued (Date.now(), the clock `sent[].at` uses). */
const rushAt = new Map<number, number>();
let rushTimer: NodeJS.Timeout | undefined;

/** Starts the rush once the push has delivered `afterSends` messages: the citizens write, spread over `spreadMs`. */
function armRush(arm: RushArm): void {
  clearInterval(rushTimer);
  rushAt.clear();
  rushTimer = setInterval(() => {
    if (fake.sentCount < arm.afterSends) return;
    clearInterval(rushTimer);
    const batches = 20;
    const per = Math.ceil(arm.citizens.length / batches);
    for (let b = 0; b < batches; b++) {
      setTimeout(
        () => {
          for (const id of arm.citizens.slice(b * per, (b + 1) * per)) {
            rushAt.set(id, Date.now());
            fake.pushMessage(arm.text, { userId: id, languageCode: "it" });
          }
        },
        (b * arm.spreadMs) / batches,
      );
    }
  }, 5);
}

/** What each chat shows of a count (the live cards benchmark). */
const cards = new CardWatcher();

process.on("message", (m: Request) => {
  const reply = (result: unknown) => process.send?.({ id: m.id, result });
  switch (m.cmd) {
    case "reset":
      fake.reset();
      return reply(true);
    case "block":
      for (const id of m.ids) fake.blockChat(id);
      return reply(true);
    case "snapshot":
      return reply(snapshot(fake));
    case "tally":
      return reply(tally(fake.deliveredPerChat, m.input));
    case "armRush":
      armRush(m.arm);
      return reply(true);
    case "rushTally":
      return reply(rushTally((id) => fake.sentTo(id), rushAt, m.input));
    case "watchCards":
      cards.reset();
      fake.observe((msg) => cards.observe(msg));
      return reply(true);
    case "cardTally":
      return reply(cards.tally(m.input));
    case "pretendSent":
      return reply([...fake.pretendSent(m.ids)]);
    case "close":
      void fake.close().then(() => {
        reply(true);
        process.disconnect();
      });
      return;
  }
});

function snapshot(f: FakeTelegram) {
  return {
    tooManyRequests: f.stats.tooManyRequests,
    forbidden: f.stats.forbidden,
    serverErrors: f.stats.serverErrors,
    requests: f.stats.requests,
    sendCalls: f.callCounts.get("sendMessage") ?? 0,
    editCalls: f.callCounts.get("editMessageText") ?? 0,
    sentCount: f.sentCount,
    cpuMicros: (() => {
      const c = process.cpuUsage();
      return c.user + c.system;
    })(),
    rss: process.memoryUsage().rss,
  };
}

process.send?.({ type: "ready", apiRoot: fake.apiRoot, token: fake.token });
