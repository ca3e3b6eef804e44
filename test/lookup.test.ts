import { beforeAll, describe, expect, it } from "vitest";
import { editDistance, type LookupResult, NameIndex, type NameLookup, nameKey } from "../src/data/lookup.js";
import { loadDataPack } from "../src/data/pack.js";
import type { KnownComune } from "../src/data/places.js";

interface Place {
  name: string;
  aliases?: string[];
}

const synthetic: Place[] = [
  { name: "San Giorgio a Cremano" },
  { name: "San Giorgio Canavese" },
  { name: "Forlì" },
  { name: "Reggio nell'Emilia", aliases: ["Reggio Emilia"] },
  { name: "Reggio di Calabria", aliases: ["Reggio Calabria"] },
  { name: "Bra" },
  { name: "Rho" },
  { name: "Sant'Agata de' Goti" },
];

const names = (r: LookupResult<{ name: string }>): string[] =>
  "suggestions" in r ? r.suggestions.map((x) => x.name) : [];
const found = (r: LookupResult<{ name: string }>): string | undefined => (r.kind === "found" ? r.item.name : undefined);

describe("nameKey", () => {
  it("folds case, accents, apostrophes and spaces", () => {
    expect(nameKey("Forlì")).toBe("forli");
    expect(nameKey("forli")).toBe("forli");
    expect(nameKey("FORLÌ")).toBe("forli");
    expect(nameKey("L'Aquila")).toBe("laquila");
    expect(nameKey("l aquila")).toBe("laquila");
    expect(nameKey("LAQUILA")).toBe("laquila");
    expect(nameKey("l’aquila")).toBe("laquila");
    expect(nameKey("  Sant'Agata   de' Goti ")).toBe("santagatadegoti");
    expect(nameKey("Emilia-Romagna")).toBe("emiliaromagna");
  });

  it("treats precomposed and decomposed accents alike", () => {
    expect(nameKey("Forl\u00ec")).toBe(nameKey("Forli\u0300"));
  });

  it("leaves nothing of emoji, punctuation or markup-only text", () => {
    expect(nameKey("🏛🗳")).toBe("");
    expect(nameKey("  '’-.  ")).toBe("");
    expect(nameKey("<>&")).toBe("");
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("genova", "genova")).toBe(0);
    expect(editDistance("genva", "genova")).toBe(1);
    expect(editDistance("genova", "genva")).toBe(1);
    expect(editDistance("parma", "palma")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("counts a transposition of adjacent letters as one edit", () => {
    expect(editDistance("veroan", "verona")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("abcd", "badc")).toBe(2);
  });

  it("is symmetric", () => {
    for (const [a, b] of [
      ["laquilia", "laquila"],
      ["catanzaro", "catnazro"],
      ["x", "palermo"],
    ] as const) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });

  it("stops past max with max + 1", () => {
    expect(editDistance("palermo", "genova", 2)).toBe(3);
    expect(editDistance("a", "abcdefgh", 2)).toBe(3);
    expect(editDistance("genva", "genova", 2)).toBe(1);
  });
});

describe("NameIndex over every comune of the shipped index", () => {
  let index: NameLookup<KnownComune>;
  beforeAll(async () => {
    index = (await loadDataPack("data")).index;
  });

  it("indexes all 7,978 comuni of ISTAT's list", () => {
    expect(index.size).toBe(7978);
  });

  it("finds exact names whatever the case, accents, apostrophes and spaces", () => {
    for (const q of [
      "Genova",
      "genova",
      "GENOVA",
      " Genova ",
      "L'Aquila",
      "l aquila",
      "LAQUILA",
      "l’aquila",
      "Aquila",
      "l'aquila",
      "Monza",
      "Forlì",
      "forli",
      "Sant'Agata de' Goti",
    ]) {
      const r = index.lookup(q);
      expect(r.kind, q).toBe("found");
      if (r.kind === "found") expect(r.exact, q).toBe(true);
    }
    expect(found(index.lookup("laquila"))).toBe("L'Aquila");
    expect(found(index.lookup("Spezia"))).toBe("La Spezia");
  });

  it("finds comuni that have no results too: Monza, Pavia, Roma", () => {
    for (const q of ["Monza", "Pavia", "Roma", "Milano", "Bra", "Rho"]) expect(found(index.lookup(q)), q).toBe(q);
  });

  it("forgives typos, including the source's own 'L'Aquilia'", () => {
    for (const [q, want] of [
      ["L'Aquilia", "L'Aquila"],
      ["Genvoa", "Genova"],
      ["Gnova", "Genova"],
      ["Veroan", "Verona"],
      ["Catanzzaro", "Catanzaro"],
      ["Plermo", "Palermo"],
      ["Monzza", "Monza"],
    ] as const) {
      const r = index.lookup(q);
      expect(found(r), q).toBe(want);
      if (r.kind === "found") expect(r.exact, q).toBe(false);
    }
  });

  it("a typo as close to two comuni is ambiguous, the one with results offered first: 'Genva' is Genova or Genga", () => {
    const r = index.lookup("Genva");
    expect(r.kind).toBe("ambiguous");
    expect(names(r).slice(0, 2)).toEqual(["Genova", "Genga"]);
  });

  it("a prefix many names share is ambiguous, with the comuni that have results first", () => {
    for (const [q, first] of [
      ["gen", "Genova"],
      ["pal", "Palermo"],
      ["par", "Parma"],
      ["catan", "Catanzaro"],
    ] as const) {
      const r = index.lookup(q);
      expect(r.kind, q).toBe("ambiguous");
      expect(names(r)[0], q).toBe(first);
    }
    expect(names(index.lookup("pa"))).toEqual(["Palermo", "Padova", "Parma"]);
  });

  it("never offers a far name; among equally near ones, the larger place first", () => {
    // Three letters allow one edit: Roma, Rea (432 inhabitants), Irma (147); never Lucca or Verona.
    expect(index.lookup("Rma")).toMatchObject({ kind: "not-found" });
    expect(names(index.lookup("Rma"))).toEqual(["Roma", "Rea", "Irma"]);
    // Two letters that start no name: nothing is near enough to offer.
    expect(index.lookup("xx")).toEqual({ kind: "not-found", suggestions: [] });
    // The comune itself, never its neighbours in the alphabet or in spelling.
    expect(found(index.lookup("Padova"))).toBe("Padova");
    expect(found(index.lookup("Roma"))).toBe("Roma");
    for (const q of ["Zzyzxqwvb", "Atlantide", "Gotham City"])
      for (const c of names(index.lookup(q)))
        expect(editDistance(nameKey(q), nameKey(c)), `${q} → ${c}`).toBeLessThanOrEqual(3);
  });

  it("a prefix only one name has is found", () => {
    expect(found(index.lookup("Catanzar"))).toBe("Catanzaro");
    expect(found(index.lookup("frosin"))).toBe("Frosinone");
  });

  it("homonyms in two provinces are ambiguous, both offered", () => {
    for (const q of ["Castro", "Samone", "San Teodoro", "Calliano", "Livo", "Peglio", "Valverde"]) {
      const r = index.lookup(q);
      expect(r.kind, q).toBe("ambiguous");
      const hits = "suggestions" in r ? r.suggestions : [];
      expect(
        hits.map((c) => c.name),
        q,
      ).toEqual([q, q]);
      expect(new Set(hits.map((c) => c.province)).size, q).toBe(2);
      expect(
        hits.every((c) => c.label === `${q} (${c.province})`),
        q,
      ).toBe(true);
    }
    expect(
      index
        .exactly("castro")
        .map((c) => c.label)
        .sort(),
    ).toEqual(["Castro (BG)", "Castro (LE)"]);
  });

  it("caps the number of suggestions", () => {
    expect(names(index.lookup("pa", 1))).toHaveLength(1);
    expect(names(index.lookup("pa"))).toHaveLength(3);
  });

  it("empty, emoji, markup and very long queries are not found and never throw", () => {
    for (const q of [
      "",
      "   ",
      "🏛🗳🇮🇹",
      "<b></b>",
      "&amp;&lt;",
      "x".repeat(100_000),
      "genova".repeat(5_000),
      "\u0000\u200b",
    ]) {
      let r: LookupResult<KnownComune> | undefined;
      expect(() => (r = index.lookup(q)), q.slice(0, 20)).not.toThrow();
      expect(r!.kind, q.slice(0, 20)).toBe("not-found");
    }
    expect(index.lookup("🏛")).toEqual({ kind: "not-found", suggestions: [] });
    expect(index.lookup("Zzyzxqwvb")).toEqual({ kind: "not-found", suggestions: [] });
  });
});

describe("NameIndex over a synthetic list", () => {
  const index = new NameIndex(synthetic, (p) => [p.name, ...(p.aliases ?? [])]);

  it("accents and aliases", () => {
    expect(index.lookup("forli")).toMatchObject({ kind: "found", exact: true });
    expect(found(index.lookup("FORLI'"))).toBe("Forlì");
    expect(found(index.lookup("Reggio Emilia"))).toBe("Reggio nell'Emilia");
    expect(found(index.lookup("reggio calabria"))).toBe("Reggio di Calabria");
    expect(found(index.lookup("santagata de goti"))).toBe("Sant'Agata de' Goti");
  });

  it("a prefix shared by two comuni is ambiguous and suggests both", () => {
    for (const q of ["San Giorgio", "san giorgio", "sang", "Reggio"]) {
      const r = index.lookup(q);
      expect(r.kind, q).toBe("ambiguous");
      expect(names(r).length, q).toBe(2);
    }
    expect(names(index.lookup("San Giorgio")).sort()).toEqual(["San Giorgio Canavese", "San Giorgio a Cremano"]);
  });

  it("a longer prefix disambiguates", () => {
    expect(found(index.lookup("San Giorgio C"))).toBe("San Giorgio Canavese");
    expect(found(index.lookup("san giorgio canav"))).toBe("San Giorgio Canavese");
    expect(found(index.lookup("San Giorgio a"))).toBe("San Giorgio a Cremano");
  });

  it("short names need an exact match: no typo tolerance at three letters", () => {
    expect(found(index.lookup("Bra"))).toBe("Bra");
    expect(found(index.lookup("rho"))).toBe("Rho");
    expect(index.lookup("Brx").kind).not.toBe("found");
  });

  it("a typo equally close to two names is ambiguous", () => {
    const twins = new NameIndex([{ name: "Lecco" }, { name: "Lecce" }], (p) => [p.name]);
    const r = twins.lookup("Leccu");
    expect(r.kind).toBe("ambiguous");
    expect(names(r).sort()).toEqual(["Lecce", "Lecco"]);
    expect(found(twins.lookup("Lecco"))).toBe("Lecco");
  });

  it("a priority orders equal matches, the index keeping its order otherwise", () => {
    const list = [{ name: "Genola" }, { name: "Genova" }, { name: "Genoni" }];
    const plainIndex = new NameIndex(list, (p) => [p.name]);
    expect(names(plainIndex.lookup("geno"))).toEqual(["Genola", "Genova", "Genoni"]);
    const relevant = new NameIndex(
      list,
      (p) => [p.name],
      (p) => (p.name === "Genova" ? 0 : 1),
    );
    expect(names(relevant.lookup("geno"))).toEqual(["Genova", "Genola", "Genoni"]);
    expect(relevant.rank("geno").map((x) => x.item.name)).toEqual(["Genova", "Genola", "Genoni"]);
  });

  it("two items with one name are both exact hits", () => {
    const twins = new NameIndex(
      [
        { name: "Castro", p: "BG" },
        { name: "Castro", p: "LE" },
      ],
      (x) => [x.name],
    );
    expect(twins.exactly("CASTRO").map((x) => x.p)).toEqual(["BG", "LE"]);
    expect(twins.lookup("castro")).toMatchObject({ kind: "ambiguous" });
  });

  it("an empty index finds nothing", () => {
    const empty = new NameIndex<Place>([], (p) => [p.name]);
    expect(empty.lookup("Genova")).toEqual({ kind: "not-found", suggestions: [] });
  });
});
