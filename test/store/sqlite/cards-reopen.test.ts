/** The live cards in SQLite, across a reopen of the database file. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { SqliteLiveCardStore } from "../../../src/store/sqlite/cards.js";
import { SqliteStore } from "../../../src/store/sqlite.js";

describe("SqliteLiveCardStore", () => {
  it("survives a restart: the card's message is edited, not sent again", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cards-store-"));
    try {
      const file = path.join(dir, "state.sqlite");
      const first = new SqliteStore(file);
      await first.subscribe(7, kc("Genova"), "it");
      new SqliteLiveCardStore(first.db).cardSent(7, kc("Genova"), 55, 1_000, "a");
      await first.close();
      const second = new SqliteStore(file);
      expect(new SqliteLiveCardStore(second.db).card(7, kc("Genova"))).toMatchObject({ messageId: 55, shown: "a" });
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
