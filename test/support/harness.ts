/** A runtime wired to the loopback fake Bot API, and helpers to talk to it as users would. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Update } from "grammy/types";
import { pino } from "pino";
import { createRuntime, type Runtime, type RuntimeOptions } from "../../src/runtime.js";
import { FakeTelegram, type FakeTelegramOptions, type SentMessage } from "./fake-telegram.js";

export const ADMIN = 42;

export interface Harness {
  fake: FakeTelegram;
  runtime: Runtime;
  dir: string;
  dbPath: string;
  say(text: string, opts?: UserOpts): Promise<SentMessage[]>;
  press(data: string, opts?: UserOpts & { messageId?: number }): Promise<SentMessage[]>;
  inline(query: string, opts?: UserOpts): Promise<void>;
  close(): Promise<void>;
}

export interface UserOpts {
  userId?: number;
  chatId?: number;
  lang?: string;
  isBot?: boolean;
}

export interface HarnessOptions {
  fake?: FakeTelegramOptions;
  runtime?: Partial<RuntimeOptions>;
  /** Reuse a database file (restart after a crash). */
  dbPath?: string;
  /** An already running fake. */
  existingFake?: FakeTelegram;
}

let updateId = 1000;

export function messageUpdate(text: string, o: UserOpts = {}): Update {
  const userId = o.userId ?? 1001;
  const chatId = o.chatId ?? userId;
  const command = /^\/\S+/.exec(text);
  return {
    update_id: ++updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat:
        chatId < 0
          ? { id: chatId, type: "supergroup", title: "Gruppo" }
          : { id: chatId, type: "private", first_name: "Ada" },
      from: {
        id: userId,
        is_bot: o.isBot ?? false,
        first_name: "Ada",
        ...(o.lang !== undefined ? { language_code: o.lang } : { language_code: "it" }),
      },
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
    },
  } as Update;
}

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
    say: (text, u = {}) => since(() => runtime.bot.handleUpdate(messageUpdate(text, u)), u.chatId ?? u.userId ?? 1001),
    press: (data, u = {}) => {
      const userId = u.userId ?? 1001;
      const chatId = u.chatId ?? userId;
      const update = {
        update_id: ++updateId,
        callback_query: {
          id: String(updateId),
          from: { id: userId, is_bot: false, first_name: "Ada", language_code: u.lang ?? "it" },
          chat_instance: "x",
          data,
          message: {
            message_id: u.messageId ?? 1,
            date: 0,
            chat:
              chatId < 0
                ? { id: chatId, type: "supergroup", title: "G" }
                : { id: chatId, type: "private", first_name: "Ada" },
            text: "",
          },
        },
      } as Update;
      return since(() => runtime.bot.handleUpdate(update), chatId);
    },
    inline: async (query, u = {}) => {
      await runtime.bot.handleUpdate({
        update_id: ++updateId,
        inline_query: {
          id: String(updateId),
          from: { id: u.userId ?? 1001, is_bot: false, first_name: "Ada", language_code: u.lang ?? "it" },
          query,
          offset: "",
        },
      } as Update);
    },
    async close() {
      await runtime.stop();
      if (!o.existingFake) await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
