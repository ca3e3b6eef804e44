/** The live cards' store, on every engine (see ../engines.ts): followers in order, a card's state, switched off, lost, forgotten. */
import { afterEach, describe, expect, it } from "vitest";
import { asComuneCode as kc } from "../../../src/data/model.js";
import { closeStores, engines } from "../engines.js";

afterEach(closeStores);

describe.each(engines)("$name", (engine) => {
  describe("the live cards' store", () => {
    it("walks a comune's followers by chat id, leaving out those who switched the card off", async () => {
      const store = engine.open();
      const cards = store.cards;
      for (const chat of [30, -100, 10, 20]) await store.subscribe(chat, kc("Genova"), "it");
      await store.subscribe(40, kc("Parma"), "it");
      await store.subscribe(50, null, "it"); // everything: no card of every comune
      await cards.setOff(20, kc("Genova"), true);
      expect(await cards.followers(kc("Genova"), -Infinity, 10)).toEqual([-100, 10, 30]);
      expect(await cards.followers(kc("Genova"), 10, 10)).toEqual([30]);
      expect(await cards.followers(kc("Genova"), -Infinity, 2)).toEqual([-100, 10]);
      await cards.setOff(20, kc("Genova"), false);
      expect(await cards.followers(kc("Genova"), -Infinity, 10)).toEqual([-100, 10, 20, 30]);
      await store.close();
    });

    it("keeps a card's message, time, fingerprint and language; forgets the message when lost", async () => {
      const store = engine.open();
      const cards = store.cards;
      await store.subscribe(7, kc("Genova"), "en");
      expect(await cards.card(7, kc("Genova"))).toEqual({ lang: "en", off: false });
      expect(await cards.card(8, kc("Genova"))).toBeUndefined(); // not a follower
      await cards.cardSent(7, kc("Genova"), 55, 1_000, "a");
      await cards.cardShown(7, kc("Genova"), "b");
      expect(await cards.card(7, kc("Genova"))).toEqual({
        lang: "en",
        messageId: 55,
        sentAt: 1_000,
        shown: "b",
        off: false,
      });
      expect(await cards.comuniWithCards()).toEqual([kc("Genova")]);
      await cards.cardLost(7, kc("Genova"));
      expect(await cards.card(7, kc("Genova"))).toEqual({ lang: "en", off: false });
      expect(await cards.comuniWithCards()).toEqual([]);
      await cards.cardSent(7, kc("Genova"), 56, 2_000, "c");
      await cards.setOff(7, kc("Genova"), true);
      expect(await cards.card(7, kc("Genova"))).toMatchObject({ messageId: 56, off: true });
      expect(await cards.isOff(7, kc("Genova"))).toBe(true);
      await cards.forgetChat(7);
      expect(await cards.isOff(7, kc("Genova"))).toBe(false);
      await store.close();
    });
  });
});
