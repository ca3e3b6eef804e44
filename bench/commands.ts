/**
 * Section 3, commands: updates handled per second through the whole bot (middleware, lookup,
 * views, grammY's API layer) with every Bot API call answered in-process by a transformer.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Transformer } from "grammy";
import type { Update } from "grammy/types";
import { formatStamp } from "../src/format/italian.js";
import { messages } from "../src/i18n/index.js";
import { createRuntime } from "../src/runtime.js";
import { UpdateFactory } from "../src/terminal/updates.js";
import { dayName } from "../src/views/common.js";
import { botInfoFor, DATA_DIR, silentLogger, summarize, tempDir } from "./util.js";

const TOKEN = "123456:BENCH-token";

export interface CommandCase {
  name: string;
  kind: "message" | "inline";
  text: string;
}

export const COMMAND_CASES: CommandCase[] = [
  { name: "/citta Genova", kind: "message", text: "/citta Genova" },
  { name: "/affluenza", kind: "message", text: "/affluenza" },
  { name: "/ultime", kind: "message", text: "/ultime" },
  { name: 'inline "gen"', kind: "inline", text: "gen" },
  { name: "/citta laquilia (fuzzy)", kind: "message", text: "/citta laquilia" },
];

export interface CommandRow {
  command: string;
  updates: number;
  updatesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  apiCallsPerUpdate: number;
  /** First line of the last answer, to see the handler did what it should. */
  sample: string;
}

const updates = new UpdateFactory({ lastUpdateId: 1 });

function makeUpdate(c: CommandCase, userId: number): Update {
  return c.kind === "inline" ? updates.inlineQuery(c.text, { userId }) : updates.message(c.text, { userId });
}

export interface CommandDiagnostics {
  /** formatStamp (bulletin header time), µs per call. */
  formatStampUs: number;
  /** dayName (view headers), µs per call. */
  dayNameUs: number;
  /** The same formatting with one Intl.DateTimeFormat kept and reused, µs per call. */
  reusedFormatterUs: number;
}

function perCall(n: number, f: () => unknown): number {
  for (let i = 0; i < 200; i++) f();
  const s = performance.now();
  for (let i = 0; i < n; i++) f();
  return ((performance.now() - s) * 1000) / n;
}

/** Where the time of a view goes: building an Intl.DateTimeFormat on every call. */
function diagnostics(): CommandDiagnostics {
  const published = new Date("2017-06-11T21:15:00+02:00");
  const now = new Date("2017-06-11T23:00:00+02:00");
  const reused = new Intl.DateTimeFormat("it-IT", {
    timeZone: "Europe/Rome",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return {
    formatStampUs: perCall(2000, () => formatStamp(published, now, "Europe/Rome")),
    dayNameUs: perCall(2000, () => dayName("2017-06-11", messages("it"))),
    reusedFormatterUs: perCall(2000, () => reused.formatToParts(published)),
  };
}

export async function commandsTask(p: {
  updates: number;
  warmup: number;
}): Promise<{ rows: CommandRow[]; diagnostics: CommandDiagnostics }> {
  const tmp = await tempDir("elezioni-bench-");
  let calls = 0;
  let messageId = 0;
  let lastText = "";
  // Answers every Bot API call in-process, shaped like Telegram's answers.
  const answer: Transformer = async (_prev, method, payload) => {
    calls++;
    const pl = payload as Record<string, unknown>;
    if (method === "sendMessage") {
      lastText = String(pl.text);
      const chatId = Number(pl.chat_id);
      return {
        ok: true,
        result: {
          message_id: ++messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: "private", first_name: "Ada" },
          text: lastText,
        },
      } as never;
    }
    if (method === "answerInlineQuery") {
      const results = pl.results as { title?: string }[];
      lastText = `${results.length} results: ${results.map((r) => r.title).join(", ")}`;
    }
    return { ok: true, result: true } as never;
  };
  const runtime = await createRuntime({
    token: TOKEN,
    dataDir: DATA_DIR,
    databasePath: path.join(tmp.dir, "state.sqlite"),
    adminIds: new Set(),
    sendRate: 30,
    paidBroadcast: false,
    logger: silentLogger(),
    botInfo: botInfoFor(TOKEN),
    transformers: [answer],
    rateLimit: false,
  });
  const rows: CommandRow[] = [];
  try {
    for (const c of COMMAND_CASES) {
      for (let i = 0; i < p.warmup; i++) await runtime.bot.handleUpdate(makeUpdate(c, 1001 + (i % 50)));
      const latencies = new Array<number>(p.updates);
      const callsBefore = calls;
      const t0 = performance.now();
      for (let i = 0; i < p.updates; i++) {
        const u = makeUpdate(c, 1001 + (i % 50));
        const s = performance.now();
        await runtime.bot.handleUpdate(u);
        latencies[i] = performance.now() - s;
      }
      const elapsed = performance.now() - t0;
      const s = summarize(latencies);
      rows.push({
        command: c.name,
        updates: p.updates,
        updatesPerSec: p.updates / (elapsed / 1000),
        p50Ms: s.p50,
        p99Ms: s.p99,
        maxMs: s.max,
        apiCallsPerUpdate: (calls - callsBefore) / p.updates,
        sample: lastText
          .split("\n")[0]!
          .replace(/<[^>]+>/g, "")
          .slice(0, 70),
      });
    }
  } finally {
    await runtime.stop();
    await tmp.remove();
  }
  return { rows, diagnostics: diagnostics() };
}
