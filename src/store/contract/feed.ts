/**
 * What the Ministry's feed keeps between runs:
 *
 * - the feed's state as key/value JSON: the poller's last good figures of every comune (one row per
 *   comune, rewritten only when it changed) and the anomaly gate's entries, so that a restart in the
 *   middle of the night answers at once and resumes where it was;
 * - one row per announcement key (`2026-05-24:1t:050901160:complete`): an announcement is made only if
 *   its key is new, so nothing is announced twice, across restarts too;
 * - the drafts that wait for the newsroom's review (ELIGENDO_BULLETINS=review).
 */
import type { ComuneCode } from "../../data/model.js";
import type { Audience } from "./bulletins.js";
import type { UnitOfWork } from "./transaction.js";

/** One announcement made (or drafted): its stable key, whom it concerns, and when. */
export interface Announcement {
  key: string;
  /** The comune's 9-digit code, or "" for the election as a whole (turnout). */
  comune: string;
  /** What kind of announcement: "started", "progress", "call", "complete", "outcome", "turnout". */
  kind: string;
  /** Epoch milliseconds, on the bot's clock. */
  at: number;
  /** The bulletin's id, once published. */
  bulletin?: string;
  /** The draft awaiting review. */
  draft?: number;
}

export type DraftStatus = "pending" | "published" | "dropped";

/** A bulletin drafted for the newsroom to publish or drop. */
export interface Draft {
  id: number;
  /** The id the bulletin gets when published. */
  bulletinId: string;
  text: string;
  comuni: ComuneCode[];
  audience: Audience;
  createdAt: number;
  status: DraftStatus;
  decidedBy?: number;
  decidedAt?: number;
}

export interface FeedStore extends UnitOfWork {
  /** Saved state entries whose key starts with `prefix`. */
  stateEntries(prefix: string): Promise<{ key: string; value: string }[]>;
  /** Writes (and deletes) state entries in one transaction. */
  saveState(entries: Iterable<{ key: string; value: string }>, deleted?: Iterable<string>): Promise<void>;
  /** Every announcement key starting with `prefix` (an election's: its date). */
  announcedKeys(prefix: string): Promise<Set<string>>;
  /** When the comune last had an announcement of one of these kinds (epoch ms). */
  lastAnnouncedAt(comune: string, kinds: readonly string[]): Promise<number | undefined>;
  /**
   * Records announcements; keys already recorded are left as they are. Returns how many keys were new:
   * 0 means another instance (or an earlier run) made the announcement already, and it must not be made again.
   */
  recordAnnouncements(rows: readonly Announcement[]): Promise<number>;
  addDraft(d: Omit<Draft, "id" | "status" | "decidedBy" | "decidedAt">): Promise<number>;
  draft(id: number): Promise<Draft | undefined>;
  /** Settles a pending draft; false when it was already settled (a second press, another editor). */
  decideDraft(id: number, status: Exclude<DraftStatus, "pending">, by: number, at: number): Promise<boolean>;
  pendingDrafts(): Promise<Draft[]>;
  /** The codes of the comuni some chat follows (the feed polls them first). */
  followedComuni(): Promise<Set<ComuneCode>>;
}
