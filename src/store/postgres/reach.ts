/**
 * Who a bulletin is for, as PostgreSQL over `subscriptions`: shared by the outbox (which chats a
 * correction newly concerns, or no longer does) and the amendments (a correction's reach, before it is
 * made). The same chats as the SQLite engine's (sqlite/reach.ts), written so that a million
 * subscriptions are joined, not probed one by one: the SQL takes its parameters by placeholder.
 */
import type { Audience } from "../contract/bulletins.js";

/** The placeholders of a correction's reach in a statement (`$1`…): the bulletin, its comuni after and before, its audience. */
export interface ReachPlaceholders {
  seq: string;
  /** The new comuni, a text[] parameter. */
  new: string;
  /** The comuni it had, a text[] parameter. */
  old: string;
  /** The bulletin's audience, a text parameter. */
  audience: string;
}

/**
 * Whether the subscription row `s` makes its chat one a bulletin about `comuni` (a text[] placeholder)
 * is for: a national bulletin every subscribed chat; a comune's the chats following everything or that
 * comune; the feed's for followers that comune's followers only (as enqueue chooses).
 */
export const concerns = (s: string, comuni: string, audience: string) =>
  `((${audience}::text = 'everyone' AND (${s}.kind = 'all' OR cardinality(${comuni}::text[]) = 0))
    OR (${s}.kind = 'comune' AND ${s}.comune = ANY (${comuni}::text[])))`;

/** Whether the chat `chat` (an SQL expression) is one a bulletin about `comuni` is for (see concerns). */
export const concernsChat = (chat: string, comuni: string, audience: string) =>
  `EXISTS (SELECT 1 FROM subscriptions r WHERE r.chat_id = ${chat} AND ${concerns("r", comuni, audience)})`;

/**
 * The chats a correction newly concerns, with their language: concerned by its new comuni, not by those
 * it had (whose chats the push reached or tried), without a copy or a queued delivery of it.
 */
export const newlyConcerned = (p: ReachPlaceholders) =>
  `SELECT s.chat_id, max(s.lang) AS lang FROM subscriptions s
   WHERE s.chat_id IN (SELECT n.chat_id FROM subscriptions n WHERE ${concerns("n", p.new, p.audience)})
     AND NOT ${concernsChat("s.chat_id", p.old, p.audience)}
     AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.seq = ${p.seq} AND c.chat_id = s.chat_id)
     AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = ${p.seq} AND d.chat_id = s.chat_id)
   GROUP BY s.chat_id`;

/** A correction's reach as values: the bulletin, its comuni after and before, its audience. */
export interface Reach {
  seq: number;
  new: readonly string[];
  old: readonly string[];
  audience: Audience;
}

/** The parameters of a statement written with `newlyConcerned($1…$4)`, in that order. */
export const reachParams = (r: Reach): unknown[] => [r.seq, r.new, r.old, r.audience];

/** The placeholders matching reachParams. */
export const REACH: ReachPlaceholders = { seq: "$1::bigint", new: "$2", old: "$3", audience: "$4" };
