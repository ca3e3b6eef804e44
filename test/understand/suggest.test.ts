import { describe, expect, it } from "vitest";
import {
  isFar,
  maxSuggestionDistance,
  rankSuggestions,
  type SuggestionCandidate,
  suggestionText,
} from "../../src/understand/suggest.js";
import { foldKey, wordDistance } from "../../src/understand/text.js";

/** The 25 capoluoghi that voted on 11 June 2017. */
const CAPOLUOGHI_2017 = [
  "Alessandria",
  "Asti",
  "Cuneo",
  "Como",
  "Lodi",
  "Monza",
  "Belluno",
  "Padova",
  "Verona",
  "Gorizia",
  "Genova",
  "La Spezia",
  "Parma",
  "Piacenza",
  "Lucca",
  "Pistoia",
  "Frosinone",
  "Rieti",
  "L'Aquila",
  "Lecce",
  "Taranto",
  "Catanzaro",
  "Oristano",
  "Palermo",
  "Trapani",
];

/** Every name as a candidate at its edit distance from the query, as a lookup would hand them over. */
const candidatesFor = (query: string, names = CAPOLUOGHI_2017): SuggestionCandidate<string>[] =>
  names.map((item) => ({ item, distance: wordDistance(foldKey(query), foldKey(item)) }));

describe("what is far", () => {
  it("allows 1 edit up to 5 letters, 2 up to 10, 3 beyond", () => {
    expect([1, 4, 5, 6, 10, 11, 30].map(maxSuggestionDistance)).toEqual([1, 1, 1, 2, 2, 3, 3]);
  });

  it("measures the query's letters, not its spaces or accents", () => {
    expect(isFar("Forlì", 1)).toBe(false);
    expect(isFar("Forlì", 2)).toBe(true);
    expect(isFar("l' aquila", 2)).toBe(false);
  });
});

describe("rankSuggestions", () => {
  it("never offers a far name: Padova does not suggest Genova or Parma, Roma not Verona", () => {
    expect(
      rankSuggestions(
        "Padova",
        candidatesFor(
          "Padova",
          CAPOLUOGHI_2017.filter((n) => n !== "Padova"),
        ),
      ),
    ).toEqual([]);
    expect(rankSuggestions("Roma", candidatesFor("Roma"))).toEqual([]);
    expect(wordDistance("padova", "genova")).toBe(3);
    expect(wordDistance("roma", "verona")).toBe(3);
  });

  it("offers close names", () => {
    expect(rankSuggestions("Genva", candidatesFor("Genva"))).toEqual(["Genova"]);
    expect(rankSuggestions("Parna", candidatesFor("Parna"))).toEqual(["Parma"]);
    expect(rankSuggestions("Pistoja", candidatesFor("Pistoja"))).toEqual(["Pistoia"]);
    expect(rankSuggestions("Catanzro", candidatesFor("Catanzro"))).toEqual(["Catanzaro"]);
  });

  it("ranks by closeness, then population, then the order given", () => {
    // Hypothetical places: the figures only order them.
    const c: SuggestionCandidate<string>[] = [
      { item: "B, no population", distance: 1 },
      { item: "C, small", distance: 1, population: 1_000 },
      { item: "D, exact", distance: 0, population: 10 },
      { item: "E, large", distance: 1, population: 90_000 },
      { item: "F, no population either", distance: 1 },
      { item: "G, two edits", distance: 2, population: 1_000_000 },
    ];
    expect(rankSuggestions("abcdefgh", c, 10)).toEqual([
      "D, exact",
      "E, large",
      "C, small",
      "B, no population",
      "F, no population either",
      "G, two edits",
    ]);
  });

  it("caps the list, keeps each item once at its best distance", () => {
    const same = { name: "Genova" };
    const c = [
      { item: same, distance: 2 },
      { item: { name: "Genola" }, distance: 1 },
      { item: same, distance: 1, population: 5 },
    ];
    expect(rankSuggestions("genovva", c)).toEqual([same, { name: "Genola" }]);
    expect(rankSuggestions("genovva", c, 1)).toEqual([same]);
    expect(rankSuggestions("genovva", c, 0)).toEqual([]);
  });

  it("a short query takes only one edit", () => {
    const c = [
      { item: "Bra", distance: 1 },
      { item: "Rho", distance: 2 },
    ];
    expect(rankSuggestions("Brx", c)).toEqual(["Bra"]);
  });

  it("ignores nonsense distances", () => {
    expect(rankSuggestions("Genova", [{ item: "x", distance: Number.NaN }])).toEqual([]);
  });
});

describe("suggestionText", () => {
  it("Italian, matching the number of suggestions", () => {
    expect(suggestionText("it", "Padva", [])).toBe("Non trovo «Padva». Controlla come è scritto.");
    expect(suggestionText("it", "Genva", ["Genova"])).toBe("Non trovo «Genva». Forse cercavi <b>Genova</b>?");
    expect(suggestionText("it", "San Giorgo", ["San Giorgio a Cremano", "San Giorgio Canavese"])).toBe(
      "Non trovo «San Giorgo». Forse cercavi uno di questi comuni?",
    );
    expect(suggestionText("it", "ge", ["Genova", "Gela"], { ambiguous: true })).toBe(
      "«ge» può indicare più comuni: quale cercavi?",
    );
    expect(suggestionText("it", "ge", ["Genova"], { ambiguous: true })).toBe("Forse cercavi <b>Genova</b>?");
  });

  it("English, matching the number of suggestions", () => {
    expect(suggestionText("en", "Padva", [])).toBe("I can't find «Padva». Please check the spelling.");
    expect(suggestionText("en", "Genva", ["Genova"])).toBe("I can't find «Genva». Did you mean <b>Genova</b>?");
    expect(suggestionText("en", "Genva", ["Genova", "Genola"])).toBe(
      "I can't find «Genva». Did you mean one of these comuni?",
    );
    expect(suggestionText("en", "ge", ["Genova", "Gela"], { ambiguous: true })).toBe(
      "«ge» matches more than one comune: which one?",
    );
  });

  it("names the kind of place, or none for a mixed list", () => {
    expect(suggestionText("it", "Ligria", ["Liguria", "Lombardia"], { kind: "region" })).toBe(
      "Non trovo «Ligria». Forse cercavi una di queste regioni?",
    );
    expect(suggestionText("it", "Pesaro", ["Pesaro e Urbino", "Pisa"], { kind: "province", ambiguous: true })).toBe(
      "«Pesaro» può indicare più province: quale cercavi?",
    );
    expect(suggestionText("it", "Bucc", ["Bucci", "Buccio"], { kind: "candidate" })).toContain(
      "uno di questi candidati",
    );
    expect(suggestionText("it", "x", ["Genova", "Liguria"], { kind: "mixed" })).toBe(
      "Non trovo «x». Forse cercavi uno di questi?",
    );
    expect(suggestionText("en", "x", ["Genova", "Liguria"], { kind: "mixed", ambiguous: true })).toBe(
      "«x» matches more than one place: which one?",
    );
    expect(suggestionText("en", "Bucc", ["Bucci", "Buccio"], { kind: "candidate" })).toContain(
      "one of these candidates",
    );
  });

  it("echoes the query safely and escapes names", () => {
    const t = suggestionText("it", "<script>\u202e", ["A & B"]);
    expect(t).toBe("Non trovo «&lt;script&gt;». Forse cercavi <b>A &amp; B</b>?");
  });
});
