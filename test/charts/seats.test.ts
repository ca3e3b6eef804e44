/** The council's seats chart: one cell per seat, the mayor's first, the majority marked; its words in both languages. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { majorityOfCouncil, seatsChartSvg } from "../../src/charts/seats.js";
import type { ComuneResults } from "../../src/data/model.js";
import { ElectionSchema } from "../../src/data/schema.js";
import { councilSeats } from "../../src/data/seats.js";

const rules = ElectionSchema.parse(JSON.parse(readFileSync("data/election.json", "utf8"))).rules;

function comune(counted: number): ComuneResults {
  return {
    name: "Vicenza",
    province: "VI",
    region: "Veneto",
    capoluogo: true,
    populationBand: "oltre-15000",
    aliases: [],
    firstRound: {
      date: "2018-06-10",
      councilSeats: 32,
      sections: { counted, total: 112 },
      candidates: [
        {
          name: "Anna Rossi",
          votes: 30_000,
          lists: [
            { name: "Uno", votes: 20_000 },
            { name: "Due", votes: 8_000 },
          ],
        },
        { name: "Bruno Verdi", votes: 18_000, lists: [{ name: "Tre", votes: 17_000 }] },
        { name: "Carla Neri", votes: 4_000, lists: [{ name: "Quattro", votes: 3_900 }] },
      ],
      turnout: [],
      provenance: { source: "Ministero dell'Interno", urls: [], status: counted === 112 ? "final" : "partial" },
    },
  } as ComuneResults;
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1]!.replace(/&apos;/g, "'"));

describe("the seats chart", () => {
  const council = councilSeats(comune(112), rules);
  if (council.kind !== "allocation") throw new Error(council.kind);

  it("draws a cell per seat with the mayor's, and marks the majority of the council", () => {
    expect(council.bonus).toBe("applied");
    const svg = seatsChartSvg({ comune: "Vicenza", council });
    const cells = [...svg.matchAll(/<rect [^>]*height="64" rx="3" fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
    expect(cells).toHaveLength(33); // 32 councillors and the mayor
    const mayorColour = cells[0];
    // The mayor and the 20 seats of the bonus, in the mayor's colour, first.
    expect(cells.filter((c) => c === mayorColour)).toHaveLength(21);
    expect(cells.slice(0, 21).every((c) => c === mayorColour)).toBe(true);
    expect(majorityOfCouncil(32)).toBe(17);
    expect(svg).toContain('data-majority="17"');
    expect(texts(svg)).toEqual([
      "Consiglio comunale di Vicenza",
      "32 seggi oltre al sindaco · maggioranza: 17",
      "maggioranza: 17",
      "20 seggi",
      "Anna Rossi (sindaco)",
      expect.stringMatching(/^\d+ seggi \(candidato compreso\)$/),
      "Bruno Verdi",
      expect.stringMatching(/^\d+ seggi? \(candidato compreso\)$/),
      "Carla Neri",
      "Premio di maggioranza alle liste del sindaco",
      "Calcolo del bot secondo la legge",
    ]);
  });

  it("says a projection is one, and speaks English to an English client", () => {
    const partial = councilSeats(comune(40), rules);
    if (partial.kind !== "allocation") throw new Error(partial.kind);
    const svg = seatsChartSvg({ comune: "Vicenza", council: partial, lang: "en" });
    expect(texts(svg)).toContain("Projection on the votes of 40 sections of 112");
    expect(texts(svg)).toContain("City council of Vicenza");
    expect(texts(svg)).toContain("Anna Rossi (mayor)");
  });

  it("escapes the names it prints", () => {
    const odd = { ...council, groups: council.groups.map((g) => ({ ...g, candidate: `${g.candidate} <&>` })) };
    const svg = seatsChartSvg({ comune: "Roma", council: odd });
    expect(svg).not.toContain("<&>");
    expect(svg).toContain("Anna Rossi &lt;&amp;&gt; (sindaco)");
  });
});
