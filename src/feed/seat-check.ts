/**
 * The Ministry's council seats against the law's: once a comune's count is closed and the Ministry has
 * allocated its seats, the bot computes them as the law does (src/data/seats.ts) and, where the two differ,
 * tells the newsroom in private — it is news (a court, a rule the bot does not know) or a bug. Told once
 * per comune and per distinct difference, across restarts too (an announcement key in the store); the
 * comuni that differ now are listed in /stato.
 */
import { createHash } from "node:crypto";
import type { Rules } from "../data/schema.js";
import { type CouncilContext, councilSeats, type SeatDifference, seatDifferences } from "../data/seats.js";
import type { Logger } from "../logger.js";
import type { FeedStore } from "../store/feed-store.js";
import type { Newsroom } from "./bulletins.js";
import type { FeedSettings } from "./config.js";
import type { FeedComune } from "./discovery.js";
import type { LiveFeed } from "./live.js";

export interface SeatCheckOptions {
  settings: Pick<FeedSettings, "date">;
  store: FeedStore;
  newsroom: Newsroom;
  rules(): Rules;
  /** What the comuni index knows of a comune the law needs: capoluogo, legal population. */
  context?(c: FeedComune): { capoluogo?: boolean } & CouncilContext;
  logger: Logger;
  now(): Date;
}

/** A comune whose Ministry seats differ from the computed ones. */
export interface SeatMismatch {
  comune: FeedComune;
  differences: SeatDifference[];
}

export class SeatCheck {
  private readonly o: SeatCheckOptions;
  private readonly told: Set<string>;
  /** Per comune: the version of its figures last checked (LiveFeed.versionOf), and what differed then. */
  private readonly checked = new Map<string, { version: number; mismatch?: SeatMismatch }>();

  /** @param told the seat differences of this election already told (see open) */
  constructor(o: SeatCheckOptions, told: Set<string>) {
    this.o = o;
    this.told = told;
  }

  /** The seat check, knowing what the store says was told already. */
  static async open(o: SeatCheckOptions): Promise<SeatCheck> {
    return new SeatCheck(o, await o.store.announcedKeys(`${o.settings.date}:seats:`));
  }

  /** Hooks this into the live feed: every checked comune whose count is closed. */
  attach(live: LiveFeed): void {
    live.use({
      round: (s, _round, r) => {
        if (r.complete) return this.check(live, s.comune);
      },
    });
  }

  /** The comuni whose Ministry seats differ from the computed ones now, by name. */
  mismatches(): SeatMismatch[] {
    return [...this.checked.values()].flatMap((x) => (x.mismatch ? [x.mismatch] : []));
  }

  private async check(live: LiveFeed, comune: FeedComune): Promise<void> {
    const version = live.versionOf(comune.code);
    if (this.checked.get(comune.code)?.version === version) return;
    const ctx = this.o.context?.(comune) ?? {};
    const results = live.results(comune.code, ctx.capoluogo !== undefined ? { capoluogo: ctx.capoluogo } : {});
    if (!results) return;
    const council = councilSeats(
      results,
      this.o.rules(),
      ctx.population !== undefined ? { population: ctx.population } : {},
    );
    const differences = council.kind === "allocation" && !council.projection ? seatDifferences(council) : [];
    this.checked.set(comune.code, {
      version,
      ...(differences.length ? { mismatch: { comune, differences } } : {}),
    });
    if (!differences.length) return;
    const signature = differences.map((d) => `${d.list}=${d.computed}/${d.official}`).join(";");
    const key = `${this.o.settings.date}:seats:${comune.code}:${createHash("sha256").update(signature).digest("hex").slice(0, 16)}`;
    if (this.told.has(key)) return;
    try {
      await this.o.store.recordAnnouncements([{ key, kind: "seats", comune: comune.code, at: this.o.now().getTime() }]);
    } catch (err) {
      this.o.logger.error({ err, comune: comune.code }, "feed: seat difference not stored, retrying");
      this.checked.delete(comune.code);
      return;
    }
    this.told.add(key);
    this.o.logger.warn(
      { comune: comune.code, name: comune.name, differences },
      "feed: the Ministry's council seats differ from the law's computation",
    );
    void this.o.newsroom.seats({ comune, differences });
  }
}
