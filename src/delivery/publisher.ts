/** Publishing bulletins: from the newsroom (/pubblica) and from the data pack, each exactly once. */
import type { DataPack } from "../data/pack.js";
import type { Lang } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { Store, StoredBulletin } from "../store/store.js";

export interface Waker {
  wake(): void;
}

export class Publisher {
  private counter = 0;

  constructor(
    private readonly store: Store,
    private readonly engine: Waker,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Brings the pack's bulletins into the store and makes its election the current one. On the first
   * start with this election they are history and are not pushed; afterwards any bulletin new to this
   * election is published to subscribers.
   */
  syncPack(pack: DataPack): { history: number; published: number } {
    const election = pack.election.id;
    const key = `pack-history:${election}`;
    const firstRun = this.store.getMeta(key) === undefined;
    this.store.setMeta("election", election);
    const known = new Set(this.store.bulletinsOf(election).map((b) => b.id));
    let history = 0;
    let published = 0;
    for (const b of pack.bulletins) {
      if (known.has(b.id)) continue;
      const bulletin = {
        election,
        id: b.id,
        publishedAt: b.publishedAt,
        text: b.text,
        comuni: b.comuni,
        origin: "pack" as const,
      };
      if (firstRun) {
        this.store.addBulletin(bulletin);
        history++;
      } else {
        const { recipients } = this.store.addBulletin(bulletin, { requestedBy: null, lang: "it" });
        this.logger.info({ bulletin: b.id, recipients, comuni: b.comuni }, "push started (data pack)");
        published++;
      }
    }
    if (firstRun) this.store.setMeta(key, this.clock().toISOString());
    if (published) this.engine.wake();
    return { history, published };
  }

  /** A newsroom bulletin, published now, under the current election (the one whose pack was synced last). */
  publish(input: { text: string; comuni: string[]; requestedBy: number; lang: Lang }): {
    bulletin: StoredBulletin;
    recipients: number;
  } {
    const now = this.clock();
    const id = `redazione-${now.getTime().toString(36)}-${(this.counter++).toString(36)}`;
    const b = {
      election: this.store.getMeta("election") ?? "",
      id,
      publishedAt: now.toISOString(),
      text: input.text,
      comuni: input.comuni,
      origin: "newsroom" as const,
    };
    const { seq, recipients } = this.store.addBulletin(b, { requestedBy: input.requestedBy, lang: input.lang });
    this.logger.info(
      { bulletin: id, recipients, comuni: input.comuni, by: input.requestedBy },
      "push started (newsroom)",
    );
    this.engine.wake();
    return { bulletin: { ...b, seq }, recipients };
  }
}
