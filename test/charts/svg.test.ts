import { describe, expect, it } from "vitest";
import { CHART_LABELS } from "../../src/charts/labels.js";
import { textWidth } from "../../src/charts/metrics.js";
import {
  CHART_WIDTH,
  escapeXml,
  fitText,
  progressLine,
  shareRows,
  sharesChartSvg,
  sourceLine,
  turnoutChartSvg,
  turnoutSeries,
} from "../../src/charts/svg.js";
import type { RoundResult } from "../../src/data/model.js";
import { ANDRIA_2025_TURNOUT, PARMA_2017, VICENZA_2018 } from "./fixtures.js";

/** The text a reader sees: each <text> element's content, tags removed, entities decoded, in order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

/** A shape check of the XML: every text content is free of raw "<" and "&" that is not an entity. */
function expectWellEscaped(svg: string): void {
  for (const m of svg.matchAll(/>([^<]*)</g)) expect(m[1]).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
  expect(svg.startsWith("<svg ")).toBe(true);
  expect(svg.trim().endsWith("</svg>")).toBe(true);
}

const round = (over: Partial<RoundResult>): RoundResult => ({ ...VICENZA_2018, ...over });

describe("sharesChartSvg", () => {
  it("titles the comune and prints each candidate with Italian shares and votes, largest first", () => {
    const svg = sharesChartSvg({ comune: "Vicenza", kind: "first", round: VICENZA_2018 });
    const t = texts(svg);
    expect(t[0]).toBe("Vicenza");
    expect(t).toContain("Primo turno · domenica 10 giugno 2018");
    expect(t).toContain("Dati definitivi");
    expect(t).toContain("50,64%");
    expect(t).toContain("24.271 voti");
    expect(t).toContain("21.985 voti");
    expect(t).toContain("0,68%");
    expect(t).toContain("324 voti");
    const names = VICENZA_2018.candidates.map((c) => c.name);
    const order = names.map((n) => t.indexOf(n));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(t).toContain("eletto sindaco");
    expect(t).toContain("Siamo Veneto");
    expect(svg).toContain(`width="${CHART_WIDTH}"`);
    expectWellEscaped(svg);
  });

  it("prints the source and the update time in Europe/Rome, with the date", () => {
    const t = texts(sharesChartSvg({ comune: "Vicenza", kind: "first", round: VICENZA_2018 }));
    expect(t.at(-1)).toBe("Fonte: Ministero dell'Interno · aggiornamento 10/10/2018 13:09");
    // An instant given in UTC is shown in Rome's time: summer (+2), winter (+1), past midnight.
    const at = (iso: string) =>
      texts(
        sharesChartSvg({
          comune: "Vicenza",
          kind: "first",
          round: round({ provenance: { ...VICENZA_2018.provenance, at: iso } }),
        }),
      ).at(-1);
    expect(at("2017-06-11T21:15:00Z")).toBe("Fonte: Ministero dell'Interno · aggiornamento 11/06/2017 23:15");
    expect(at("2018-01-10T12:00:00Z")).toBe("Fonte: Ministero dell'Interno · aggiornamento 10/01/2018 13:00");
    expect(at("2017-06-11T22:30:00Z")).toBe("Fonte: Ministero dell'Interno · aggiornamento 12/06/2017 00:30");
    // Without a time at the source, no time is invented.
    const noTime = sharesChartSvg({
      comune: "Vicenza",
      kind: "first",
      round: round({ provenance: { source: "Comune di Vicenza", urls: [], status: "final" } }),
    });
    expect(texts(noTime).at(-1)).toBe("Fonte: Comune di Vicenza");
  });

  it("shows the count's progress while counting, with thousands separators", () => {
    const partial = round({
      sections: { counted: 412, total: 655 },
      provenance: { ...VICENZA_2018.provenance, status: "partial" },
    });
    const t = texts(sharesChartSvg({ comune: "Vicenza", kind: "first", round: partial }));
    expect(t).toContain("Sezioni scrutinate 412 su 655");
    expect(t).toContain("62,9%");
    expect(t).not.toContain("Dati definitivi");
    const big = round({ sections: { counted: 1234, total: 2600 }, provenance: { ...partial.provenance } });
    expect(progressLine(big, CHART_LABELS.it)).toBe("Sezioni scrutinate 1.234 su 2.600");
    expect(progressLine(big, CHART_LABELS.en)).toBe("Sections counted: 1,234 of 2,600");
    const unknown = round({ sections: undefined, provenance: { ...partial.provenance } });
    expect(progressLine(unknown, CHART_LABELS.it)).toBe("Dati parziali");
  });

  it("escapes names, coalitions, comune and source, and drops control characters", () => {
    const svg = sharesChartSvg({
      comune: 'Sant\'Angelo <Lodigiano> & "Co"',
      kind: "runoff",
      round: round({
        candidates: [
          { name: "Rossi & <Bianchi>", coalition: "Lista <A> & B", votes: 10, lists: [] },
          { name: "Verdi\u0007\u202e Neri", votes: 5, lists: [] },
        ],
        provenance: { source: "Comune & <Prefettura>", urls: [], status: "partial" },
      }),
    });
    expect(svg).toContain("Rossi &amp; &lt;Bianchi&gt;");
    expect(svg).toContain("Lista &lt;A&gt; &amp; B");
    expect(svg).toContain("Sant&apos;Angelo &lt;Lodigiano&gt; &amp; &quot;Co&quot;");
    expect(svg).toContain("Comune &amp; &lt;Prefettura&gt;");
    expect(svg).not.toContain("<Bianchi>");
    expect(svg).not.toContain("\u0007");
    expect(svg).not.toContain("\u202e");
    const t = texts(svg);
    expect(t).toContain("Rossi & <Bianchi>");
    expect(t).toContain("Verdi Neri");
    expect(t).toContain("Ballottaggio · domenica 10 giugno 2018");
    // Shares from votes where the source gives none: 10 of 15.
    expect(t).toContain("66,67%");
    expectWellEscaped(svg);
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
  });

  it("speaks English to English clients, figures written the English way", () => {
    const t = texts(sharesChartSvg({ comune: "Vicenza", kind: "first", round: VICENZA_2018, lang: "en" }));
    expect(t).toContain("First round · Sunday, 10 June 2018");
    expect(t).toContain("Final results");
    expect(t).toContain("24,271 votes");
    expect(t).toContain("50.64%");
    expect(t).toContain("elected mayor");
    expect(t.at(-1)).toBe("Source: Ministero dell'Interno · updated 10/10/2018 13:09 Italian time");
  });

  it("marks the runoff pair the source states", () => {
    const t = texts(sharesChartSvg({ comune: "Parma", kind: "first", round: PARMA_2017 }));
    expect(t.filter((s) => s.startsWith("al ballottaggio"))).toEqual([
      "al ballottaggio · Effetto Parma",
      "al ballottaggio · centrosinistra",
    ]);
  });

  it("keeps a long name inside the picture", () => {
    const name = "Maria Assunta Giovanna Cristina Bentivoglio Castelbarco Visconti di Modrone";
    const svg = sharesChartSvg({
      comune: "Castelnuovo di Garfagnana e San Giovanni Lupatoto in Val di Non",
      kind: "first",
      round: round({
        candidates: [
          { name, percent: 51.2, lists: [] },
          { name: "B", percent: 48.8, lists: [] },
        ],
      }),
    });
    const printed = texts(svg).find((s) => s.startsWith("Maria Assunta"))!;
    expect(printed.endsWith("…")).toBe(true);
    // Name, gap and the share fit in the width between the margins.
    expect(textWidth(printed, 40, true) + 32 + textWidth("51,2%", 44, true)).toBeLessThanOrEqual(CHART_WIDTH - 112);
    const title = texts(svg)[0]!;
    expect(textWidth(title, 48, true)).toBeLessThanOrEqual(CHART_WIDTH - 112);
  });

  it("says so when no vote is counted yet, with bars empty and shares as dashes", () => {
    const t = texts(
      sharesChartSvg({
        comune: "Vicenza",
        kind: "first",
        round: round({
          sections: { counted: 0, total: 112 },
          candidates: VICENZA_2018.candidates.map((c) => ({ name: c.name, lists: [] })),
          provenance: { ...VICENZA_2018.provenance, status: "partial" },
        }),
      }),
    );
    expect(t).toContain("Nessun voto scrutinato");
    expect(t).toContain("Sezioni scrutinate 0 su 112");
    expect(t.filter((s) => s === "—")).toHaveLength(6);
  });
});

describe("shareRows", () => {
  it("shows at most maxBars rows, the smallest summed as 'altri' where all of them have the figure", () => {
    const rows = shareRows(PARMA_2017, 6);
    expect(rows).toHaveLength(6);
    expect(rows.slice(0, 5).map((r) => r.name)).toEqual([
      "Federico Pizzarotti",
      "Paolo Scarpa",
      "Laura Cavandoli",
      "Daniele Ghirarduzzi",
      "Luigi Alfieri",
    ]);
    const others = rows[5]!;
    expect(others.others).toBe(true);
    expect(others.share).toBeCloseTo(1.98 + 1.98 + 1.77 + 1.25 + 0.48, 10);
    // The Parma source lists votes for the first two only: the sum of the others' votes is unknown.
    expect(others.votes).toBeUndefined();
    const t = texts(sharesChartSvg({ comune: "Parma", kind: "first", round: PARMA_2017, maxBars: 6 }));
    expect(t).toContain("Altri 5 candidati");
    expect(t).toContain("7,46%");
    // Ten candidates fit in the default ten bars.
    expect(shareRows(PARMA_2017)).toHaveLength(10);
    expect(shareRows(PARMA_2017).some((r) => r.others)).toBe(false);
  });

  it("sums the others' votes when all of them have votes", () => {
    const rows = shareRows(VICENZA_2018, 3);
    expect(rows[2]).toMatchObject({ others: true, votes: 519 + 495 + 336 + 324 });
    expect(rows[2]!.share).toBeCloseTo(1.08 + 1.03 + 0.7 + 0.68, 10);
  });

  it("derives a share from votes only when every candidate has votes, never otherwise", () => {
    const noPercent = round({ candidates: VICENZA_2018.candidates.map(({ percent: _, ...c }) => c) });
    expect(shareRows(noPercent)[0]!.share).toBeCloseTo((24271 / 47930) * 100, 10);
    const gap = round({
      candidates: [
        { name: "A", votes: 100, lists: [] },
        { name: "B", lists: [] },
      ],
    });
    expect(shareRows(gap).map((r) => r.share)).toEqual([undefined, undefined]);
    expect(shareRows(gap).map((r) => r.name)).toEqual(["A", "B"]);
  });
});

describe("turnoutChartSvg", () => {
  it("draws both curves with values, differences in points and 'finale' for the close", () => {
    const svg = turnoutChartSvg({
      area: "Andria",
      subtitle: "Regionali 2025",
      currentLabel: "2025",
      previousLabel: "2020",
      points: ANDRIA_2025_TURNOUT,
      provenance: { source: "Ministero dell'Interno", at: "2025-11-24T15:27:51+01:00" },
    });
    const t = texts(svg);
    expect(t[0]).toBe("Affluenza: Andria");
    expect(t).toContain("2025");
    expect(t).toContain("2020");
    for (const v of ["9,18%", "23,76%", "30,88%", "42,85%", "15,1%", "33,76%", "47,39%", "66,31%"])
      expect(t).toContain(v);
    expect(t).toContain("−5,92 punti");
    expect(t).toContain("−23,46 punti");
    expect(t).toContain("finale");
    // The close (Monday 15:00) comes after Sunday's 23:00.
    const times = t.filter((s) => /^\d\d:\d\d$/.test(s));
    expect(times).toEqual(["12:00", "19:00", "23:00", "15:00"]);
    expect(t.at(-1)).toBe("Fonte: Ministero dell'Interno · aggiornamento 24/11/2025 15:27");
    // Two polylines: the previous election (dashed) and this one.
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain("stroke-dasharray");
    expectWellEscaped(svg);
  });

  it("labels and figures in English", () => {
    const t = texts(turnoutChartSvg({ area: "Andria", points: ANDRIA_2025_TURNOUT, lang: "en" }));
    expect(t[0]).toBe("Turnout: Andria");
    expect(t).toContain("this election");
    expect(t).toContain("previous election");
    expect(t).toContain("final");
    expect(t).toContain("−5.92 points");
    expect(t).toContain("42.85%");
  });

  it("shows the previous curve alone before the first reading, and notes partial coverage", () => {
    const points = ANDRIA_2025_TURNOUT.map((p, i) =>
      i === 0
        ? { ...p, sections: { counted: 311, total: 1849 } }
        : { at: p.at, previousPercent: p.previousPercent, final: p.final },
    );
    const svg = turnoutChartSvg({ area: "Andria & <BAT>", points });
    const t = texts(svg);
    expect(t[0]).toBe("Affluenza: Andria & <BAT>");
    expect(t).toContain("9,18%");
    expect(t).toContain("66,31%");
    expect(t).not.toContain("23,76%");
    expect(t).toContain("311 su 1.849");
    expect(t).toContain("sezioni");
    expect(t.filter((s) => s.endsWith("punti"))).toEqual(["−5,92 punti"]);
    // No current line: one reading is a point, not a line; the previous curve is whole.
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expectWellEscaped(svg);
  });

  it("says there is nothing yet rather than drawing empty axes", () => {
    const t = texts(turnoutChartSvg({ area: "Genova", points: [] }));
    expect(t).toContain("Nessuna rilevazione di affluenza");
    expect(t.some((s) => s.endsWith("%"))).toBe(false);
  });
});

describe("turnoutSeries", () => {
  it("orders survey times, puts the close last and keeps the last reading given per time", () => {
    const s = turnoutSeries([
      { at: "19:00", percent: 40, final: false },
      { at: "23:00", percent: 60, final: true },
      { at: "12:00", percent: 15, final: false },
      { at: "19:00", percent: 41, final: false },
      { at: "22:00", final: false },
    ]);
    expect(s.map((p) => [p.at, p.percent])).toEqual([
      ["12:00", 15],
      ["19:00", 41],
      ["23:00", 60],
    ]);
  });
});

describe("text helpers", () => {
  it("fitText shortens to the width with an ellipsis and never splits a surrogate pair", () => {
    expect(fitText("Genova", 500, 40)).toBe("Genova");
    const cut = fitText("Abcdefghijklmnopqrstuvwxyz", 200, 40);
    expect(cut.endsWith("…")).toBe(true);
    expect(textWidth(cut, 40)).toBeLessThanOrEqual(200);
    const emoji = fitText("🗳️🗳️🗳️🗳️🗳️🗳️", 90, 40);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("sourceLine leaves out the time when the source gives none", () => {
    expect(sourceLine({ source: "Comune di Asti" }, CHART_LABELS.it, "Europe/Rome")).toBe("Fonte: Comune di Asti");
  });
});
