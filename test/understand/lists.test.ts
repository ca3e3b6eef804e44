import { describe, expect, it } from "vitest";
import { type FollowTarget, parseCommandList } from "../../src/understand/lists.js";
import { foldKey } from "../../src/understand/text.js";

const KNOWN = ["Genova", "Parma", "Verona", "La Spezia", "Capraia e Limite", "Erto e Casso", "Pesaro e Urbino"];
const known = new Set(KNOWN.map(foldKey));
const isName = (s: string) => known.has(foldKey(s));

/** The targets in short: place names, "all", "national". */
const short = (targets: FollowTarget[]) => targets.map((t) => (t.kind === "place" ? t.name : t.kind));

describe("parseCommandList", () => {
  const cases: [string, string[], boolean?][] = [
    ["Genova", ["Genova"]],
    ["Genova, Parma", ["Genova", "Parma"]],
    ["Genova,Parma", ["Genova", "Parma"]],
    ["Genova e Parma", ["Genova", "Parma"]],
    ["Genova ed Verona", ["Genova", "Verona"]],
    ["Genova, Parma e Verona", ["Genova", "Parma", "Verona"]],
    ["Genova; Parma\nVerona", ["Genova", "Parma", "Verona"]],
    ["Genova & Parma + Verona", ["Genova", "Parma", "Verona"]],
    ["a Genova e a Parma", ["Genova", "Parma"]],
    ["il comune di Genova", ["Genova"]],
    ["Genoa and Parma", ["Genoa", "Parma"]],
    ["tutti", ["all"]],
    ["tutto", ["all"]],
    ["Tutti!", ["all"]],
    ["tutti i comuni", ["all"]],
    ["all", ["all"]],
    ["everything", ["all"]],
    ["nazionali", ["national"]],
    ["solo nazionali", ["national"]],
    ["solo le nazionali", ["national"]],
    ["solo le notizie nazionali", ["national"]],
    ["national", ["national"]],
    ["national only", ["national"]],
    ["only national news", ["national"]],
    ["Genova, nazionali", ["Genova", "national"]],
    ["nazionali e Genova", ["national", "Genova"]],
    ["solo-esiti", [], true],
    ["solo esiti", [], true],
    ["outcomes only", [], true],
    ["only outcomes", [], true],
    ["Genova solo esiti", ["Genova"], true],
    ["Genova, Parma solo-esiti", ["Genova", "Parma"], true],
    ["solo esiti: Genova", ["Genova"], true],
    ["Genova, genova, GENOVA", ["Genova"]],
    ["tutti, tutto", ["all"]],
    ["", []],
    ["   ", []],
    ["per favore", []],
  ];
  it.each(cases)("%j", (args, targets, outcomesOnly = false) => {
    const r = parseCommandList(args, { isName });
    expect(short(r.targets)).toEqual(targets);
    expect(r.outcomesOnly).toBe(outcomesOnly);
  });

  it("keeps names that hold 'e' whole when it knows them", () => {
    expect(short(parseCommandList("Capraia e Limite", { isName }).targets)).toEqual(["Capraia e Limite"]);
    expect(short(parseCommandList("Capraia e Limite, Genova e Parma", { isName }).targets)).toEqual([
      "Capraia e Limite",
      "Genova",
      "Parma",
    ]);
    expect(short(parseCommandList("Genova e Erto e Casso e Parma", { isName }).targets)).toEqual([
      "Genova",
      "Erto e Casso",
      "Parma",
    ]);
    expect(short(parseCommandList("Pesaro e Urbino", { isName }).targets)).toEqual(["Pesaro e Urbino"]);
  });

  it("without a name check every 'e' separates", () => {
    expect(short(parseCommandList("Capraia e Limite").targets)).toEqual(["Capraia", "Limite"]);
  });

  it("gives each place the readings to try: the article and the Italian name", () => {
    const [spezia, genoa] = parseCommandList("alla Spezia, Genoa").targets;
    expect(spezia).toEqual({ kind: "place", name: "Spezia", alternatives: ["la Spezia"] });
    expect(genoa).toEqual({ kind: "place", name: "Genoa", alternatives: ["Genova"] });
  });

  it("a name that is also a greeting is still a place in a list", () => {
    expect(short(parseCommandList("Salve, Genova").targets)).toEqual(["Salve", "Genova"]);
  });

  it("asks about a bounded number of joins, however long the list", () => {
    let calls = 0;
    const counting = (s: string) => {
      calls++;
      return isName(s);
    };
    const names = Array.from({ length: 200 }, (_, i) => `Posto${i}`);
    const r = parseCommandList(names.join(" e "), { isName: counting });
    expect(r.targets).toHaveLength(200);
    expect(calls).toBeLessThan(200 * 8);
  });

  it("never throws on odd input", () => {
    for (const s of [",,,", "e e e", "&&", "🇮🇹", "x".repeat(5000), "a, , b"]) {
      expect(() => parseCommandList(s, { isName })).not.toThrow();
    }
    expect(short(parseCommandList(",,,").targets)).toEqual([]);
  });
});
