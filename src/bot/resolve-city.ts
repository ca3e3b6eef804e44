/** What the user typed, resolved to a comune, or answered with suggestions: shared by the queries and the subscriptions. */
import type { KnownComune } from "../data/places.js";
import { type Html, html, quoteUser, stripControl } from "../format/html.js";
import type { BotContext } from "./context.js";
import { suggestionKeyboard } from "./keyboards.js";
import { replyHtml } from "./reply.js";

/** Longer input cannot be a comune's name; it is not worth matching. */
export const MAX_QUERY = 80;

/**
 * Resolves what the user typed to a comune, or answers with suggestions.
 * Returns undefined when it already replied.
 */
export async function resolveCity(
  ctx: BotContext,
  raw: string,
  notFound: (q: Html) => Html,
): Promise<KnownComune | undefined> {
  const query = stripControl(raw).trim();
  const pack = ctx.app.data.current();
  const r = query.length > MAX_QUERY ? { kind: "not-found" as const, suggestions: [] } : pack.index.lookup(query);
  if (r.kind === "found") return r.item;
  const q = quoteUser(query);
  const head = r.kind === "ambiguous" ? ctx.t.cityAmbiguous(q) : notFound(q);
  const kb = suggestionKeyboard(r.suggestions);
  await replyHtml(ctx, kb ? html`${head}\n${ctx.t.citySuggestions}` : head, kb);
  return undefined;
}
