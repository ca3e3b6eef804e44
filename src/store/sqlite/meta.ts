/** Meta settings in SQLite: the `meta` table. */
import type Database from "better-sqlite3";
import type { MetaRepository } from "../contract/meta.js";
import type { Synchronous } from "./synchronous.js";

export class SqliteMeta implements Synchronous<MetaRepository> {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      getMeta: db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
      setMeta: db.prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
    };
  }

  getMeta(key: string): string | undefined {
    return this.q.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.q.setMeta.run(key, value);
  }
}
