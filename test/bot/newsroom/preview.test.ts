/**
 * The preview is one message: the bulletin's block (at most BULLETIN_BLOCK_MAX, see views/bulletins.ts)
 * with its title, the note on a shortened "Comuni:" line and what it will reach around it. Here the
 * longest of those, in both languages, fit the room the block leaves.
 */
import { describe, expect, it } from "vitest";
import { type Html, joinHtml, TELEGRAM_TEXT_LIMIT, textLength } from "../../../src/format/html.js";
import { messages } from "../../../src/i18n/index.js";
import { BULLETIN_BLOCK_MAX } from "../../../src/views/bulletins.js";

describe.each(["it", "en"] as const)("the preview's frame fits beside the longest block (%s)", (lang) => {
  const t = messages(lang);
  const big = 1_234_567;
  const note = t.previewComuniShortened({ listed: 1234, total: 12_345, cut: 2999 });
  /** The preview with an empty block: what it puts around one. */
  const frame = (title: Html, footer: Html) => textLength(joinHtml([title, "" as Html, note, footer], "\n\n"));

  it("a correction, with every clause of what it will do", () => {
    const footer = t.previewCorrectReach({
      copies: big,
      stale: big,
      added: big,
      queued: big,
      dropped: big,
      minutes: 30,
    });
    const size = frame(t.previewCorrect(t.bulletinNumber(big)), footer);
    expect(size).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT - BULLETIN_BLOCK_MAX);
  });

  it("a new bulletin and a withdrawal", () => {
    expect(frame(t.previewPublish, t.previewReach(big, 30))).toBeLessThanOrEqual(
      TELEGRAM_TEXT_LIMIT - BULLETIN_BLOCK_MAX,
    );
    const withdraw = t.previewWithdrawReach({ copies: big, queued: big, minutes: 30 });
    expect(frame(t.previewWithdraw(t.bulletinNumber(big)), withdraw)).toBeLessThanOrEqual(
      TELEGRAM_TEXT_LIMIT - BULLETIN_BLOCK_MAX,
    );
  });
});
