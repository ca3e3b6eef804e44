import { describe, expect, it } from "vitest";
import { fold, foldKey, tokenize, wordDistance } from "../../src/understand/text.js";

describe("fold and foldKey", () => {
  it("lowercases, drops accents, unifies apostrophes", () => {
    expect(fold("Città È Forlì")).toBe("citta e forli");
    expect(fold("L’Aquila")).toBe("l'aquila");
    expect(fold("Cittá")).toBe(fold("Citta\u0301"));
  });

  it("keys keep letters and digits only", () => {
    expect(foldKey("L'Aquila")).toBe("laquila");
    expect(foldKey("Reggio nell’Emilia")).toBe("reggionellemilia");
    expect(foldKey("Emilia-Romagna 🗳")).toBe("emiliaromagna");
    expect(foldKey("Giovanni XXIII")).toBe("giovannixxiii");
  });
});

describe("tokenize", () => {
  const keys = (s: string) => tokenize(s).map((t) => t.key);
  const texts = (s: string) => tokenize(s).map((t) => t.text);

  it("splits on spaces, punctuation and emoji", () => {
    expect(keys("🗳 chi ha vinto a Genova?? 🤔")).toEqual(["chi", "ha", "vinto", "a", "genova"]);
    expect(keys("genova,parma;verona")).toEqual(["genova", "parma", "verona"]);
  });

  it("an apostrophe ends an elided word", () => {
    expect(texts("all'Aquila")).toEqual(["all'", "Aquila"]);
    expect(texts("com’è andata")).toEqual(["com’", "è", "andata"]);
    expect(texts("dell' Aquila")).toEqual(["dell'", "Aquila"]);
    expect(tokenize("l'Aquila")[0]!.elided).toBe(true);
  });

  it("a closing quote is not part of a word", () => {
    expect(texts("'Genova' e 'Parma'")).toEqual(["Genova", "e", "Parma"]);
    expect(tokenize("'Genova'")[0]).toMatchObject({ start: 1, end: 7, elided: false });
  });

  it("remembers where each word stands, to quote the original back", () => {
    const text = "chi ha vinto a GeNova?";
    const t = tokenize(text).at(-1)!;
    expect(text.slice(t.start, t.end)).toBe("GeNova");
  });

  it("marks numbers", () => {
    expect(tokenize("ultime 3 genova").map((t) => t.numeric)).toEqual([false, true, false]);
    expect(tokenize("11pm")[0]!.numeric).toBe(false);
  });

  it("skips scripts that fold to nothing", () => {
    expect(keys("Москва Genova")).toEqual(["genova"]);
  });
});

describe("wordDistance", () => {
  it("counts edits, a transposition as one", () => {
    expect(wordDistance("genova", "genova")).toBe(0);
    expect(wordDistance("genva", "genova")).toBe(1);
    expect(wordDistance("gneova", "genova")).toBe(1);
    expect(wordDistance("padova", "genova")).toBe(3);
    expect(wordDistance("", "abc")).toBe(3);
  });

  it("gives up past max with max + 1", () => {
    expect(wordDistance("padova", "genova", 2)).toBe(3);
    expect(wordDistance("a", "abcdef", 2)).toBe(3);
  });
});
