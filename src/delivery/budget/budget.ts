/**
 * The send budget itself: the queues of replies and the newsroom's messages per chat and per class, the
 * chats' gaps, the bounded waits, 429 pauses, and the view its lanes (lanes.ts) have of it.
 */
import { performance } from "node:perf_hooks";
import { MinHeap } from "../min-heap.js";
import { Pacer, type Pacing } from "../pacer.js";
import { WakeTimer } from "../wake-timer.js";
import { Deque } from "./deque.js";
import { CardLane, PushLane } from "./lanes.js";
import {
  type BudgetClock,
  type ChatKey,
  FREE_PER_SECOND,
  ReplyDropped,
  type SendBudgetOptions,
  type SendClass,
  type SendRequest,
  type SendStats,
  type Verdict,
} from "./types.js";

const CLASSES: readonly SendClass[] = ["reply", "newsroom"];

interface Job {
  /** Arrival order: the oldest waiting message goes first, and one sent again keeps its place. */
  seq: number;
  chat: ChatState;
  cls: SendClass;
  enqueuedAt: number;
  state: "queued" | "inflight" | "settled";
  attempts: number;
  send(): Promise<unknown>;
  verdict(result: unknown, attempts: number): Verdict;
  resolve(v: unknown): void;
  reject(err: unknown): void;
  unlisten?: () => void;
}

interface ChatState {
  key: ChatKey;
  gapMs: number;
  /** The earliest moment the next message may go to this chat. */
  readyAt: number;
  /** Queued jobs, in order. */
  jobs: Job[];
  inflight: boolean;
  /** In a ready queue or in the heap (so it is never placed twice). */
  placed: boolean;
  /** A message with no chat (an inline message): its state goes with it. */
  transient: boolean;
}

/** Above this many tracked chats, idle ones are forgotten. */
const PRUNE_AT = 50_000;
const DONE: Verdict = { kind: "done" };

const realClock: BudgetClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * After the push lane asked for a slot, it is taken to want more for as long as it was told to
 * wait plus this many slots: the engine asks again within microseconds when it has another
 * delivery due, and within a few milliseconds when it reads the next batch from the outbox.
 */
const PUSH_DEMAND_SLOTS = 2;
/** …and at least this long, ms (at 1000/s two slots are only 2 ms). */
const PUSH_DEMAND_MIN_MS = 25;

export class SendBudget {
  /** The delivery engine's lane: it yields whenever a reply or the newsroom waits. */
  readonly push: Pacing;
  /**
   * The live cards' lane, the lowest: it yields to replies, the newsroom and pushes. Edits carry
   * no allow_paid_broadcast, so with paid broadcast they too go only below the free limit.
   */
  readonly cards: Pacing;
  private readonly global: Pacer;
  private readonly clock: BudgetClock;
  private readonly chats = new Map<ChatKey, ChatState>();
  /** Chats whose head may go now, per class, oldest head first. */
  private readonly ready: Record<SendClass, MinHeap<ChatState>> = {
    reply: new MinHeap<ChatState>(),
    newsroom: new MinHeap<ChatState>(),
  };
  private readonly later = new MinHeap<ChatState>();
  /** Queued replies in the order they came (entries of jobs no longer queued are skipped). */
  private readonly replyOrder = new Deque<Job>();
  private readonly wakeTimer: WakeTimer;
  private noChatSeq = 0;
  private jobSeq = 0;
  private closed = false;
  /** Until when the push lane is taken to want slots (see PUSH_DEMAND_SLOTS). */
  private pushWantsUntil = -Infinity;
  private readonly privateGapMs: number;
  private readonly groupGapMs: number;
  private readonly maxWaitMs: number;
  private readonly queueMax: number;
  private readonly fullFreeLimit: number | undefined;
  /** This instance's part of the bot's limit, 0 < share ≤ 1 (see setShare). */
  private share = 1;
  private readonly s: Omit<SendStats, "replyMaxWaitS"> = {
    replies: 0,
    newsroom: 0,
    droppedWaited: 0,
    droppedOverflow: 0,
    rateLimited: 0,
    retried: 0,
    queued: 0,
    peakQueued: 0,
  };

  constructor(private readonly o: SendBudgetOptions) {
    this.clock = o.clock ?? realClock;
    // At least 1 ms: a timer for "now" would spin while a slot is a fraction of a millisecond away.
    this.wakeTimer = new WakeTimer(this.clock, () => this.pump(), 1);
    this.global = new Pacer({ perSecond: o.perSecond, now: () => this.clock.now() });
    this.privateGapMs = o.privateGapMs ?? 1000;
    this.groupGapMs = o.groupGapMs ?? 3000;
    this.maxWaitMs = o.replyMaxWaitMs ?? 60_000;
    const free = o.freePerSecond ?? FREE_PER_SECOND;
    this.fullFreeLimit = o.perSecond > free ? Math.floor(free) : undefined;
    const replyRate = Math.min(o.perSecond, free);
    this.queueMax = Math.max(1, o.replyQueueMax ?? Math.ceil(2 * replyRate * (this.maxWaitMs / 1000)));
    this.push = new PushLane(this, this.global);
    this.cards = new CardLane(this, this.global);
  }

  /** The rate of the whole budget: this instance's share of the bot's limit. */
  get perSecond(): number {
    return this.o.perSecond * this.share;
  }

  /** Telegram's free limit, this instance's share of it, when the budget runs above it (paid broadcast). */
  get freeLimit(): number | undefined {
    return this.fullFreeLimit === undefined ? undefined : Math.max(1, Math.floor(this.fullFreeLimit * this.share));
  }

  /**
   * This instance's part of the bot's limit from now on (0 < share ≤ 1; the instances sending with the
   * same token keep their shares' sum at most 1, see cluster/membership.ts), replies still first within it.
   */
  setShare(share: number): void {
    const s = Math.min(1, Math.max(1e-3, share));
    if (s === this.share) return;
    this.share = s;
    this.global.setRate(this.perSecond);
    this.pump();
  }

  /** One send slot at the budget's rate, ms. */
  get slotMs(): number {
    return Math.max(1, Math.ceil(1000 / this.perSecond));
  }

  stats(): SendStats {
    return { ...this.s, replyMaxWaitS: this.maxWaitMs / 1000 };
  }

  /**
   * Queues a request in its class; resolves with its answer once Telegram gave one that is not a
   * 429 (or a retry verdict). Rejects with ReplyDropped when a reply waited too long or overflowed,
   * with the request's own error when it throws (network), or when the signal aborts.
   */
  run<T>(req: SendRequest<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("send budget closed: the bot is stopping"));
    if (req.signal?.aborted) return Promise.reject(req.signal.reason ?? new Error("aborted"));
    return new Promise<T>((resolve, reject) => {
      const t = this.clock.now();
      const chat = this.chatState(req.chat ?? `no-chat:${this.noChatSeq++}`, req.chat === undefined);
      const job: Job = {
        seq: this.jobSeq++,
        chat,
        cls: req.cls,
        enqueuedAt: t,
        state: "queued",
        attempts: 0,
        send: req.send,
        verdict: req.verdict as Job["verdict"],
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      if (req.signal) {
        const signal = req.signal;
        const onAbort = () => this.abort(job, signal.reason ?? new Error("aborted"));
        signal.addEventListener("abort", onAbort, { once: true });
        job.unlisten = () => signal.removeEventListener("abort", onAbort);
      }
      chat.jobs.push(job);
      if (job.cls === "reply") {
        this.replyOrder.push(job);
        this.s.queued++;
        if (this.s.queued > this.s.peakQueued) this.s.peakQueued = this.s.queued;
        if (this.s.queued > this.queueMax) this.overflow(t);
      }
      this.place(chat, t);
      this.pump();
    });
  }

  /** Rejects whatever still waits (the bot is stopping) and stops the timer. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.disarm();
    let rejected = 0;
    for (const chat of this.chats.values()) {
      for (const job of chat.jobs.splice(0)) {
        job.state = "settled";
        job.unlisten?.();
        job.reject(new Error("not sent: the bot is stopping"));
        rejected++;
      }
    }
    this.s.queued = 0;
    this.replyOrder.clear();
    this.later.clear();
    for (const c of CLASSES) this.ready[c].clear();
    if (rejected) this.o.logger?.warn({ rejected }, "send budget: messages still queued at shutdown were not sent");
  }

  // ----- the push lane's view ---------------------------------------------------------------

  /** Whether a queued message could go now: then pushes yield. */
  othersWaiting(): boolean {
    const t = this.clock.now();
    this.promote(t);
    return this.nextReady(t) !== undefined;
  }

  /** Milliseconds until a push may go to this chat: its gap, or a queued message to it goes first. */
  chatWait(key: ChatKey): number {
    const chat = this.chats.get(key);
    if (!chat) return 0;
    const gap = chat.readyAt - this.clock.now();
    if (chat.jobs.length || chat.inflight) return Math.max(gap, this.slotMs);
    return Math.max(gap, 0);
  }

  /** The push lane asked for a slot and was told to wait `waitMs` (0: it got one). */
  pushAsked(waitMs: number): void {
    const grace = Math.max(PUSH_DEMAND_MIN_MS, PUSH_DEMAND_SLOTS * this.slotMs);
    this.pushWantsUntil = Math.max(this.pushWantsUntil, this.clock.now() + waitMs + grace);
  }

  /** Whether a push is under way and would take the next slot: then the cards yield. */
  pushWaiting(): boolean {
    return this.clock.now() <= this.pushWantsUntil;
  }

  /** A push went to this chat: the chat's gap starts now. */
  sentTo(key: ChatKey): void {
    const chat = this.chatState(key, false);
    chat.readyAt = Math.max(chat.readyAt, this.clock.now() + chat.gapMs);
    if (this.chats.size > PRUNE_AT) this.prune();
  }

  /** A 429 from any request: everything waits retry_after. */
  rateLimited(ms: number): void {
    this.s.rateLimited++;
    this.global.pause(ms);
  }

  // ----- scheduling --------------------------------------------------------------------------

  private chatState(key: ChatKey, noChat: boolean): ChatState {
    let chat = this.chats.get(key);
    if (!chat) {
      const group = typeof key === "string" || key < 0;
      chat = {
        key,
        gapMs: noChat ? 0 : group ? this.groupGapMs : this.privateGapMs,
        readyAt: -Infinity,
        jobs: [],
        inflight: false,
        placed: false,
        transient: noChat,
      };
      this.chats.set(key, chat);
    }
    return chat;
  }

  /** Puts a chat with a queued head where the dispatcher finds it: ready now, or later. */
  private place(chat: ChatState, t: number): void {
    if (chat.placed || chat.inflight || !chat.jobs.length) return;
    chat.placed = true;
    const head = chat.jobs[0]!;
    if (chat.readyAt > t) this.later.push(chat.readyAt, chat);
    else this.ready[head.cls].push(head.seq, chat);
  }

  /** Chats whose gap is over move to the ready queues. */
  private promote(t: number): void {
    for (let top = this.later.peek(); top && top.at <= t; top = this.later.peek()) {
      this.later.pop();
      top.value.placed = false;
      this.place(top.value, t);
    }
  }

  /** The chat whose head goes next (not taken off its queue); stale entries are re-placed. */
  private nextReady(t: number): ChatState | undefined {
    for (const cls of CLASSES) {
      const q = this.ready[cls];
      for (let top = q.peek(); top; top = q.peek()) {
        const { value: chat } = top;
        const head = chat.jobs[0];
        if (head && !chat.inflight && head.seq === top.at && chat.readyAt <= t) return chat;
        // Its head went, was dropped or changed class, or a push started its gap: place it again.
        q.pop();
        chat.placed = false;
        this.place(chat, t);
      }
    }
    return undefined;
  }

  /** Drops replies that waited too long, oldest first. */
  private expire(t: number): void {
    for (let job = this.replyOrder.peek(); job; job = this.replyOrder.peek()) {
      if (job.state !== "queued") {
        this.replyOrder.shift();
        continue;
      }
      if (t - job.enqueuedAt <= this.maxWaitMs) return;
      this.replyOrder.shift();
      this.drop(job, "waited", t);
    }
  }

  private overflow(t: number): void {
    while (this.s.queued > this.queueMax) {
      const job = this.replyOrder.shift();
      if (!job) return;
      if (job.state === "queued") this.drop(job, "overflow", t);
    }
  }

  private drop(job: Job, reason: "waited" | "overflow", t: number): void {
    this.unqueue(job);
    const waitedMs = Math.round(t - job.enqueuedAt);
    if (reason === "waited") this.s.droppedWaited++;
    else this.s.droppedOverflow++;
    this.o.logger?.warn(
      { chat: job.chat.key, waitedMs, reason, queued: this.s.queued },
      reason === "waited"
        ? "reply dropped: it waited longer than REPLY_MAX_WAIT for a send slot"
        : "reply dropped: too many replies waiting, the oldest goes",
    );
    job.reject(new ReplyDropped(reason, waitedMs));
  }

  private abort(job: Job, reason: unknown): void {
    if (job.state !== "queued") return;
    this.unqueue(job);
    job.reject(reason);
    this.pump();
  }

  /** Takes a queued job off its chat's queue and settles it. */
  private unqueue(job: Job): void {
    const i = job.chat.jobs.indexOf(job);
    if (i !== -1) job.chat.jobs.splice(i, 1);
    job.state = "settled";
    job.unlisten?.();
    if (job.cls === "reply") this.s.queued--;
  }

  /** Sends whatever may go now; arms the timer for the next moment something may. */
  private readonly pump = (): void => {
    if (this.closed) return;
    for (;;) {
      const t = this.clock.now();
      this.expire(t);
      this.promote(t);
      const chat = this.nextReady(t);
      if (!chat) break;
      const job = chat.jobs[0]!;
      // A reply back in the queue after a 429 keeps its first arrival: it too waits bounded.
      if (job.cls === "reply" && t - job.enqueuedAt > this.maxWaitMs) {
        this.drop(job, "waited", t);
        continue;
      }
      const wait = (this.freeLimit ? this.global.windowWait(this.freeLimit) : 0) || this.global.take();
      if (wait > 0) {
        this.arm(Math.min(t + wait, this.nextDeadline()));
        return;
      }
      this.ready[job.cls].pop();
      chat.placed = false;
      this.dispatch(chat, job, t);
    }
    // Nothing may go now: wake up when a chat's gap ends or the oldest reply's wait runs out.
    const at = Math.min(this.later.peek()?.at ?? Infinity, this.nextDeadline());
    if (at < Infinity) this.arm(at);
    else this.disarm();
  };

  /** When the oldest queued reply will have waited too long. */
  private nextDeadline(): number {
    const oldest = this.replyOrder.peek();
    return oldest ? oldest.enqueuedAt + this.maxWaitMs + 1 : Infinity;
  }

  private arm(at: number): void {
    this.wakeTimer.arm(at);
  }

  private disarm(): void {
    this.wakeTimer.disarm();
  }

  private dispatch(chat: ChatState, job: Job, t: number): void {
    chat.jobs.shift();
    chat.inflight = true;
    job.state = "inflight";
    job.attempts++;
    if (job.cls === "reply") this.s.queued--;
    chat.readyAt = Math.max(chat.readyAt, t + chat.gapMs);
    const sendNumber = this.global.lastTaken;
    let sent: Promise<unknown>;
    try {
      sent = job.send();
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      (result) => this.settle(chat, job, sendNumber, result),
      (err: unknown) => this.fail(chat, job, sendNumber, err),
    );
  }

  private answered(chat: ChatState, sendNumber: number): number {
    this.global.answered(sendNumber);
    chat.inflight = false;
    const t = this.clock.now();
    // Telegram counted the message somewhere before its answer: the chat's gap runs from the answer.
    chat.readyAt = Math.max(chat.readyAt, t + chat.gapMs);
    if (chat.transient && !chat.jobs.length) this.chats.delete(chat.key);
    else if (this.chats.size > PRUNE_AT) this.prune();
    return t;
  }

  private settle(chat: ChatState, job: Job, sendNumber: number, result: unknown): void {
    const t = this.answered(chat, sendNumber);
    let v: Verdict;
    try {
      v = this.closed ? DONE : job.verdict(result, job.attempts);
    } catch {
      v = DONE;
    }
    if (v.kind === "done") {
      job.state = "settled";
      job.unlisten?.();
      if (job.cls === "reply") this.s.replies++;
      else this.s.newsroom++;
      job.resolve(result);
    } else {
      if (v.kind === "rate-limited") {
        this.rateLimited(v.retryAfterMs);
        this.o.logger?.warn(
          { chat: chat.key, retryAfterMs: v.retryAfterMs, cls: job.cls },
          "429 from Telegram: every send waits retry_after",
        );
      } else {
        this.s.retried++;
        chat.readyAt = Math.max(chat.readyAt, t + v.afterMs);
      }
      // Back at the head of its chat: it keeps its place and its order.
      job.state = "queued";
      chat.jobs.unshift(job);
      if (job.cls === "reply") this.s.queued++;
    }
    this.place(chat, t);
    this.pump();
  }

  private fail(chat: ChatState, job: Job, sendNumber: number, err: unknown): void {
    const t = this.answered(chat, sendNumber);
    job.state = "settled";
    job.unlisten?.();
    job.reject(err);
    this.place(chat, t);
    this.pump();
  }

  private prune(): void {
    const t = this.clock.now();
    for (const [key, chat] of this.chats)
      if (!chat.jobs.length && !chat.inflight && !chat.placed && chat.readyAt <= t) this.chats.delete(key);
  }
}
