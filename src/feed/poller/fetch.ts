/**
 * Asking the Ministry: a pool of workers over a cycle's tasks, each request within the sliding-window cap
 * and after any pause of the shared exponential backoff (a refusal, a 5xx or a timeout starts one). An
 * answer that is data goes to the caller; every other answer is counted, and logged once per path.
 */
import type { Logger } from "pino";
import type { Backoff, EligendoClient, FetchOutcome, FetchOutcomeKind } from "../client.js";
import { backsOff } from "../client.js";
import type { Clock, RateLimiter } from "../rate.js";
import type { Notices } from "./events.js";
import type { Task } from "./plan.js";
import type { CycleReport } from "./types.js";

/** What the fetcher asks of the poller for each task. */
export interface TaskHandlers {
  /** The task's path (may throw: the task is then dropped and logged). */
  pathOf(task: Task): string;
  /** The request is about to go. */
  asking(task: Task): void;
  /** The Ministry answered with data. */
  answer(task: Task, body: unknown, path: string, url: string): void;
}

export class Fetcher {
  /** Requests wait until then (the poller's clock): the backoff's pause. */
  pausedUntil = 0;
  requests = 0;
  readonly outcomes: Partial<Record<FetchOutcomeKind, number>> = {};

  constructor(
    private readonly o: {
      client: EligendoClient;
      clock: Clock;
      backoff: Backoff;
      limiter: RateLimiter;
      concurrency: number;
      notices: Notices;
      log?: Logger;
    },
  ) {}

  /** Runs the tasks in order, `concurrency` at a time, until done or stopped. Never throws. */
  async run(tasks: Task[], report: CycleReport, h: TaskHandlers, signal?: AbortSignal): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < tasks.length && !signal?.aborted) {
        const task = tasks[next++]!;
        try {
          await this.runTask(task, report, h, signal);
        } catch (err) {
          // A bug here must not stop the other comuni, nor the bot.
          this.o.log?.error({ err, path: safePath(h, task) }, "feed: unexpected error handling an answer");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, tasks.length) }, worker));
  }

  /** Waits out a backoff pause and the rate cap; false when stopped meanwhile. */
  private async gate(signal?: AbortSignal): Promise<boolean> {
    const clock = this.o.clock;
    for (;;) {
      const pause = this.pausedUntil - clock.now();
      if (pause > 0) await clock.sleep(pause, signal);
      if (signal?.aborted) return false;
      if (!(await this.o.limiter.acquire(signal))) return false;
      // Another request may have been refused while this one waited for its turn.
      if (this.pausedUntil <= clock.now()) return true;
    }
  }

  private async runTask(task: Task, report: CycleReport, h: TaskHandlers, signal?: AbortSignal): Promise<void> {
    const { clock, backoff, notices } = this.o;
    const path = h.pathOf(task);
    if (!(await this.gate(signal))) return;
    h.asking(task);
    const outcome = await this.o.client.get(path, signal);
    if (outcome.kind === "aborted") return;
    report.requests++;
    report.outcomes[outcome.kind] = (report.outcomes[outcome.kind] ?? 0) + 1;
    this.requests++;
    this.outcomes[outcome.kind] = (this.outcomes[outcome.kind] ?? 0) + 1;

    if (backsOff(outcome)) {
      const wait = backoff.failure();
      this.pausedUntil = Math.max(this.pausedUntil, clock.now() + wait);
      this.o.log?.warn(
        { path, kind: outcome.kind, failures: backoff.failures, waitMs: wait, ...detail(outcome) },
        "feed: the Ministry refuses or does not answer, pausing before the next request",
      );
      return;
    }
    if (outcome.kind === "data" || outcome.kind === "not-yet") backoff.success();

    switch (outcome.kind) {
      case "not-yet":
        return;
      case "data":
        return h.answer(task, outcome.body, path, outcome.url);
      case "syntax-error":
        return notices.trouble(
          path,
          { kind: "syntax-error", path },
          "feed: syntax error from the Ministry (wrong path)",
          "error",
        );
      case "too-large":
        return notices.trouble(
          path,
          { kind: "too-large", path, bytes: outcome.bytes },
          "feed: answer over the size limit, ignored",
        );
      case "malformed":
        return notices.trouble(
          path,
          { kind: "malformed", path, reason: outcome.reason },
          "feed: unreadable answer, ignored",
        );
      case "api-error":
      case "http-error":
        notices.logOnce(
          path,
          JSON.stringify(detail(outcome)),
          "warn",
          { path, ...detail(outcome) },
          "feed: unexpected answer from the Ministry",
        );
        return;
    }
  }
}

function safePath(h: TaskHandlers, t: Task): string | undefined {
  try {
    return h.pathOf(t);
  } catch {
    return undefined;
  }
}

/** What a failed answer's log line says of it. */
function detail(o: FetchOutcome): Record<string, unknown> {
  switch (o.kind) {
    case "blocked":
    case "server-error":
    case "http-error":
      return { status: o.status };
    case "timeout":
      return { timeoutMs: o.timeoutMs };
    case "network-error":
      return { message: o.message };
    case "api-error":
      return { id: o.id, desc: o.desc };
    default:
      return {};
  }
}
