/** Reading what follows /iscriviti, /disiscriviti and /silenzioso: lists of names, "tutti", "nazionali", quiet hours. */
import { describe, expect, it } from "vitest";
import {
  readEverything,
  readNational,
  readQuietHours,
  splitNames,
} from "../../../src/bot/features/subscriptions-input.js";

describe("everything and national", () => {
  it("reads the words people use for every bulletin", () => {
    for (const t of [
      "tutti",
      "Tutto",
      "TUTTE",
      "all",
      "tutti gli aggiornamenti",
      "tutti!",
      "everything",
      "all updates",
    ])
      expect(readEverything(t), t).toBe(true);
    for (const t of ["Genova", "tutti Genova", "", "nazionali", "tuttì i comuni di Genova"])
      expect(readEverything(t), t).toBe(false);
  });

  it("reads the words for national bulletins only", () => {
    for (const t of [
      "nazionali",
      "Nazionale",
      "solo nazionali",
      "solo i nazionali",
      "solo quelli nazionali",
      "national",
      "only national",
      "aggiornamenti nazionali",
    ])
      expect(readNational(t), t).toBe(true);
    for (const t of ["tutti", "Genova nazionali", "nazione", ""]) expect(readNational(t), t).toBe(false);
  });
});

describe("splitNames", () => {
  // A small world of names, as the comuni index would answer.
  const names = new Set([
    "genova",
    "parma",
    "verona",
    "la spezia",
    "erto e casso",
    "bari sardo",
    "bari",
    "sesto",
    "ne",
  ]);
  const isName = (s: string) => names.has(s.toLowerCase());
  // The forgiving lookup: one typo away from a known name.
  const resolves = (s: string) => ["sesto san giovani", "genva"].includes(s.toLowerCase());
  const split = (t: string) => splitNames(t, isName, resolves);

  it("splits at commas, semicolons and new lines", () => {
    expect(split("Genova, Parma")).toEqual(["Genova", "Parma"]);
    expect(split("Genova;Parma ,\nVerona,,")).toEqual(["Genova", "Parma", "Verona"]);
  });

  it("splits at e/and only between names, and keeps names that contain them", () => {
    expect(split("Genova e Parma")).toEqual(["Genova", "Parma"]);
    expect(split("Genova and Parma & Verona")).toEqual(["Genova", "Parma", "Verona"]);
    expect(split("Erto e Casso")).toEqual(["Erto e Casso"]);
    expect(split("Genova e Erto e Casso")).toEqual(["Genova", "Erto e Casso"]);
  });

  it("splits words into names when every part is one, with as few parts as possible", () => {
    expect(split("Genova Parma")).toEqual(["Genova", "Parma"]);
    expect(split("genova parma verona la spezia")).toEqual(["genova", "parma", "verona", "la spezia"]);
    expect(split("Bari Sardo")).toEqual(["Bari Sardo"]);
    expect(split("Bari Sardo Genova")).toEqual(["Bari Sardo", "Genova"]);
  });

  it("keeps a name with a typo whole when the lookup forgives it, else splits around the names it finds", () => {
    expect(split("Sesto San Giovani")).toEqual(["Sesto San Giovani"]);
    expect(split("Genva")).toEqual(["Genva"]);
    expect(split("Genova Prma")).toEqual(["Genova", "Prma"]);
    expect(split("Reggio Emilia La Spezia")).toEqual(["Reggio Emilia", "La Spezia"]);
    expect(split("Genova Prma e Verona")).toEqual(["Genova", "Prma", "Verona"]);
    expect(split("Atlantide")).toEqual(["Atlantide"]);
  });

  it("a connector with nothing on one side is dropped", () => {
    expect(split("Genova e")).toEqual(["Genova"]);
    expect(split("e Genova")).toEqual(["Genova"]);
    expect(split("Genova, e Parma")).toEqual(["Genova", "Parma"]);
    expect(split("e")).toEqual([]);
  });
});

describe("readQuietHours", () => {
  it("reads spans as people write them, across midnight or not", () => {
    expect(readQuietHours("23-7")).toEqual({ from: 23 * 60, to: 7 * 60 });
    expect(readQuietHours("23:30-07:00")).toEqual({ from: 23 * 60 + 30, to: 7 * 60 });
    expect(readQuietHours("23.30 - 7.15")).toEqual({ from: 1410, to: 435 });
    expect(readQuietHours("dalle 22 alle 6")).toEqual({ from: 1320, to: 360 });
    expect(readQuietHours("from 1 to 24")).toEqual({ from: 60, to: 0 });
    expect(readQuietHours("13–15")).toEqual({ from: 780, to: 900 });
    expect(readQuietHours("0-8")).toEqual({ from: 0, to: 480 });
    // Read by the shared reader of quiet hours, which also takes two times with only a space between.
    expect(readQuietHours("23 7")).toEqual({ from: 23 * 60, to: 7 * 60 });
    expect(readQuietHours("11pm-7am")).toEqual({ from: 23 * 60, to: 7 * 60 });
  });

  it("reads off", () => {
    for (const t of ["off", "OFF", "no", "nessuno", "none", "off."]) expect(readQuietHours(t), t).toBe("off");
  });

  it("refuses what is not a span of two different times", () => {
    for (const t of ["", "23", "25-7", "23-7-9", "23:60-7", "7-7", "0-24", "stanotte", "24:30-7"])
      expect(readQuietHours(t), t).toBeUndefined();
  });
});
