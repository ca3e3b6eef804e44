/** Meta settings in PostgreSQL: the `meta` table. */
import type { MetaRepository } from "../contract/meta.js";
import type { PgDatabase } from "./connection.js";

export class PgMeta implements MetaRepository {
  constructor(private readonly db: PgDatabase) {}

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.db.one<{ value: string }>("SELECT value FROM meta WHERE key = $1", [key]))?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.query(
      "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      [key, value],
    );
  }
}
