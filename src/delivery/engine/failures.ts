/**
 * What a failed send or amendment does to the outbox, by what Telegram said (classify.ts): a 429 pauses
 * every send, a chat gone is removed, a transient failure is retried later with a growing wait until
 * `maxAttempts`, anything else is settled as failed (or skipped, where the bot may not write for now).
 */
import type { Logger } from "../../logger.js";
import type { AmendmentJob, Delivery, Store } from "../../store/store.js";
import { amendmentOutcome, classifyFailure } from "../classify.js";
import type { Pacing } from "../pacer.js";
import type { EngineStats } from "./types.js";

/** What the engine lends the handling of a failure. */
export interface FailureContext {
  store: Store;
  pacer: Pacing;
  logger: Logger;
  stats: EngineStats;
  maxAttempts: number;
  /** Wait before the next attempt, ms. */
  backoff(attempts: number): number;
  clock(): number;
}

export async function deliveryFailed(c: FailureContext, d: Delivery, err: unknown): Promise<void> {
  const { store, pacer, logger, stats } = c;
  const f = classifyFailure(err);
  switch (f.kind) {
    case "rate-limited":
      stats.rateLimited++;
      pacer.pause(f.retryAfterMs);
      logger.warn({ chatId: d.chatId, retryAfterMs: f.retryAfterMs }, "delivery: 429 from Telegram, pausing");
      return; // the row stays due and goes again after the pause
    case "gone":
      stats.removed++;
      await store.removeChat(d.chatId);
      logger.info({ chatId: d.chatId, reason: f.reason }, "delivery: chat unreachable, subscriber removed");
      return;
    case "no-rights":
      stats.skipped++;
      await store.complete(d, "skipped");
      logger.info(
        { chatId: d.chatId, seq: d.seq, reason: f.reason },
        "delivery: no rights to write in the chat, bulletin skipped there (still subscribed)",
      );
      return;
    case "migrated":
      stats.migrated++;
      await store.migrateChat(d.chatId, f.to);
      logger.info({ from: d.chatId, to: f.to }, "delivery: group migrated to a supergroup, following it");
      return;
    case "transient":
      if (d.attempts + 1 >= c.maxAttempts) {
        stats.failed++;
        await store.complete(d, "failed");
        logger.error(
          { chatId: d.chatId, seq: d.seq, attempts: d.attempts + 1, reason: f.reason },
          "delivery: giving up after repeated failures",
        );
      } else {
        stats.retried++;
        await store.postpone(d, c.clock() + c.backoff(d.attempts + 1), f.reason);
        logger.warn(
          { chatId: d.chatId, seq: d.seq, attempts: d.attempts + 1, reason: f.reason },
          "delivery: transient failure, will retry",
        );
      }
      return;
    case "permanent":
      stats.failed++;
      await store.complete(d, "failed");
      logger.error({ chatId: d.chatId, seq: d.seq, reason: f.reason }, "delivery: rejected by Telegram");
      return;
  }
}

export async function amendmentFailed(
  c: FailureContext,
  j: AmendmentJob,
  version: number,
  err: unknown,
): Promise<void> {
  const { store, pacer, logger, stats } = c;
  const where = { chatId: j.chatId, seq: j.seq, messageId: j.messageId, kind: j.kind };
  // "Not modified" is an edit already made; a message that is no longer there, or too old to
  // delete, is settled now and never tried again.
  const outcome = amendmentOutcome(err);
  if (outcome) {
    await store.completeAmendmentJob(j, outcome, version);
    if (outcome === "done") stats.amended++;
    else if (outcome === "failed") stats.failed++;
    if (outcome !== "done") logger.info({ ...where, outcome, err }, "amendment: copy settled without change");
    return;
  }
  const f = classifyFailure(err);
  switch (f.kind) {
    case "rate-limited":
      stats.rateLimited++;
      pacer.pause(f.retryAfterMs);
      logger.warn({ ...where, retryAfterMs: f.retryAfterMs }, "amendment: 429 from Telegram, pausing");
      return; // stays due and goes again after the pause
    case "gone":
      stats.removed++;
      await store.removeChat(j.chatId);
      await store.completeAmendmentJob(j, "gone");
      logger.info({ ...where, reason: f.reason }, "amendment: chat unreachable, subscriber removed");
      return;
    case "transient":
      if (j.attempts + 1 < c.maxAttempts) {
        stats.retried++;
        await store.postponeAmendmentJob(j, c.clock() + c.backoff(j.attempts + 1), f.reason);
        logger.warn(
          { ...where, attempts: j.attempts + 1, reason: f.reason },
          "amendment: transient failure, will retry",
        );
        return;
      }
      break;
    default:
      break;
  }
  stats.failed++;
  await store.completeAmendmentJob(j, "failed");
  logger.warn({ ...where, failure: f }, "amendment: refused by Telegram, counted as failed");
}
