/**
 * A grammY API transformer that routes every outbound call that Telegram counts against the bot's
 * limits (messages sent, copied, forwarded or edited) through the one send budget, in a priority
 * class: "reply" on the bot's API (every answer to a person), "newsroom" on the API that sends
 * the newsroom its reports. Everything else (getUpdates, getMe, setWebhook, callback and inline
 * query answers, chat actions) goes straight through: Telegram does not count those as messages.
 *
 * The budget keeps a chat's messages in order, pauses everyone on a 429 and sends the request again
 * (the caller never sees that 429), retries a 5xx twice, and drops a reply that waited too long:
 * then the call rejects with ReplyDropped, which the bot's error boundary logs without answering.
 */
import type { Transformer } from "grammy";
import type { ChatKey, SendBudget, SendClass, Verdict } from "./budget/index.js";

/** Bot API methods that put a message in a chat (or change one): each counts against the limits. */
export const COUNTED_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "sendPhoto",
  "sendAudio",
  "sendDocument",
  "sendVideo",
  "sendAnimation",
  "sendVoice",
  "sendVideoNote",
  "sendPaidMedia",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendChecklist",
  "sendDice",
  "sendSticker",
  "sendInvoice",
  "sendGame",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageLiveLocation",
  "stopMessageLiveLocation",
  "editMessageReplyMarkup",
  "editMessageChecklist",
  "stopPoll",
]);

export interface BudgetTransformerOptions {
  /** Sends again after a 5xx at most this many times (default 2). */
  serverRetries?: number;
  /** Wait before the n-th re-send after a 5xx (default 1 s, 2 s, …). */
  serverBackoffMs?(attempt: number): number;
}

const DONE: Verdict = { kind: "done" };

/** The transformer; install it on an Api before any transformer that should see calls first. */
export function budgetTransformer(budget: SendBudget, cls: SendClass, o: BudgetTransformerOptions = {}): Transformer {
  const serverRetries = o.serverRetries ?? 2;
  const backoff = o.serverBackoffMs ?? ((n: number) => 1000 * 2 ** (n - 1));
  return (prev, method, payload, signal) => {
    if (!COUNTED_METHODS.has(method)) return prev(method, payload, signal);
    const p = payload as { chat_id?: ChatKey };
    return budget.run({
      chat: p.chat_id,
      cls,
      // grammY types its signal with a polyfill's AbortSignal; at run time it is Node's.
      signal: signal as unknown as AbortSignal | undefined,
      send: () => prev(method, payload, signal),
      verdict: (r, attempts): Verdict => {
        if (r.ok) return DONE;
        if (r.error_code === 429)
          return { kind: "rate-limited", retryAfterMs: Math.max(1, r.parameters?.retry_after ?? 1) * 1000 };
        if (r.error_code >= 500 && attempts <= serverRetries) return { kind: "retry", afterMs: backoff(attempts) };
        return DONE; // any other error is the caller's to handle, as without the budget
      },
    });
  };
}
