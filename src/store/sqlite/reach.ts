/**
 * Who a bulletin is for, as SQL over `subscriptions`: shared by the outbox (which chats a correction
 * newly concerns, or no longer does) and the amendments (a correction's reach, before it is made).
 */
import type { Audience } from "../contract/bulletins.js";

/**
 * The chats a bulletin about the comuni in the JSON array `comuni` (an SQL expression), for the audience
 * in `$audience`, is for: the same chats enqueueAll, enqueueFor and enqueueFollowers choose (a national
 * bulletin: every subscribed chat; a comune's: the chats following everything or that comune; the
 * feed's for followers: that comune's followers only).
 */
export const concerned = (comuni: string) =>
  `SELECT chat_id FROM subscriptions
   WHERE ($audience = 'everyone' AND (kind = 'all' OR json_array_length(${comuni}) = 0))
     OR (kind = 'comune' AND comune IN (SELECT value FROM json_each(${comuni})))`;

/**
 * The chats a correction newly concerns: concerned by its comuni (`$new`), not by those it had
 * (`$old`, whose chats the push reached or tried), without a copy or a queued delivery of it.
 */
export const newlyConcerned = `SELECT chat_id, max(lang) AS lang FROM subscriptions s
   WHERE chat_id IN (${concerned("$new")}) AND chat_id NOT IN (${concerned("$old")})
     AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.seq = $seq AND c.chat_id = s.chat_id)
     AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = $seq AND d.chat_id = s.chat_id)
   GROUP BY chat_id`;

/** The parameters of a correction's reach: the bulletin, its comuni before and after (JSON), its audience. */
export interface ReachParams {
  seq: number;
  new: string;
  old: string;
  audience: Audience;
}
