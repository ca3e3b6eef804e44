/** The data pack currently served, reloaded from disk on demand; a pack that no longer validates leaves the last good one serving. */
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "../logger.js";
import { type DataPack, DataPackError, loadDataPack } from "./pack.js";
import { PACK_FILES } from "./schema.js";

export type ReloadResult =
  | { status: "unchanged" }
  | { status: "reloaded"; pack: DataPack }
  | { status: "invalid"; error: Error };

export class DataSource {
  private stamp = "";

  private constructor(
    private pack: DataPack,
    private readonly logger?: Logger,
  ) {}

  static async open(dir: string, logger?: Logger): Promise<DataSource> {
    const source = new DataSource(await loadDataPack(dir), logger);
    source.stamp = await source.fingerprint();
    return source;
  }

  current(): DataPack {
    return this.pack;
  }

  /** Size and modification time of every file: cheap to compare on each poll. */
  private async fingerprint(): Promise<string> {
    const parts = await Promise.all(
      Object.values(PACK_FILES).map(async ({ file }) => {
        try {
          const s = await stat(path.join(this.pack.dir, file));
          return `${file}:${s.size}:${s.mtimeMs}`;
        } catch {
          return `${file}:missing`;
        }
      }),
    );
    return parts.join("|");
  }

  /**
   * Reloads when a file changed; on invalid data logs every problem and keeps serving the last good pack.
   * `apply` takes a valid new pack in (e.g. publishes its new bulletins): the change counts as seen only
   * once it returns, so if it throws, the error propagates and the next reload tries again.
   */
  async reload(
    opts: { force?: boolean; apply?: (pack: DataPack) => void | Promise<void> } = {},
  ): Promise<ReloadResult> {
    const stamp = await this.fingerprint();
    if (!opts.force && stamp === this.stamp) return { status: "unchanged" };
    let pack: DataPack;
    try {
      pack = await loadDataPack(this.pack.dir);
    } catch (err) {
      this.stamp = stamp; // report a broken file once, not on every poll
      const issues = err instanceof DataPackError ? err.issues : undefined;
      this.logger?.error(
        { dir: this.pack.dir, issues, err: issues ? undefined : err },
        "data pack invalid: still serving the last good data",
      );
      return { status: "invalid", error: err as Error };
    }
    // The new data is valid: serve it at once, whatever happens to `apply`.
    this.pack = pack;
    await opts.apply?.(pack);
    this.stamp = stamp;
    this.logger?.info(
      { dir: pack.dir, comuni: pack.comuni.length, bulletins: pack.bulletins.length },
      "data pack reloaded",
    );
    return { status: "reloaded", pack };
  }
}
