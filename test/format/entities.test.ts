/** Telegram's message entities to the bulletin's HTML: offsets in UTF-16 units, safe links, well-formed output. */
import { describe, expect, it } from "vitest";
import { entitiesToHtml, safeLink, type TextEntity } from "../../src/format/entities.js";
import { parseTelegramHtml } from "../support/fake-bot-api/index.js";

/** An entity over the first occurrence of `part` in `text`, offsets as Telegram counts them. */
function over(text: string, part: string, type: string, extra: Partial<TextEntity> = {}): TextEntity {
  const offset = text.indexOf(part);
  if (offset < 0) throw new Error(`"${part}" is not in the text`);
  return { type, offset, length: part.length, ...extra };
}

/** What Telegram shows for our HTML: the visible text and the entities, as the fake Bot API parses them. */
const shown = (html: string) => parseTelegramHtml(html);

describe("entitiesToHtml", () => {
  it("formats the stretch asked for, after emoji whose surrogate pairs count twice", () => {
    const text = "/pubblica 🗳️👨‍👩‍👧 Affluenza alle 19: 42,35% a Genova";
    const entities = [over(text, "/pubblica", "bot_command"), over(text, "42,35%", "bold")];
    const start = "/pubblica ".length;
    const r = entitiesToHtml(text, entities, start);
    expect(r.plain).toBe("🗳️👨‍👩‍👧 Affluenza alle 19: 42,35% a Genova");
    expect(r.html).toBe("🗳️👨‍👩‍👧 Affluenza alle 19: <b>42,35%</b> a Genova");
    const { text: visible, entities: out } = shown(r.html);
    expect(visible).toBe(r.plain);
    const bold = out.find((e) => e.type === "bold")!;
    expect(visible.slice(bold.offset, bold.offset + bold.length)).toBe("42,35%");
  });

  it("keeps bold, italic, underline, strike, spoiler, code and http(s) links", () => {
    const text = "uno due tre quattro cinque sei sette otto";
    const entities = [
      over(text, "uno", "bold"),
      over(text, "due", "italic"),
      over(text, "tre", "underline"),
      over(text, "quattro", "strikethrough"),
      over(text, "cinque", "spoiler"),
      over(text, "sei", "code"),
      over(text, "sette", "text_link", { url: "https://www.interno.gov.it/it?a=1&b=2" }),
    ];
    const r = entitiesToHtml(text, entities);
    expect(r.html).toBe(
      '<b>uno</b> <i>due</i> <u>tre</u> <s>quattro</s> <tg-spoiler>cinque</tg-spoiler> <code>sei</code> <a href="https://www.interno.gov.it/it?a=1&amp;b=2">sette</a> otto',
    );
    expect(shown(r.html).text).toBe(text);
    expect(shown(r.html).entities.find((e) => e.type === "text_link")?.url).toBe(
      "https://www.interno.gov.it/it?a=1&b=2",
    );
  });

  it("refuses links that are not http(s): the words stay, the link goes", () => {
    const text = "clicca qui oppure qua o là";
    const r = entitiesToHtml(text, [
      over(text, "qui", "text_link", { url: "javascript:alert(document.cookie)" }),
      over(text, "qua", "text_link", { url: "tg://user?id=1" }),
      over(text, "là", "text_link", { url: "not a url" }),
    ]);
    expect(r.html).toBe("clicca qui oppure qua o là");
    expect(safeLink("JavaScript:alert(1)")).toBeUndefined();
    expect(safeLink("data:text/html,<b>x</b>")).toBeUndefined();
    expect(safeLink("http://example.org/a b")).toBe("http://example.org/a%20b");
  });

  it("escapes everything the editor typed, also what looks like HTML", () => {
    const text = '<b>non grassetto</b> & "virgolette" <script>';
    const r = entitiesToHtml(text, [over(text, "virgolette", "bold")]);
    expect(r.html).toBe("&lt;b&gt;non grassetto&lt;/b&gt; &amp; &quot;<b>virgolette</b>&quot; &lt;script&gt;");
    expect(shown(r.html).text).toBe(text);
  });

  it("nests, and closes and reopens entities that overlap without nesting", () => {
    const text = "alfa beta gamma delta";
    const nested = entitiesToHtml(text, [over(text, "alfa beta gamma", "bold"), over(text, "beta", "italic")]);
    expect(nested.html).toBe("<b>alfa <i>beta</i> gamma</b> delta");
    const crossed = entitiesToHtml(text, [over(text, "alfa beta", "bold"), over(text, "beta gamma", "italic")]);
    expect(crossed.html).toBe("<b>alfa <i>beta</i></b><i> gamma</i> delta");
    const parsed = shown(crossed.html);
    expect(parsed.text).toBe(text);
  });

  it("never lets a tag span lines, and drops formatting inside code", () => {
    const text = "riga uno\nriga due\n\nfine";
    const r = entitiesToHtml(text, [over(text, "uno\nriga", "bold"), over(text, "fine", "pre")]);
    expect(r.html).toBe("riga <b>uno</b>\n<b>riga</b> due\n\n<code>fine</code>");
    for (const line of r.html.split("\n")) expect(() => shown(line)).not.toThrow();
    const code = "x = 1";
    expect(entitiesToHtml(code, [over(code, "x = 1", "code"), over(code, "1", "bold")]).html).toBe(
      "<code>x = 1</code>",
    );
  });

  it("clips entities to the stretch, keeps mentions and hashtags plain, and removes control characters", () => {
    const text = "/pubblica@ElezioniBot Ciao\u200b #Genova @redazione";
    const start = text.indexOf("Ciao");
    const r = entitiesToHtml(
      text,
      [
        { type: "bold", offset: 0, length: start + 4 },
        over(text, "#Genova", "hashtag"),
        over(text, "@redazione", "mention"),
      ],
      start,
    );
    expect(r.plain).toBe("Ciao #Genova @redazione");
    expect(r.html).toBe("<b>Ciao</b> #Genova @redazione");
  });

  it("never cuts a surrogate pair, even when an entity's boundary falls inside one", () => {
    const text = "a🇮🇹b";
    const r = entitiesToHtml(text, [{ type: "bold", offset: 0, length: 2 }]);
    expect(r.html).toBe("<b>a🇮</b>🇹b");
    expect(() => shown(r.html)).not.toThrow();
    expect(r.plain).toBe(text);
  });
});
