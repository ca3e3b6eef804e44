import { describe, expect, it } from "vitest";
import { loadDataPack } from "../../src/data/pack.js";
import { discover, indexByCode } from "../../src/feed/discovery.js";
import { EntiResponseSchema } from "../../src/feed/schema.js";
import { comuniIndex } from "./fixtures.js";

const enti = EntiResponseSchema.parse({
  int: { file: "GEOPOLITICA COMUNALI", area: "I", dt_ele: 20260524000000 },
  enti: [
    { cod: "160000000", desc: "PUGLIA", tipo: "RE", tipo_comune: null },
    { cod: "161060000", desc: "BARLETTA-ANDRIA-TRANI", tipo: "PR", tipo_comune: null },
    { cod: "161060010", desc: "ANDRIA", tipo: "CM", tipo_comune: "M", dt_agg: 20260524120000 },
    { cod: "161060070", desc: "SAN FERDINANDO DI PUGLIA", tipo: "CM", tipo_comune: "N" },
    { cod: "161060990", desc: "NUOVO COMUNE DELL'OFANTO", tipo: "CM", tipo_comune: "N" },
    { cod: "070000000", desc: "LIGURIA", tipo: "RE", tipo_comune: null },
    { cod: "070340000", desc: "GENOVA", tipo: "PR", tipo_comune: null },
    { cod: "1070340250", desc: "GENOVA", tipo: "CM", tipo_comune: "M" },
    { cod: "1070340250", desc: "GENOVA", tipo: "CM", tipo_comune: "M" },
  ],
});

describe("discovery", () => {
  const found = discover(enti, indexByCode(comuniIndex()));

  it("joins the feed's comuni to the index through the 9-digit code", () => {
    expect(found.comuni.map((c) => [c.code, c.name, c.provinceSigla, c.regionName, c.populationBand])).toEqual([
      ["161060010", "Andria", "BT", "Puglia", "oltre-15000"],
      ["161060070", "San Ferdinando di Puglia", "BT", "Puglia", "fino-15000"],
      ["161060990", "Nuovo Comune dell'Ofanto", undefined, "Puglia", "fino-15000"],
      ["070340250", "Genova", "GE", "Liguria", "oltre-15000"],
    ]);
    // The Ministry's province code is not ISTAT's: Genova is 034 here and 010 at ISTAT.
    const genova = found.comuni.find((c) => c.name === "Genova")!;
    expect(genova).toMatchObject({ region: "07", province: "034", comune: "0250", identity: { istat: "010025" } });
  });

  it("serves a comune the index lacks under the feed's name, in its province and region", () => {
    const nuovo = found.comuni.find((c) => c.code === "161060990")!;
    expect(nuovo).toMatchObject({
      feedName: "NUOVO COMUNE DELL'OFANTO",
      identity: undefined,
      provinceName: "Barletta-Andria-Trani",
      regionName: "Puglia",
      runoff: false,
    });
    expect(found.unknown).toEqual([{ kind: "unknown-comune", code: "161060990", name: "Nuovo Comune dell'Ofanto" }]);
  });

  it("never joins by name: a code the index does not carry is unknown, whatever its name", () => {
    const index = comuniIndex().map((c) => (c.name === "Andria" ? { ...c, eligendo: undefined } : c));
    const again = discover(enti, indexByCode(index));
    expect(again.comuni[0]).toMatchObject({ name: "Andria", identity: undefined, provinceSigla: undefined });
    expect(again.unknown.map((u) => u.code)).toContain("161060010");
  });
});

describe("the band where the Ministry omits tipo_comune", () => {
  const withoutType: typeof enti = { ...enti, enti: enti.enti.map((e) => ({ ...e, tipo_comune: undefined })) };

  it("comes from the index's legal population against the rules' threshold; the Ministry's word wins where given", async () => {
    const rules = (await loadDataPack("data")).election.rules;
    const index = comuniIndex().map((c) =>
      c.name === "Andria"
        ? { ...c, population: 100_052 }
        : c.name === "San Ferdinando di Puglia"
          ? { ...c, population: 14_928 }
          : c,
    );
    const bands = (e: typeof enti, r?: typeof rules) =>
      discover(e, indexByCode(index), r).comuni.map((c) => [c.name, c.populationBand]);
    expect(bands(withoutType, rules)).toEqual([
      ["Andria", "oltre-15000"],
      ["San Ferdinando di Puglia", "fino-15000"],
      // Neither the Ministry nor the index says: unknown, the rules wait.
      ["Nuovo Comune dell'Ofanto", undefined],
      ["Genova", undefined],
    ]);
    // Without rules, as before: unknown.
    expect(bands(withoutType).map(([, b]) => b)).toEqual([undefined, undefined, undefined, undefined]);
    // tipo_comune, where present, decides.
    expect(bands(enti, rules).map(([, b]) => b)).toEqual(["oltre-15000", "fino-15000", "fino-15000", "oltre-15000"]);
  });
});
