/** Reading a newsroom bulletin from a command: text, formatting, tags, and what stops it, over the shipped pack. */
import { beforeAll, describe, expect, it } from "vitest";
import { composeBulletin, hashtags, suggestTag, tagFor } from "../../../src/bot/newsroom/compose.js";
import { type DataPack, loadDataPack } from "../../../src/data/pack.js";
import { codeOf } from "../../../src/data/places.js";

let pack: DataPack;
beforeAll(async () => {
  pack = await loadDataPack("data");
});

/** The codes the comuni of these names are kept by. */
const codes = (...names: string[]) => names.map((n) => codeOf(pack.byKey(n)!));

/** The bulletin after `/pubblica `, with entities given as [part, type, url?]. */
function compose(body: string, entities: [string, string, string?][] = []) {
  const text = `/pubblica ${body}`;
  return composeBulletin(
    {
      text,
      entities: entities.map(([part, type, url]) => ({
        type,
        offset: text.indexOf(part),
        length: part.length,
        ...(url ? { url } : {}),
      })),
    },
    "/pubblica ".length,
    pack,
  );
}

describe("composeBulletin", () => {
  it("reads the text, the comuni its tags name, and keeps HTML only when there is formatting", () => {
    expect(compose("Affluenza alle 19 a Genova: 42,35% #Genova #LAquila #L_Aquila")).toEqual({
      ok: true,
      text: "Affluenza alle 19 a Genova: 42,35% #Genova #LAquila #L_Aquila",
      comuni: codes("Genova", "L'Aquila"),
    });
    expect(compose("Affluenza: 42,35% <subito>", [["42,35%", "bold"]])).toEqual({
      ok: true,
      text: "Affluenza: 42,35% <subito>",
      html: "Affluenza: <b>42,35%</b> &lt;subito&gt;",
      comuni: [],
    });
  });

  it("refuses empty text, tags or punctuation alone, and what is too long", () => {
    expect(compose("")).toEqual({ ok: false, reason: "empty" });
    for (const body of ["#", "#Genova", "#Genova #Parma", "...", "— !? —", "🗳️", "#Genova …"])
      expect(compose(body), body).toEqual({ ok: false, reason: "no-text" });
    expect(compose("x".repeat(3001))).toEqual({ ok: false, reason: "too-long" });
    const links = Array.from({ length: 60 }, (_, i) => `link${i}`).join(" ");
    expect(
      compose(
        links,
        links
          .split(" ")
          .map((w) => [w, "text_link", `https://example.org/${"a".repeat(40)}/${w}`] as [string, string, string]),
      ),
    ).toEqual({ ok: false, reason: "too-much-formatting" });
  });

  it("a misspelt tag: the closest comune, and the whole bulletin with the right tag, formatting kept", () => {
    const r = compose("Seggi chiusi a #Genva: affluenza 60%", [["Seggi chiusi", "bold"]]);
    expect(r).toMatchObject({ ok: false, reason: "unknown-tags" });
    if (r.ok || r.reason !== "unknown-tags") throw new Error("unexpected");
    expect(r.unknown.map((u) => [u.tag, u.suggestion?.name])).toEqual([["Genva", "Genova"]]);
    expect(r.fixed).toEqual({
      text: "Seggi chiusi a #Genova: affluenza 60%",
      html: "<b>Seggi chiusi</b> a #Genova: affluenza 60%",
      comuni: codes("Genova"),
    });
  });

  it("the fix moves the formatting after a tag along, keeps a tag's own, and is not offered when formatting cuts a tag", () => {
    const after = compose("Seggi chiusi a #Genva e #Palremo: affluenza 60%", [
      ["#Palremo", "italic"],
      ["affluenza 60%", "text_link", "https://example.org/a?b=1&c=2"],
    ]);
    if (after.ok || after.reason !== "unknown-tags") throw new Error("unexpected");
    expect(after.fixed).toEqual({
      text: "Seggi chiusi a #Genova e #Palermo: affluenza 60%",
      html: 'Seggi chiusi a #Genova e <i>#Palermo</i>: <a href="https://example.org/a?b=1&amp;c=2">affluenza 60%</a>',
      comuni: codes("Genova", "Palermo"),
    });
    const cut = compose("Seggi chiusi a #Genva", [["Genva", "bold"]]);
    if (cut.ok || cut.reason !== "unknown-tags") throw new Error("unexpected");
    expect(cut.unknown.map((u) => u.suggestion?.name)).toEqual(["Genova"]);
    expect(cut.fixed).toBeUndefined();
  });

  it("leaves out the blanks and invisible characters at the ends, from the text and from its HTML", () => {
    expect(compose("  \u200b Seggi chiusi \n", [["Seggi chiusi \n", "bold"]])).toEqual({
      ok: true,
      text: "Seggi chiusi",
      html: "<b>Seggi chiusi</b>",
      comuni: [],
    });
  });

  it("offers nothing far away, and no fix while a tag has no suggestion", () => {
    expect(suggestTag(pack, "Atlantide")).toBeUndefined();
    expect(suggestTag(pack, "Gen")).toBeUndefined();
    expect(suggestTag(pack, "Palremo")?.name).toBe("Palermo");
    const r = compose("Risultati a #Atlantide e #Genva");
    if (r.ok || r.reason !== "unknown-tags") throw new Error("unexpected");
    expect(r.unknown.map((u) => [u.tag, u.suggestion?.name])).toEqual([
      ["Atlantide", undefined],
      ["Genva", "Genova"],
    ]);
    expect(r.fixed).toBeUndefined();
  });

  it("a comune's tag resolves back to it; a homonym's tag carries its province", () => {
    for (const name of ["Reggio nell'Emilia", "L'Aquila", "Genova", "Castro (BG)", "Castro (LE)"]) {
      const c = pack.index.exactly(name)[0]!;
      const tag = tagFor(c.label);
      expect(tag).toMatch(/^#[\p{L}\p{N}_']+$/u);
      expect(compose(`Risultati ${tag}`), name).toMatchObject({ ok: true, comuni: [codeOf(c)] });
    }
    expect(tagFor("Castro (LE)")).toBe("#Castro_LE");
  });

  it("a tag two comuni answer to is never guessed: both are named, the other tags kept for after the choice", () => {
    const r = compose("Seggi aperti #Castro e #Genova");
    expect(r).toMatchObject({ ok: false, reason: "ambiguous-tags", bulletin: { comuni: codes("Genova") } });
    if (r.ok || r.reason !== "ambiguous-tags") throw new Error("not ambiguous");
    expect(r.ambiguous.map((a) => [a.tag, a.comuni.map((c) => c.label)])).toEqual([
      ["Castro", ["Castro (LE)", "Castro (BG)"]],
    ]);
  });

  it("an address's anchor is not a tag", () => {
    expect(hashtags("dati su https://elezioni.interno.gov.it/#comunali e #Genova, c#sharp")).toEqual(["Genova"]);
    expect(compose("Dati: https://elezioni.interno.gov.it/#comunali")).toMatchObject({ ok: true, comuni: [] });
  });
});
