/** Publishing bulletins: from the newsroom (/pubblica) and from the data pack, each exactly once. */

import type { ComuneCode } from "../data/model.js";
import type { DataPack, PackBulletin } from "../data/pack.js";
import type { Html } from "../format/html.js";
import type { Lang } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { AmendmentStarted, Audience, Correction, Store, StoredBulletin } from "../store/store.js";

export interface Waker {
  wake(): void;
}

/** What one sync of the data pack did to the store. */
export interface SyncResult {
  /** Stored without a push: the pack's bulletins at the first start with this election. */
  history: number;
  published: number;
  corrected: number;
  withdrawn: number;
}

/**
 * How long the message ids of a bulletin's copies are kept: long enough to correct the night's
 * bulletins for days after (Telegram lets bots delete messages only within 48 hours anyway).
 */
export const COPY_RETENTION_MS = 7 * 24 * 3600_000;

const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

export class Publisher {
  private counter = 0;

  constructor(
    private readonly store: Store,
    private readonly engine: Waker,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Brings the pack's bulletins into the store and makes its election the current one.
   *
   * On the first start with this election they are history and are not pushed. Afterwards, compared
   * with what this election already has, by id: a new id is a new bulletin, published to subscribers
   * (with a warning when it repeats the time and text of a known one: most likely a renamed id); a
   * known id whose time, text or comuni changed is a correction of the stored bulletin, shown in
   * /ultime and in deliveries still queued, never pushed again; a pack id no longer in the file is
   * hidden from /ultime (kept in history) and its queued deliveries stop; put back, it shows again.
   * All of it is one transaction: a sync seen half done, or two syncs interleaved, would push twice.
   */
  syncPack(pack: DataPack): Promise<SyncResult> {
    return this.store.transaction(() => this.syncPackNow(pack));
  }

  private async syncPackNow(pack: DataPack): Promise<SyncResult> {
    const election = pack.election.id;
    const key = `pack-history:${election}`;
    const firstRun = (await this.store.getMeta(key)) === undefined;
    await this.store.setMeta("election", election);
    const known = new Map((await this.store.bulletinsOf(election)).map((b) => [b.id, b]));
    const result: SyncResult = { history: 0, published: 0, corrected: 0, withdrawn: 0 };
    const inPack = new Set<string>();
    for (const b of pack.bulletins) {
      inPack.add(b.id);
      const stored = known.get(b.id);
      if (stored) {
        if (await this.reconcile(stored, b)) result.corrected++;
        continue;
      }
      const bulletin = {
        election,
        id: b.id,
        publishedAt: b.publishedAt,
        text: b.text,
        comuni: b.comuni,
        origin: "pack" as const,
      };
      if (firstRun) {
        await this.store.addBulletin(bulletin);
        result.history++;
        continue;
      }
      const twin = [...known.values()].find((k) => k.text === b.text && sameInstant(k.publishedAt, b.publishedAt));
      if (twin)
        this.logger.warn(
          { bulletin: b.id, like: twin.id, publishedAt: b.publishedAt },
          "data pack: a new bulletin id with the time and text of a known one (a renamed id?); published as new",
        );
      const { recipients } = await this.store.addBulletin(bulletin, { requestedBy: null, lang: "it" });
      this.logger.info({ bulletin: b.id, recipients, comuni: b.comuni }, "push started (data pack)");
      result.published++;
    }
    for (const stored of known.values()) {
      if (stored.origin !== "pack" || stored.hidden || inPack.has(stored.id)) continue;
      const stopped = await this.store.withdrawBulletin(stored.seq);
      this.logger.warn(
        { bulletin: stored.id, queuedDeliveriesStopped: stopped },
        "data pack: bulletin removed from the file, hidden from /ultime",
      );
      result.withdrawn++;
    }
    if (firstRun) await this.store.setMeta(key, this.clock().toISOString());
    if (result.published) this.engine.wake();
    return result;
  }

  /** Applies the pack's version of a bulletin the store knows; true if anything changed. */
  private async reconcile(stored: StoredBulletin, b: PackBulletin): Promise<boolean> {
    const changed: string[] = [];
    if (!sameInstant(stored.publishedAt, b.publishedAt)) changed.push("publishedAt");
    if (stored.text !== b.text) changed.push("text");
    if (stored.comuni.join("\n") !== b.comuni.join("\n")) changed.push("comuni");
    if (!changed.length && !stored.hidden) return false;
    await this.store.correctBulletin(stored.seq, { publishedAt: b.publishedAt, text: b.text, comuni: b.comuni });
    if (changed.length)
      this.logger.info({ bulletin: b.id, changed }, "data pack: bulletin corrected (not pushed again)");
    if (stored.hidden) this.logger.info({ bulletin: b.id }, "data pack: bulletin back in the file, shown again");
    return true;
  }

  /**
   * An automatic bulletin from the Ministry's feed, published now under the current election, with the
   * id its announcement gives it (an id already published throws: the caller records announcements in
   * the same transaction). Nobody gets a report.
   */
  async publishAutomatic(input: { id: string; text: string; comuni: ComuneCode[]; audience: Audience }): Promise<{
    seq: number;
    recipients: number;
  }> {
    const b = {
      election: (await this.store.getMeta("election")) ?? "",
      id: input.id,
      publishedAt: this.clock().toISOString(),
      text: input.text,
      comuni: input.comuni,
      origin: "feed" as const,
      audience: input.audience,
    };
    const r = await this.store.addBulletin(b, { requestedBy: null, lang: "it" });
    this.logger.info(
      { bulletin: input.id, recipients: r.recipients, comuni: input.comuni, audience: input.audience },
      "push started (feed)",
    );
    this.engine.wake();
    return r;
  }

  /**
   * A newsroom bulletin, published now, under the current election (the one whose pack was synced
   * last). `html` carries the editor's formatting (see format/entities.ts); without it the text is plain.
   */
  async publish(input: { text: string; html?: Html; comuni: ComuneCode[]; requestedBy: number; lang: Lang }): Promise<{
    bulletin: StoredBulletin;
    recipients: number;
  }> {
    const now = this.clock();
    const id = `redazione-${now.getTime().toString(36)}-${(this.counter++).toString(36)}`;
    const b = {
      election: (await this.store.getMeta("election")) ?? "",
      id,
      publishedAt: now.toISOString(),
      text: input.text,
      comuni: input.comuni,
      origin: "newsroom" as const,
      ...(input.html !== undefined ? { html: input.html } : {}),
    };
    const { seq, recipients } = await this.store.addBulletin(b, { requestedBy: input.requestedBy, lang: input.lang });
    this.logger.info(
      { bulletin: id, recipients, comuni: input.comuni, by: input.requestedBy },
      "push started (newsroom)",
    );
    const forgotten = await this.store.forgetCopiesBefore(now.getTime() - COPY_RETENTION_MS);
    if (forgotten) this.logger.info({ copies: forgotten }, "message ids of old bulletins forgotten");
    this.engine.wake();
    return { bulletin: { ...b, seq, hidden: false, version: 0 }, recipients };
  }

  /**
   * Corrects a bulletin already published, or withdraws it: every copy delivered so far is edited
   * in place or deleted, through the outbox (paced, and resumed after a restart); copies still queued
   * go out corrected, or not at all. A correction that changes the comuni also sends it to the chats
   * it now concerns, and not to those with a copy still queued that it no longer concerns (a copy
   * already delivered there is edited: the statement they got was wrong for them too). Undefined when
   * the bulletin is unknown or already withdrawn.
   */
  async amend(
    seq: number,
    change: { kind: "correct"; content: Correction } | { kind: "withdraw" },
    by: { requestedBy: number; lang: Lang },
  ): Promise<AmendmentStarted | undefined> {
    const r = await this.store.amendBulletin(
      seq,
      change.kind === "correct"
        ? { kind: "correct", content: change.content, correctedAt: this.clock().toISOString() }
        : { kind: "withdraw" },
      by,
    );
    if (!r) return undefined;
    this.logger.info({ seq, kind: change.kind, ...r, by: by.requestedBy }, "amendment started (newsroom)");
    if (r.copies || r.added) this.engine.wake();
    return r;
  }
}
