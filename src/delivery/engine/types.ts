/** What the delivery engine is given (the store, the pacer, how to render, send and amend) and what it counts. */
import type { Html } from "../../format/html.js";
import type { Logger } from "../../logger.js";
import type { AmendmentJob, AmendmentReport, Delivery, PushReport, Store } from "../../store/store.js";
import type { Pacing } from "../pacer.js";
import type { AcknowledgerOptions } from "./acknowledger.js";

export interface EngineOptions {
  store: Store;
  pacer: Pacing;
  logger: Logger;
  /** Renders the message for a delivery (Telegram HTML); undefined if its bulletin is gone. */
  render(d: Delivery): Html | undefined | Promise<Html | undefined>;
  /**
   * Sends one message, with parse_mode HTML; throws grammY's errors. What it resolves to is
   * Telegram's Message: its message_id is kept, so that a correction can edit the copy and a
   * withdrawal delete it.
   */
  send(chatId: number, html: Html, signal: AbortSignal): Promise<unknown>;
  /**
   * Edits a delivered copy to `html` (a correction) or deletes it (a withdrawal, `html` undefined);
   * throws grammY's errors. Without it, such jobs wait in the outbox.
   */
  amend?(job: AmendmentJob, html: Html | undefined, signal: AbortSignal): Promise<unknown>;
  /** Sends an amendment's report once its last job is settled; marked reported as for pushes. */
  onAmendmentFinished?(report: AmendmentReport): Promise<void>;
  /**
   * Sends a push's report once its last delivery is settled. The push is marked reported only when
   * this resolves: a transient failure is retried later (also after a restart); one Telegram will
   * never accept (the recipient blocked the bot) is given up.
   */
  onPushFinished?(report: PushReport): Promise<void>;
  /** Wait before retrying a report whose send failed transiently; default 10 s. */
  reportRetryMs?: number;
  concurrency?: number;
  maxAttempts?: number;
  backoffMs?(attempts: number): number;
  batchSize?: number;
  /** How outcomes are recorded together (group commit, see acknowledger.ts). */
  acknowledge?: AcknowledgerOptions;
  clock?(): number;
  progressEveryMs?: number;
}

export interface EngineStats {
  sent: number;
  rateLimited: number;
  removed: number;
  /** Not sent to a chat where the bot may not write for now. */
  skipped: number;
  migrated: number;
  retried: number;
  failed: number;
  /** Copies edited or deleted (corrections and withdrawals). */
  amended: number;
}
