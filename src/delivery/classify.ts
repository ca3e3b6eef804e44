/** What a failed Bot API call means for a delivery. */
import { GrammyError, HttpError } from "grammy";

export type SendFailure =
  | { kind: "rate-limited"; retryAfterMs: number }
  | { kind: "gone"; reason: string } // blocked, kicked, deactivated, chat not found: drop the subscriber
  | { kind: "no-rights"; reason: string } // a group the bot may not write to for now: skip this bulletin there
  | { kind: "migrated"; to: number }
  | { kind: "transient"; reason: string } // 5xx, network, timeouts: try again later
  | { kind: "permanent"; reason: string }; // a request Telegram will never accept

const GONE = [
  /bot was blocked by the user/i,
  /user is deactivated/i,
  /bot was kicked/i,
  /chat not found/i,
  /group chat was deleted/i,
  /bot is not a member/i,
  /PEER_ID_INVALID/i,
  /bot can't initiate conversation/i,
  /USER_IS_BOT|bots can't send messages to bots/i,
];

/**
 * A group made read-only, or a channel where the bot lost its admin rights, can be writable again
 * tomorrow: the subscription stays. (A bot removed from the chat gets 403 and is gone.)
 */
const NO_RIGHTS = [
  /not enough rights/i,
  /have no rights to send/i,
  /need administrator rights/i,
  /CHAT_WRITE_FORBIDDEN/i,
  /CHAT_RESTRICTED/i,
];

export function classifyFailure(err: unknown): SendFailure {
  if (err instanceof GrammyError) {
    const d = err.description;
    if (err.error_code === 429)
      return { kind: "rate-limited", retryAfterMs: Math.max(1, err.parameters.retry_after ?? 1) * 1000 };
    if (err.parameters.migrate_to_chat_id !== undefined)
      return { kind: "migrated", to: err.parameters.migrate_to_chat_id };
    if (err.error_code === 403) return { kind: "gone", reason: d };
    if (err.error_code === 400 && NO_RIGHTS.some((re) => re.test(d))) return { kind: "no-rights", reason: d };
    if (err.error_code === 400 && GONE.some((re) => re.test(d))) return { kind: "gone", reason: d };
    if (err.error_code >= 500 || err.error_code === 409) return { kind: "transient", reason: `${err.error_code} ${d}` };
    return { kind: "permanent", reason: `${err.error_code} ${d}` };
  }
  if (err instanceof HttpError) return { kind: "transient", reason: err.message };
  return { kind: "transient", reason: err instanceof Error ? err.message : String(err) };
}

/**
 * What Telegram's answer to an edit or a deletion of a delivered copy settles at once, before the
 * general classification: "message is not modified" is an edit already made; a message no longer
 * there (deleted by the reader, or the chat's history cleared) is gone; one Telegram will not let
 * the bot change (older than 48 hours for a deletion, or otherwise not editable) failed, for good.
 * Undefined: classify it as any other failure (429, 403, 5xx…).
 */
export function amendmentOutcome(err: unknown): "done" | "gone" | "failed" | undefined {
  if (!(err instanceof GrammyError) || err.error_code !== 400) return undefined;
  const d = err.description;
  if (/message is not modified/i.test(d)) return "done";
  if (/message to (edit|delete) not found|MESSAGE_ID_INVALID/i.test(d)) return "gone";
  if (/message can't be (deleted|edited)/i.test(d)) return "failed";
  return undefined;
}
