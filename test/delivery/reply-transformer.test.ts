/** The budget transformer on grammY's Api: which calls count, 429s and 5xx handled inside, drops surfaced. */
import { Api, GrammyError, type Transformer } from "grammy";
import { describe, expect, it } from "vitest";
import { ReplyDropped, SendBudget } from "../../src/delivery/budget/index.js";
import { budgetTransformer, COUNTED_METHODS } from "../../src/delivery/reply-transformer.js";
import { ManualClock, settle } from "../support/manual-clock.js";

type Raw = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: object };

/** Stands in for the network: answers each call from a script, in order per method, and records it. */
function setup(o: { perSecond?: number; replyMaxWaitMs?: number } = {}) {
  const clock = new ManualClock();
  const budget = new SendBudget({
    perSecond: o.perSecond ?? 10,
    privateGapMs: 1000,
    groupGapMs: 3000,
    replyMaxWaitMs: o.replyMaxWaitMs,
    clock,
  });
  const calls: { method: string; chat: unknown; at: number }[] = [];
  const script = new Map<string, Raw[]>();
  const network: Transformer = async (_prev, method, payload) => {
    const p = payload as { chat_id?: unknown; text?: string };
    calls.push({ method, chat: p.chat_id, at: clock.now() });
    const next = script.get(method)?.shift();
    return (next ?? {
      ok: true,
      result:
        method === "sendMessage" ? { message_id: calls.length, date: 0, chat: { id: p.chat_id }, text: p.text } : true,
    }) as never;
  };
  const api = new Api("123:abc");
  api.config.use(network);
  api.config.use(budgetTransformer(budget, "reply", { serverBackoffMs: () => 500 }));
  return { clock, budget, api, calls, script };
}

const tooMany = (s: number): Raw => ({
  ok: false,
  error_code: 429,
  description: `Too Many Requests: retry after ${s}`,
  parameters: { retry_after: s },
});

describe("budget transformer", () => {
  it("counts messages sent or edited; callback answers, chat actions and getMe pass straight through", () => {
    for (const m of [
      "sendMessage",
      "sendPhoto",
      "copyMessage",
      "forwardMessage",
      "editMessageText",
      "editMessageReplyMarkup",
    ])
      expect(COUNTED_METHODS.has(m)).toBe(true);
    for (const m of ["getUpdates", "getMe", "setWebhook", "answerCallbackQuery", "answerInlineQuery", "sendChatAction"])
      expect(COUNTED_METHODS.has(m)).toBe(false);
  });

  it("a 429 is handled inside: the caller gets its message sent, after the pause, and uncounted calls are not held", async () => {
    const { clock, budget, api, calls, script } = setup();
    script.set("sendMessage", [tooMany(3)]);
    const sent = api.sendMessage(1, "ciao");
    await settle();
    expect(calls.map((c) => c.method)).toEqual(["sendMessage"]);
    // During the pause a callback answer still goes at once: Telegram does not count it.
    await api.answerCallbackQuery("q1");
    expect(calls.map((c) => c.method)).toEqual(["sendMessage", "answerCallbackQuery"]);
    await clock.advance(3100);
    const msg = await sent;
    expect(msg.text).toBe("ciao");
    expect(calls.filter((c) => c.method === "sendMessage")).toHaveLength(2);
    expect(calls[2]!.at - calls[0]!.at).toBeGreaterThanOrEqual(3000);
    expect(budget.stats().rateLimited).toBe(1);
  });

  it("keeps a chat's messages in order with its gap, edits included", async () => {
    const { clock, api, calls } = setup({ perSecond: 100 });
    const a = api.sendMessage(5, "uno");
    const b = api.editMessageText(5, 1, "uno bis");
    const c = api.sendMessage(6, "altra chat");
    await clock.advance(3000);
    await Promise.all([a, b, c]);
    expect(calls.map((x) => `${x.method}:${x.chat}`)).toEqual(["sendMessage:5", "sendMessage:6", "editMessageText:5"]);
    expect(calls[2]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it("a 5xx is sent again twice, then the caller gets the error; other errors are the caller's at once", async () => {
    const { clock, budget, api, script } = setup();
    const e500: Raw = { ok: false, error_code: 500, description: "Internal Server Error" };
    script.set("sendMessage", [e500, e500]);
    const ok = api.sendMessage(1, "dopo due 500");
    await clock.advance(5000);
    expect((await ok).text).toBe("dopo due 500");
    expect(budget.stats().retried).toBe(2);

    script.set("sendMessage", [e500, e500, e500]);
    const failed = api.sendMessage(2, "tre 500").catch((e: unknown) => e);
    await clock.advance(5000);
    expect(await failed).toBeInstanceOf(GrammyError);
    expect(((await failed) as GrammyError).error_code).toBe(500);

    script.set("sendMessage", [{ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }]);
    const blocked = api.sendMessage(3, "x").catch((e: unknown) => e);
    await clock.advance(100);
    expect(((await blocked) as GrammyError).error_code).toBe(403);
  });

  it("a reply that waits too long rejects with ReplyDropped", async () => {
    const { clock, api, calls } = setup({ perSecond: 1, replyMaxWaitMs: 2000 });
    const results = [1, 2, 3, 4, 5, 6].map((chat) => api.sendMessage(chat, "x").catch((e: unknown) => e));
    await clock.advance(10_000);
    const out = await Promise.all(results);
    const dropped = out.filter((x) => x instanceof ReplyDropped);
    expect(dropped.length).toBeGreaterThan(0);
    expect(calls).toHaveLength(6 - dropped.length);
  });
});
