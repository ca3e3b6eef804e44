/**
 * The budget's lanes for senders that take their own slots (a Pacing, as the push engine and the live
 * cards take one): the push lane yields to every queued message, the cards' lane to pushes as well.
 */
import type { Pacer, Pacing } from "../pacer.js";
import type { SendBudget } from "./budget.js";

/**
 * A lane of the shared budget as the Pacing a sender (the push engine, the live cards) takes its slots
 * from: per-chat gaps, 429 pauses and the sliding second are the budget's; a lane only says when it
 * may take a global slot.
 */
abstract class BudgetLane implements Pacing {
  constructor(
    protected readonly budget: SendBudget,
    protected readonly global: Pacer,
  ) {}
  abstract get perSecond(): number;
  abstract take(): number;
  get lastTaken(): number {
    return this.global.lastTaken;
  }
  answered(n: number): void {
    this.global.answered(n);
  }
  pause(ms: number): void {
    this.budget.rateLimited(ms);
  }
  chatWait(chatId: number): number {
    return this.budget.chatWait(chatId);
  }
  sentTo(chatId: number): void {
    this.budget.sentTo(chatId);
  }
}

/** The engine's Pacing on the shared budget: a global slot only when no queued message could use it. */
export class PushLane extends BudgetLane {
  get perSecond(): number {
    return this.budget.perSecond;
  }
  take(): number {
    // Yield: check again after one slot, by when the queued message has had its turn.
    const wait = this.budget.othersWaiting() ? this.budget.slotMs : this.global.take();
    this.budget.pushAsked(wait);
    return wait;
  }
}

/**
 * The live cards' Pacing on the shared budget: a global slot only when no queued message could use
 * it and no push is under way. An edit that waits loses nothing (the card shows the latest figures
 * when its turn comes), while a push is news a subscriber asked to be told about.
 */
export class CardLane extends BudgetLane {
  /** Telegram's free limit when the budget runs above it (paid broadcast): edits cannot be paid. */
  private get freeLimit(): number | undefined {
    return this.budget.freeLimit;
  }
  get perSecond(): number {
    return this.freeLimit ?? this.budget.perSecond;
  }
  take(): number {
    if (this.budget.othersWaiting() || this.budget.pushWaiting()) return this.budget.slotMs;
    const free = this.freeLimit ? this.global.windowWait(this.freeLimit) : 0;
    return free || this.global.take();
  }
}
