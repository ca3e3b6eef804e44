import { describe, expect, it } from "vitest";
import { EXONYMS, italianName } from "../../src/understand/exonyms.js";
import { foldKey } from "../../src/understand/text.js";

describe("italianName", () => {
  it.each([
    ["Genoa", "Genova"],
    ["Rome", "Roma"],
    ["Milan", "Milano"],
    ["Venice", "Venezia"],
    ["Florence", "Firenze"],
    ["Naples", "Napoli"],
    ["Turin", "Torino"],
    ["Padua", "Padova"],
    ["Syracuse", "Siracusa"],
    ["Leghorn", "Livorno"],
    ["Mantua", "Mantova"],
    ["Sardinia", "Sardegna"],
    ["Aosta Valley", "Valle d'Aosta"],
    ["Mailand", "Milano"],
    ["Bozen", "Bolzano"],
    ["Gênes", "Genova"],
    ["Nápoles", "Napoli"],
  ])("%s → %s", (foreign, italian) => {
    expect(italianName(foreign)).toBe(italian);
  });

  it("folds case, accents and spaces", () => {
    expect(italianName("GENOA")).toBe("Genova");
    expect(italianName("  florence ")).toBe("Firenze");
    expect(italianName("Milán")).toBe("Milano");
    expect(italianName("aosta-valley")).toBe("Valle d'Aosta");
  });

  it("knows nothing of Italian names or strangers", () => {
    expect(italianName("Genova")).toBeUndefined();
    expect(italianName("Paris")).toBeUndefined();
    expect(italianName("")).toBeUndefined();
  });

  it("never maps a name to itself, and keys are folded", () => {
    for (const [key, italian] of EXONYMS) {
      expect(key).toBe(foldKey(key));
      expect(foldKey(italian)).not.toBe(key);
    }
  });

  it("no foreign name is an Italian capoluogo's name", () => {
    // The whole table was checked against ISTAT's 7,978 comuni; the capoluoghi are the likeliest clash.
    const capoluoghi = ["Genova", "Roma", "Milano", "Venezia", "Firenze", "Napoli", "Torino", "Padova", "Trento"];
    for (const c of capoluoghi) expect(EXONYMS.has(foldKey(c))).toBe(false);
  });
});
