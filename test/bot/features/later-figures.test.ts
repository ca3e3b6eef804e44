/**
 * The night's bulletins stay as they were said; where a figure was later made final, /ultime says so in one
 * line under the bulletin (the pack's `notes`). /info gives the electors other sources have.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataPack } from "../../../src/data/pack.js";
import { withLaterFigures } from "../../../src/views/bulletins.js";
import type { SentMessage } from "../../support/fake-bot-api/index.js";
import { type Harness, startHarness } from "../../support/harness.js";

function clockAt(iso: string): () => Date {
  const offset = Date.now() - Date.parse(iso);
  return () => new Date(Date.now() - offset);
}

const TURNOUT_IT =
  "ℹ️ Dato poi definito: affluenza del 60,07%, contro il 66,85% della tornata precedente (Ministero dell'Interno)";
const VERONA =
  "a Verona il ballottaggio è tra Federico Sboarina (centrodestra) e Patrizia Bisinella (lista Tosi), due candidati di centrodestra (affaritaliani.it, larena.it)";

describe("a bulletin whose figures were later made final", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ runtime: { now: clockAt("2017-06-12T12:00:00+02:00") } });
  });
  afterAll(async () => {
    await h.close();
  });
  const only = (msgs: SentMessage[]) => {
    expect(msgs).toHaveLength(1);
    return msgs[0]!.plain;
  };
  /** The block of the bulletin at this time, up to the next one. */
  const block = (text: string, stamp: string) => {
    const from = text.indexOf(`🕒 ${stamp}\n`);
    expect(from).toBeGreaterThan(-1);
    const next = text.indexOf("🕒", from + 1);
    return text.slice(from, next === -1 ? undefined : next).trimEnd();
  };

  it("/ultime: the 23:15 bulletin as it was said, the final figures in a line each under it", async () => {
    const text = only(await h.say("/ultime"));
    const closing = block(text, "11/06 23:15");
    expect(closing).toContain("l'affluenza definitiva è del 61,5%, contro il 67%");
    expect(closing.split("\n").slice(-2)).toEqual([TURNOUT_IT, `ℹ️ Dato poi definito: ${VERONA}`]);
    const morning = block(text, "11:45");
    expect(morning).toContain("Leoluca Orlando con il 46,08%");
    expect(morning.split("\n").slice(-3)).toEqual([
      "ℹ️ Dato poi definito: Leoluca Orlando al 46,28% (palermo.gds.it, lasicilia.it)",
      "ℹ️ Dato poi definito: all'Aquila Americo Di Benedetto al 47,01% e Pierluigi Biondi al 35,93% (ilcapoluogo.it, si24.it)",
      "ℹ️ Dato poi definito: a Catanzaro Sergio Abramo al 39,72% e Vincenzo Ciconte al 31,04% (tg24.sky.it, fanpage.it, lasicilia.it)",
    ]);
    // A bulletin whose figures stood has none.
    expect(block(text, "11/06 19:55")).not.toContain("ℹ️");
  });

  it("/ultime Verona: the same line under the 23:15 bulletin", async () => {
    const text = only(await h.say("/ultime Verona"));
    expect(text).toMatch(/^📰 Ultimi aggiornamenti su Verona\n/);
    expect(block(text, "11/06 23:15").split("\n").slice(-2)).toEqual([TURNOUT_IT, `ℹ️ Dato poi definito: ${VERONA}`]);
  });

  it("in English: the line's label in English, the figures as the pack gives them", async () => {
    const en = { userId: 2102, lang: "en" };
    for (const command of ["/news", "/news Verona"]) {
      const closing = block(only(await h.say(command, en)), "11/06 23:15");
      expect(closing.split("\n").slice(-2)).toEqual([
        "ℹ️ Later final figure: affluenza del 60,07%, contro il 66,85% della tornata precedente (Ministero dell'Interno)",
        `ℹ️ Later final figure: ${VERONA}`,
      ]);
    }
  });

  it("/info: the electors with the other sources' figures and who gives them, in both languages", async () => {
    expect(only(await h.say("/info"))).toContain(
      "👥 Elettori: 9.172.026 su una popolazione di 10.584.797\naltre fonti: 9.261.142 (si24.it, money.it), 9.208.639 (ildubbio.news)\n",
    );
    expect(only(await h.say("/info", { userId: 2103, lang: "en" }))).toContain(
      "👥 Voters: 9,172,026 out of a population of 10,584,797\nother sources: 9,261,142 (si24.it, money.it), 9,208,639 (ildubbio.news)\n",
    );
  });
});

describe("withLaterFigures", () => {
  it("gives the notes to the pack's bulletin of the pack's election only, by its id", async () => {
    const pack = await loadDataPack("data");
    const stored = { id: "chiusura-seggi", election: pack.election.id, origin: "pack", text: "…" };
    expect(withLaterFigures(stored, pack).notes?.map((n) => n.source)).toEqual([
      "Ministero dell'Interno",
      "affaritaliani.it, larena.it",
    ]);
    // The newsroom's or the feed's bulletin with the same id, or the pack's of another election: none.
    expect(withLaterFigures({ ...stored, origin: "newsroom" }, pack).notes).toBeUndefined();
    expect(withLaterFigures({ ...stored, origin: "feed" }, pack).notes).toBeUndefined();
    expect(withLaterFigures({ ...stored, election: "comunali-2016" }, pack).notes).toBeUndefined();
    expect(withLaterFigures({ ...stored, id: "affluenza-19" }, pack).notes).toBeUndefined();
  });
});
