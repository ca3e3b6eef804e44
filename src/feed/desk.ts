/**
 * The feed's desk: the live feed and its automatic bulletins wired together, and what the newsroom's
 * commands need of them (/stato, releasing a held comune, publishing or dropping a draft). The runtime
 * creates one when ELIGENDO_DATE is set.
 */
import type { ComuneIdentity } from "../data/model.js";
import type { Rules, Turnout } from "../data/schema.js";
import type { Logger } from "../logger.js";
import type { FeedStore } from "../store/feed-store.js";
import { FeedBulletins, type FeedBulletinsOptions, type Newsroom } from "./bulletins.js";
import type { FeedSettings } from "./config.js";
import { type HeldComune, LiveFeed, type LiveFeedOptions } from "./live.js";
import type { FeedStatus } from "./poller/index.js";
import { SeatCheck, type SeatCheckOptions, type SeatMismatch } from "./seat-check.js";

export interface FeedDeskOptions {
  settings: FeedSettings;
  index: Iterable<ComuneIdentity>;
  pack(): { rules: Rules; turnout: Turnout; firstRoundDate: string; runoffDate: string };
  store: FeedStore;
  publish: FeedBulletinsOptions["publish"];
  newsroom: Newsroom;
  /** See FeedBulletinsOptions.label. */
  label?: FeedBulletinsOptions["label"];
  logger: Logger;
  now(): Date;
  priority?: LiveFeedOptions["priority"];
  /** See PollerOptions.beforeCycle. */
  beforeCycle?: LiveFeedOptions["beforeCycle"];
  /** Tests and the replay: the client, the poller's clock, the sweep's pace, staleness. */
  live?: Partial<Pick<LiveFeedOptions, "client" | "poller" | "staleMinutes" | "sweepEveryMs">>;
  /** Default 15 minutes (the replay compresses it with the night). */
  progressEveryMs?: number;
  /** A simulated night: bulletins say so. */
  simulated?: boolean;
  /** See SeatCheckOptions.context: what the index knows of a comune for its council's size. */
  councilContext?: SeatCheckOptions["context"];
}

export class FeedDesk {
  readonly live: LiveFeed;
  readonly bulletins: FeedBulletins;
  readonly seats: SeatCheck;

  private constructor(live: LiveFeed, bulletins: FeedBulletins, seats: SeatCheck) {
    this.live = live;
    this.bulletins = bulletins;
    this.seats = seats;
    this.bulletins.attach(this.live);
    this.seats.attach(this.live);
  }

  /** The feed's desk, resuming what the store kept (the feed's state, the announcements made). */
  static async open(o: FeedDeskOptions): Promise<FeedDesk> {
    const live = await LiveFeed.open({
      settings: o.settings,
      index: o.index,
      rules: o.pack().rules,
      store: o.store,
      logger: o.logger,
      now: o.now,
      priority: o.priority,
      ...(o.beforeCycle ? { beforeCycle: o.beforeCycle } : {}),
      ...o.live,
    });
    const bulletins = await FeedBulletins.open({
      settings: o.settings,
      store: o.store,
      publish: o.publish,
      newsroom: o.newsroom,
      ...(o.label ? { label: o.label } : {}),
      pack: o.pack,
      logger: o.logger,
      now: o.now,
      ...(o.progressEveryMs !== undefined ? { progressEveryMs: o.progressEveryMs } : {}),
      ...(o.simulated ? { simulated: true } : {}),
    });
    const seats = await SeatCheck.open({
      settings: o.settings,
      store: o.store,
      newsroom: o.newsroom,
      rules: () => o.pack().rules,
      ...(o.councilContext ? { context: o.councilContext } : {}),
      logger: o.logger,
      now: o.now,
    });
    return new FeedDesk(live, bulletins, seats);
  }

  get mode(): FeedSettings["bulletins"] {
    return this.live.settings.bulletins;
  }

  start(): void {
    this.live.start();
  }

  stop(): Promise<void> {
    return this.live.stop();
  }

  /**
   * Several instances on one database, this one gaining the leader lease: it takes in what the previous
   * leader saved (figures, gate, announcements) and starts polling from there.
   */
  async lead(): Promise<void> {
    await this.live.follow();
    await this.bulletins.reloadAnnounced();
    this.start();
  }

  /** The leader lease lost: stops polling and leaves what is pending to the next leader. */
  yieldLead(): Promise<void> {
    return this.live.stop({ handOver: true });
  }

  /** Not the leader: takes the leader's latest figures and gate (see LiveFeed.follow). */
  follow(): Promise<number> {
    return this.live.follow();
  }

  /** The poller's counters, for /stato. */
  status(): FeedStatus {
    return this.live.poller.status();
  }

  /** Comuni whose bulletins the anomaly gate holds (or held until released). */
  held(): HeldComune[] {
    return this.live.held();
  }

  /** Lets a held comune's bulletins go; `key` is the gate's ("1t:050901160") or the comune's code. */
  release(key: string, by?: string): boolean {
    return this.live.release(key, by);
  }

  sumMismatches() {
    return this.live.sumMismatches();
  }

  /** Comuni whose Ministry council seats differ from the law's as computed. */
  seatMismatches(): SeatMismatch[] {
    return this.seats.mismatches();
  }

  publishDraft(id: number, by: number) {
    return this.bulletins.publishDraft(id, by);
  }

  /** The automatic bulletins' drafts waiting for the newsroom (review mode). */
  drafts() {
    return this.bulletins.waitingDrafts();
  }

  dropDraft(id: number, by: number) {
    return this.bulletins.dropDraft(id, by);
  }
}
