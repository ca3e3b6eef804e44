/** Parent side of bench/fake-server.ts: starts the fake in a child process and talks to it. */
import type { ChildProcess } from "node:child_process";
import type { FakeTelegramOptions } from "../test/support/fake-bot-api/index.js";
import type { CardTally, CardTallyInput } from "./cards-tally.js";
import type { RushArm, RushTally, RushTallyInput } from "./rush-tally.js";
import type { Tally, TallyInput } from "./tally.js";
import { forkTs } from "./util.js";

export interface FakeSnapshot {
  tooManyRequests: number;
  forbidden: number;
  serverErrors: number;
  requests: number;
  sendCalls: number;
  editCalls: number;
  sentCount: number;
  cpuMicros: number;
  rss: number;
}

export class RemoteFake {
  private nextId = 1;
  private readonly pending = new Map<number, (v: unknown) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly apiRoot: string,
    readonly token: string,
  ) {
    child.on("message", (m: { id?: number; result?: unknown }) => {
      if (m.id === undefined) return;
      this.pending.get(m.id)?.(m.result);
      this.pending.delete(m.id);
    });
  }

  static start(opts: FakeTelegramOptions): Promise<RemoteFake> {
    const child = forkTs("fake-server.ts", [JSON.stringify(opts)]);
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`fake server exited with code ${code}`)));
      child.once("message", (m: { type: string; apiRoot: string; token: string }) => {
        if (m.type === "ready") resolve(new RemoteFake(child, m.apiRoot, m.token));
      });
    });
  }

  private call<T>(msg: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (v: unknown) => void);
      this.child.send({ ...msg, id });
    });
  }

  reset(): Promise<void> {
    return this.call({ cmd: "reset" });
  }
  block(ids: number[]): Promise<void> {
    return this.call({ cmd: "block", ids });
  }
  snapshot(): Promise<FakeSnapshot> {
    return this.call({ cmd: "snapshot" });
  }
  tally(input: TallyInput): Promise<Tally> {
    return this.call({ cmd: "tally", input });
  }
  /** The rush starts by itself once the push has delivered `afterSends` messages (see fake-server.ts). */
  armRush(arm: RushArm): Promise<void> {
    return this.call({ cmd: "armRush", arm });
  }
  rushTally(input: RushTallyInput): Promise<RushTally> {
    return this.call({ cmd: "rushTally", input });
  }
  /** Starts following what each chat shows of a count (see cards-tally.ts). */
  watchCards(): Promise<void> {
    return this.call({ cmd: "watchCards" });
  }
  cardTally(input: CardTallyInput): Promise<CardTally> {
    return this.call({ cmd: "cardTally", input });
  }
  /** A message in each chat as if sent before (the cards the benchmark starts from): chat → message id. */
  async pretendSent(ids: number[]): Promise<Map<number, number>> {
    return new Map(await this.call<[number, number][]>({ cmd: "pretendSent", ids }));
  }
  async close(): Promise<void> {
    this.child.removeAllListeners("exit");
    const exited = new Promise<void>((r) => this.child.once("exit", () => r()));
    await this.call({ cmd: "close" });
    await exited;
  }
}
