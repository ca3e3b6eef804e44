/** A runtime wired to the loopback fake Bot API, and helpers to talk to it as users would. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import { pino } from "pino";
import { createRuntime, type Runtime, type RuntimeOptions } from "../../src/runtime.js";
import { type Speaker, UpdateFactory } from "../../src/terminal/updates.js";
import { FakeTelegram, type FakeTelegramOptions, type SentMessage } from "./fake-bot-api/index.js";

export const ADMIN = 42;

export interface Harness {
  fake: FakeTelegram;
  runtime: Runtime;
  dir: string;
  dbPath: string;
  /** A message from a user; `entities` (formatting) and `replyTo` (a message id in the same chat) as a client sends them. */
  say(text: string, opts?: UserOpts & MessageExtra): Promise<SentMessage[]>;
  /** Presses a button; `markup` is the keyboard of the message it is under (Telegram sends it with the press). */
  press(data: string, opts?: UserOpts & { messageId?: number; markup?: unknown }): Promise<SentMessage[]>;
  inline(query: string, opts?: UserOpts): Promise<void>;
  close(): Promise<void>;
}

/** Who speaks; by default user 1001 in a private chat, with an Italian client. */
export type UserOpts = Partial<Speaker>;

/** What a message carries besides its text. */
export interface MessageExtra {
  entities?: MessageEntity[];
  replyTo?: number;
}

export interface HarnessOptions {
  fake?: FakeTelegramOptions;
  runtime?: Partial<RuntimeOptions>;
  /** Reuse a database file (restart after a crash). */
  dbPath?: string;
  /** An already running fake. */
  existingFake?: FakeTelegram;
}

/** One numbering for every harness of a test file, as before a restart on the same database. */
const updates = new UpdateFactory({ lastUpdateId: 1000 });

const speaker = (u: UserOpts): Speaker => ({ ...u, userId: u.userId ?? 1001 });

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const fake = o.existingFake ?? (await FakeTelegram.start(o.fake));
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-test-"));
  const dbPath = o.dbPath ?? path.join(dir, "state.sqlite");
  const runtime = await createRuntime({
    token: fake.token,
    apiRoot: fake.apiRoot,
    dataDir: "data",
    databasePath: dbPath,
    adminIds: new Set([ADMIN]),
    sendRate: 1000,
    paidBroadcast: false,
    logger: pino({ level: "silent" }),
    botInfo: fake.botInfo,
    rateLimit: false,
    timeoutSeconds: 5,
    ...o.runtime,
    // Tests talk to one chat many times in a row: no per-chat gap unless a test asks for one.
    engine: { privateGapMs: 0, groupGapMs: 0, ...o.runtime?.engine },
  });
  const since = async (run: () => Promise<unknown>, chatId: number) => {
    const before = fake.sent.length;
    await run();
    return fake.sent.slice(before).filter((m) => m.chat_id === chatId);
  };
  return {
    fake,
    runtime,
    dir,
    dbPath,
    say: (text, u = {}) =>
      since(
        () =>
          runtime.bot.handleUpdate(
            updates.message(text, speaker(u), {
              ...(u.entities ? { entities: u.entities } : {}),
              ...(u.replyTo !== undefined ? { replyTo: u.replyTo } : {}),
            }),
          ),
        u.chatId ?? u.userId ?? 1001,
      ),
    press: (data, u = {}) =>
      since(
        () =>
          runtime.bot.handleUpdate(
            updates.callback(data, speaker(u), u.messageId ?? 1, u.markup as InlineKeyboardMarkup | undefined),
          ),
        u.chatId ?? u.userId ?? 1001,
      ),
    inline: async (query, u = {}) => {
      await runtime.bot.handleUpdate(updates.inlineQuery(query, speaker(u)));
    },
    async close() {
      await runtime.stop();
      if (!o.existingFake) await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
