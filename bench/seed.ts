/**
 * Audiences for the benchmarks, seeded through the store's own API (never SQL against its tables:
 * the schema moves with its migrations). test/bench-seed.test.ts runs these against a fresh store.
 */
import { asComuneCode, type ComuneCode } from "../src/data/model.js";
import type { Lang } from "../src/i18n/index.js";
import type { Store, Subscription } from "../src/store/store.js";
import { rng } from "./util.js";

/** Every chat subscribed to every bulletin; returns how many subscriptions were added. */
export function subscribeEveryone(store: Store, ids: Iterable<number>, lang: Lang = "it"): Promise<number> {
  function* entries() {
    for (const chatId of ids) yield { chatId, what: null as Subscription, lang };
  }
  return store.subscribeMany(entries());
}

/** Genova, Verona, Parma, L'Aquila, Catanzaro and Palermo, by their ISTAT codes (as the store keeps comuni). */
export const SCALE_COMUNI: ComuneCode[] = ["010025", "023091", "034027", "066049", "079023", "082053"].map(
  asComuneCode,
);

/**
 * `subscribers` chats, 10% of them groups, 5% in English, subscribed to everything; one in ten also
 * follows a comune (enqueueing has to collapse them to one delivery). Written in transactions of
 * `batch` chats. Returns the number of subscriptions.
 */
export async function fillSubscribers(store: Store, subscribers: number, batch = 50_000): Promise<number> {
  const r = rng(99);
  let rows = 0;
  for (let start = 0; start < subscribers; start += batch) {
    const end = Math.min(subscribers, start + batch);
    function* entries() {
      for (let i = start; i < end; i++) {
        const chatId = r() < 0.1 ? -1_000_000_000_000 - i : 1_000_000 + i;
        const lang: Lang = r() < 0.05 ? "en" : "it";
        yield { chatId, what: null as Subscription, lang };
        if (i % 10 === 0) yield { chatId, what: SCALE_COMUNI[i % SCALE_COMUNI.length]!, lang };
      }
    }
    rows += await store.subscribeMany(entries());
  }
  return rows;
}
