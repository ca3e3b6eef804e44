/**
 * Live cards: each chat following a comune has one message for it — the card — edited in place as
 * the count moves (no sound, no new message). New messages are left to the milestone bulletins.
 *
 * - **Coalesced**: a change does not queue an edit per chat. It starts (or extends) a *lap* over
 *   the comune's followers, and a card is rendered only when its edit is sent: however many
 *   changes came meanwhile, one edit with the latest figures goes. A change in the middle of a lap
 *   makes the lap go once more round to where it was, so every follower is visited exactly once
 *   after the latest change, and nobody is edited twice for the same figures (each card's
 *   fingerprint is kept: an edit that would show the same is not sent).
 * - **The lowest priority**: slots come from the send budget's `cards` lane, which yields to
 *   replies, the newsroom and pushes (see budget.ts), and each chat's gap is kept.
 * - **Crash-safe enough**: the card's message per chat and comune is in SQLite (store.ts); after a
 *   restart the cards of comuni still counting are brought up to date, and only those whose
 *   fingerprint differs are edited. An edit lost in a crash is made by the next lap.
 * - **A lost card is replaced**: a message the user deleted, that can no longer be edited, or older
 *   than 48 hours gets a fresh card while the count is open; "message is not modified" is success.
 *
 * The engine knows comuni by the code the subscriptions use (ComuneCode: homonyms differ). Call
 * `changed(key)` when a comune's figures change (key: ISTAT code, the Ministry's code, or the name),
 * `touch(chat, comune)` when a chat starts following one (or switches its card back on).
 */

import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import { GrammyError } from "grammy";
import type { ComuneCode } from "../../data/model.js";
import type { BudgetClock } from "../../delivery/budget/index.js";
import { classifyFailure } from "../../delivery/classify.js";
import { MinHeap } from "../../delivery/min-heap.js";
import { WakeTimer } from "../../delivery/wake-timer.js";
import type { Lang } from "../../i18n/index.js";
import { advanceLap, extendLap, type Lap, newLap } from "./lap.js";
import {
  CARD_MAX_AGE_MS,
  type CardContent,
  type LiveCardsOptions,
  type LiveCardsPort,
  type LiveCardsStats,
} from "./types.js";

/** The card's message is gone or frozen: a fresh card is needed. */
const LOST = [/message to edit not found/i, /message can't be edited/i, /MESSAGE_ID_INVALID/i, /message not found/i];
const NOT_MODIFIED = /message is not modified/i;

/** A rendered card is reused this long (besides its data version): its time stamps read the clock. */
const RENDER_REUSE_MS = 5000;

const realClock: BudgetClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** One chat's card of one comune, waiting for its turn. */
interface Job {
  key: string;
  chat: number;
  comune: ComuneCode;
  /** The card must be a new message (the old one is lost). */
  fresh: boolean;
  attempts: number;
}

const jobKey = (chat: number, comune: ComuneCode) => `${chat}\u0000${comune}`;

export class LiveCards implements LiveCardsPort {
  readonly stats: LiveCardsStats = {
    edited: 0,
    sent: 0,
    replaced: 0,
    notModified: 0,
    unchanged: 0,
    laps: 0,
    rateLimited: 0,
    removed: 0,
    failed: 0,
  };
  private readonly clock: BudgetClock;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  /** Active laps, visited in turn. */
  private readonly laps: Lap[] = [];
  private readonly lapOf = new Map<ComuneCode, Lap>();
  private rr = 0;
  /** Jobs that may go now, in order. */
  private ready: Job[] = [];
  /** Jobs waiting for a moment (the chat's gap, a retry). */
  private readonly later = new MinHeap<Job>();
  /** Every job in `ready`, `later`, `head` or waiting behind its chat, by key. */
  private readonly queued = new Map<string, Job>();
  /** Jobs waiting for another card's edit to the same chat. */
  private readonly behindChat = new Map<number, Job[]>();
  /** The job that waits for a send slot. */
  private head: Job | undefined;
  private readonly inflightChats = new Set<number>();
  private readonly inflightKeys = new Set<string>();
  private readonly inflight = new Set<Promise<void>>();
  /** Cards whose edit was in flight when their comune changed again: they go once more. */
  private readonly rerun = new Set<string>();
  /** Each comune's data version in this process: bumps on every change. */
  private readonly generation = new Map<ComuneCode, number>();
  private readonly rendered = new Map<string, { gen: number; at: number; card: CardContent | undefined }>();
  private readonly wakeTimer: WakeTimer;
  private pumping = false;
  /** The pump was asked for while it ran (it awaits the store): it runs once more. */
  private pumpAgain = false;
  private stopping = false;
  private abort = LiveCards.signalFor();
  private idleWaiters: (() => void)[] = [];

  /** An abort controller whose signal any number of edits in flight may listen to. */
  private static signalFor(): AbortController {
    const c = new AbortController();
    setMaxListeners(0, c.signal);
    return c;
  }

  constructor(private readonly o: LiveCardsOptions) {
    this.clock = o.clock ?? realClock;
    this.wakeTimer = new WakeTimer(this.clock, () => this.pump());
    this.now = o.now ?? Date.now;
    this.maxAgeMs = o.maxAgeMs ?? CARD_MAX_AGE_MS;
    this.concurrency = o.concurrency ?? Math.min(256, Math.max(4, Math.ceil(o.lane.perSecond / 2)));
    this.batchSize = o.batchSize ?? 256;
    this.maxAttempts = o.maxAttempts ?? 5;
  }

  // ----- the hooks ---------------------------------------------------------------------------

  changed(comuneKey: string): void {
    const comune = this.o.resolve(comuneKey);
    if (comune === undefined) {
      this.o.logger.debug({ comune: comuneKey }, "live cards: change for an unknown comune, ignored");
      return;
    }
    this.generation.set(comune, (this.generation.get(comune) ?? 0) + 1);
    const lap = this.lapOf.get(comune);
    if (lap) {
      extendLap(lap);
    } else {
      const fresh = newLap(comune);
      this.laps.push(fresh);
      this.lapOf.set(comune, fresh);
      this.stats.laps++;
    }
    this.schedule(0);
  }

  touch(chatId: number, comune: ComuneCode): void {
    this.enqueue({ key: jobKey(chatId, comune), chat: chatId, comune, fresh: false, attempts: 0 });
    this.schedule(0);
  }

  // ----- lifecycle ---------------------------------------------------------------------------

  /** Brings the cards of comuni still counting up to date (after a restart) and starts sending. */
  async start(): Promise<void> {
    this.stopping = false;
    this.abort = LiveCards.signalFor();
    let comuni: ComuneCode[] = [];
    try {
      comuni = await this.o.store.comuniWithCards();
    } catch (err) {
      this.o.logger.error({ err }, "live cards: could not read the cards");
    }
    for (const comune of comuni) if (this.content(comune, "it")?.live) this.changed(comune);
  }

  /** Stops sending; waits up to `graceMs` for edits in flight, then aborts them. Laps in memory are dropped. */
  async stop(graceMs = 4000): Promise<void> {
    this.stopping = true;
    this.disarm();
    if (this.inflight.size) {
      let timer: NodeJS.Timeout | undefined;
      const settled = Promise.allSettled([...this.inflight]);
      const timedOut = await Promise.race([
        settled.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        this.abort.abort();
        await settled;
      }
    }
    this.laps.length = 0;
    this.lapOf.clear();
    this.ready = [];
    this.later.clear();
    this.queued.clear();
    this.behindChat.clear();
    this.head = undefined;
    this.wakeIdle();
  }

  /** Nothing to send and nothing in flight. */
  get idle(): boolean {
    return (
      !this.laps.length &&
      !this.ready.length &&
      !this.later.size &&
      !this.head &&
      !this.inflight.size &&
      !this.behindChat.size &&
      !this.pumping
    );
  }

  /** Resolves once every card is up to date and nothing is in flight (tests and benchmarks). */
  drained(): Promise<void> {
    if (this.idle || this.stopping) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  // ----- rendering ---------------------------------------------------------------------------

  /** The card, rendered once per data version and language (and again after a few seconds). */
  private content(comune: ComuneCode, lang: Lang): CardContent | undefined {
    const gen = this.generation.get(comune) ?? 0;
    const key = `${comune}\u0000${lang}`;
    const t = this.clock.now();
    const hit = this.rendered.get(key);
    if (hit && hit.gen === gen && t - hit.at < RENDER_REUSE_MS) return hit.card;
    const card = this.o.render(comune, lang);
    if (this.rendered.size >= 256) this.rendered.clear();
    this.rendered.set(key, { gen, at: t, card });
    return card;
  }

  // ----- scheduling --------------------------------------------------------------------------

  private enqueue(job: Job, at?: number): void {
    const had = this.queued.get(job.key);
    if (had) {
      // Already waiting: it will be rendered when it goes, with the latest figures.
      had.fresh ||= job.fresh;
      return;
    }
    if (this.inflightKeys.has(job.key)) {
      this.rerun.add(job.key);
      return;
    }
    this.queued.set(job.key, job);
    if (at === undefined || at <= this.clock.now()) this.ready.push(job);
    else this.later.push(at, job);
  }

  /** The next job a lap hands out, or undefined when every lap is done. */
  private async fromLaps(): Promise<Job | undefined> {
    while (this.laps.length) {
      if (this.rr >= this.laps.length) this.rr = 0;
      const lap = this.laps[this.rr]!;
      const chat = await advanceLap(lap, this.o.store, this.batchSize);
      if (chat === undefined) {
        // By its identity: the laps may have changed while the store answered (a stop, a restart).
        const at = this.laps.indexOf(lap);
        if (at >= 0) this.laps.splice(at, 1);
        if (this.lapOf.get(lap.comune) === lap) this.lapOf.delete(lap.comune);
        continue;
      }
      this.rr++;
      const key = jobKey(chat, lap.comune);
      if (this.queued.has(key)) continue; // it goes anyway, with the latest figures
      if (this.inflightKeys.has(key)) {
        this.rerun.add(key);
        continue;
      }
      const job: Job = { key, chat, comune: lap.comune, fresh: false, attempts: 0 };
      this.queued.set(key, job);
      return job;
    }
    return undefined;
  }

  private next(t: number): Job | undefined | Promise<Job | undefined> {
    for (let top = this.later.peek(); top && top.at <= t; top = this.later.peek()) {
      this.later.pop();
      this.ready.push(top.value);
    }
    if (this.ready.length) return this.ready.shift();
    return this.fromLaps();
  }

  /** Runs the pump soon (0) or after `ms`. */
  private schedule(ms: number): void {
    this.arm(this.clock.now() + ms);
  }

  private arm(at: number): void {
    if (this.stopping) return;
    this.wakeTimer.arm(at);
  }

  private disarm(): void {
    this.wakeTimer.disarm();
  }

  /** Sends what may go now; arms the timer for when more may. */
  private pump(): void {
    if (this.stopping) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    const run = async () => {
      do {
        this.pumpAgain = false;
        try {
          await this.pumpOnce();
        } catch (err) {
          this.o.logger.error({ err }, "live cards: scheduling failed; trying again in a second");
          this.schedule(1000);
        }
      } while (this.pumpAgain && !this.stopping);
    };
    void run().finally(() => {
      this.pumping = false;
      this.checkIdle();
    });
  }

  private async pumpOnce(): Promise<void> {
    const { lane } = this.o;
    // Bounded work per turn: the event loop also answers people.
    for (let n = 0; n < 2000; n++) {
      if (this.inflight.size >= this.concurrency) return; // a settling edit pumps again
      const t = this.clock.now();
      const job = this.head ?? (await this.next(t));
      if (this.stopping) return;
      this.head = undefined;
      if (!job) {
        const top = this.later.peek();
        if (top) this.arm(top.at);
        return;
      }
      if (this.inflightChats.has(job.chat)) {
        const list = this.behindChat.get(job.chat);
        if (list) list.push(job);
        else this.behindChat.set(job.chat, [job]);
        continue;
      }
      const chatWait = lane.chatWait(job.chat);
      if (chatWait > 0) {
        this.later.push(t + chatWait, job);
        continue;
      }
      const plan = await this.plan(job);
      if (this.stopping) return;
      if (!plan) {
        this.queued.delete(job.key);
        continue;
      }
      const wait = lane.take();
      if (wait > 0) {
        this.head = job;
        this.arm(t + wait);
        return;
      }
      this.dispatch(job, plan, lane.lastTaken);
    }
    this.schedule(0);
  }

  /** What to send for a job: a new card or an edit; undefined when nothing needs sending. */
  private async plan(job: Job): Promise<{ card: CardContent; messageId: number | undefined } | undefined> {
    const state = await this.o.store.card(job.chat, job.comune);
    if (!state || state.off) return undefined; // no longer follows it, or switched it off
    const card = this.content(job.comune, state.lang);
    if (!card) return undefined;
    const old = state.sentAt !== undefined && this.now() - state.sentAt > this.maxAgeMs;
    if (state.messageId === undefined || old || job.fresh) {
      // A new message only while the count is open: a complete count is not worth a new one.
      if (!card.live) return undefined;
      return { card, messageId: undefined };
    }
    if (state.shown === card.fingerprint) {
      this.stats.unchanged++;
      return undefined;
    }
    return { card, messageId: state.messageId };
  }

  private dispatch(job: Job, plan: { card: CardContent; messageId: number | undefined }, sendNumber: number): void {
    const { lane, store, api } = this.o;
    this.queued.delete(job.key);
    this.inflightChats.add(job.chat);
    this.inflightKeys.add(job.key);
    lane.sentTo(job.chat);
    const { card, messageId } = plan;
    const signal = this.abort.signal;
    // What to do once the chat is free again: send again (429, transient failure) or a fresh card.
    let again: { job: Job; at?: number } | undefined;
    const run = async () => {
      try {
        if (messageId === undefined) {
          const msg = await api.send(job.chat, card, signal);
          lane.answered(sendNumber);
          await store.cardSent(job.chat, job.comune, msg.message_id, this.now(), card.fingerprint);
          this.stats.sent++;
          if (job.fresh) this.stats.replaced++;
        } else {
          await api.edit(job.chat, messageId, card, signal);
          lane.answered(sendNumber);
          await store.cardShown(job.chat, job.comune, card.fingerprint);
          this.stats.edited++;
        }
      } catch (err) {
        lane.answered(sendNumber);
        if (signal.aborted) return;
        again = await this.failed(job, card, messageId, err);
      }
    };
    const p: Promise<void> = run()
      .catch((err: unknown) =>
        this.o.logger.error({ err, chat: job.chat, comune: job.comune }, "live cards: could not record a card"),
      )
      .finally(() => {
        this.inflight.delete(p);
        this.inflightChats.delete(job.chat);
        this.inflightKeys.delete(job.key);
        const behind = this.behindChat.get(job.chat);
        if (behind) {
          this.behindChat.delete(job.chat);
          this.ready.unshift(...behind);
        }
        const rerun = this.rerun.delete(job.key);
        if (again) this.enqueue(again.job, again.at);
        else if (rerun) this.enqueue({ ...job, fresh: false, attempts: 0 });
        this.schedule(0);
        this.checkIdle();
      });
    this.inflight.add(p);
  }

  /** Handles a failed send; returns the job to send again (and when), if any. */
  private async failed(
    job: Job,
    card: CardContent,
    messageId: number | undefined,
    err: unknown,
  ): Promise<{ job: Job; at?: number } | undefined> {
    const { store, logger } = this.o;
    const description = err instanceof GrammyError ? err.description : "";
    if (messageId !== undefined && NOT_MODIFIED.test(description)) {
      // What we would show is already there: done.
      await store.cardShown(job.chat, job.comune, card.fingerprint);
      this.stats.edited++;
      this.stats.notModified++;
      return undefined;
    }
    if (
      messageId !== undefined &&
      err instanceof GrammyError &&
      err.error_code === 400 &&
      LOST.some((re) => re.test(description))
    ) {
      await store.cardLost(job.chat, job.comune);
      logger.info(
        { chat: job.chat, comune: job.comune, reason: description },
        "live cards: card lost, a new one follows",
      );
      return { job: { ...job, fresh: true, attempts: 0 } };
    }
    const f = classifyFailure(err);
    switch (f.kind) {
      case "rate-limited":
        this.stats.rateLimited++;
        this.o.lane.pause(f.retryAfterMs);
        logger.warn({ chat: job.chat, retryAfterMs: f.retryAfterMs }, "live cards: 429 from Telegram, pausing");
        return { job };
      case "gone":
        this.stats.removed++;
        await store.forgetChat(job.chat);
        await this.o.onChatGone?.(job.chat, f.reason);
        logger.info({ chat: job.chat, reason: f.reason }, "live cards: chat unreachable, subscriber removed");
        return undefined;
      case "migrated":
        await store.forgetChat(job.chat);
        await this.o.onChatMigrated?.(job.chat, f.to);
        logger.info({ from: job.chat, to: f.to }, "live cards: group migrated to a supergroup");
        return undefined;
      case "transient":
        if (job.attempts + 1 < this.maxAttempts) {
          const backoff = Math.min(60_000, 1000 * 2 ** job.attempts);
          logger.warn({ chat: job.chat, reason: f.reason, attempts: job.attempts + 1 }, "live cards: will retry");
          return { job: { ...job, attempts: job.attempts + 1 }, at: this.clock.now() + backoff };
        }
        this.stats.failed++;
        logger.warn({ chat: job.chat, reason: f.reason }, "live cards: given up until the next change");
        return undefined;
      case "no-rights":
      case "permanent":
        this.stats.failed++;
        logger.warn({ chat: job.chat, comune: job.comune, reason: f.reason }, "live cards: card not updated");
        return undefined;
    }
  }

  private checkIdle(): void {
    if (!this.idleWaiters.length || !this.idle) return;
    this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
