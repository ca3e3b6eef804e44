import { describe, expect, expectTypeOf, it } from "vitest";
import type { BotContext } from "../src/bot/context.js";
import { replyHtml, sendHtml } from "../src/bot/reply.js";
import type { EngineOptions } from "../src/delivery/engine/index.js";
import {
  escapeHtml,
  type Html,
  escapeHtml as h,
  html,
  htmlToText,
  joinHtml,
  type PlainText,
  packMessages,
  quoteUser,
  stripControl,
  TELEGRAM_TEXT_LIMIT,
  truncatePlain,
  trusted,
} from "../src/format/html.js";
import {
  dayKey,
  formatInteger,
  formatPercent,
  formatPointsDelta,
  formatStamp,
  formatTime,
} from "../src/format/italian.js";
import { messages } from "../src/i18n/index.js";
import { htmlToTerminal } from "../src/terminal/render.js";
import { dayName } from "../src/views/common.js";
import { htmlToPlain } from "./support/fake-bot-api/index.js";

describe("formatPercent", () => {
  it("writes percentages the Italian way, with only the decimals needed", () => {
    expect(formatPercent(38.8)).toBe("38,8%");
    expect(formatPercent(33.39)).toBe("33,39%");
    expect(formatPercent(67)).toBe("67%");
    expect(formatPercent(19.36)).toBe("19,36%");
    expect(formatPercent(42.35)).toBe("42,35%");
    expect(formatPercent(61.5)).toBe("61,5%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(100)).toBe("100%");
  });

  it("rounds to two decimals", () => {
    expect(formatPercent(40.066)).toBe("40,07%");
    expect(formatPercent(0.1 + 0.2)).toBe("0,3%");
  });
});

describe("numbers for the English interface", () => {
  it("group thousands with commas and write decimals with a point", () => {
    expect(formatInteger(9172026, "en")).toBe("9,172,026");
    expect(formatInteger(1004, "en")).toBe("1,004");
    expect(formatInteger(15000, "en")).toBe("15,000");
    expect(formatInteger(999, "en")).toBe("999");
    expect(formatPercent(38.8, "en")).toBe("38.8%");
    expect(formatPercent(33.39, "en")).toBe("33.39%");
    expect(formatPointsDelta(-6.78, "en")).toBe("−6.78");
    // Italian stays the default.
    expect(formatInteger(1004)).toBe("1.004");
    expect(formatPercent(38.8, "it")).toBe("38,8%");
  });

  it("dates read 'Sunday 11 June 2017' in English and 'domenica 11 giugno 2017' in Italian", () => {
    expect(dayName("2017-06-11", messages("en"), true)).toBe("Sunday 11 June 2017");
    expect(dayName("2017-06-25", messages("en"))).toBe("Sunday 25 June");
    expect(dayName("2017-06-11", messages("it"), true)).toBe("domenica 11 giugno 2017");
    expect(dayName("2017-06-25", messages("it"))).toBe("domenica 25 giugno");
  });
});

describe("formatInteger", () => {
  it("groups thousands with dots, four-digit numbers included", () => {
    expect(formatInteger(9172026)).toBe("9.172.026");
    expect(formatInteger(10584797)).toBe("10.584.797");
    expect(formatInteger(1004)).toBe("1.004");
    expect(formatInteger(15000)).toBe("15.000");
    expect(formatInteger(999)).toBe("999");
    expect(formatInteger(25)).toBe("25");
    expect(formatInteger(0)).toBe("0");
    expect(formatInteger(-1004)).toBe("-1.004");
  });
});

describe("formatPointsDelta", () => {
  it("signs the difference in percentage points", () => {
    expect(formatPointsDelta(61.5 - 67)).toBe("−5,5");
    expect(formatPointsDelta(2.25)).toBe("+2,25");
    expect(formatPointsDelta(0)).toBe("±0");
    expect(formatPointsDelta(42.35 - 19.36)).toBe("+22,99");
  });

  it("a difference that rounds to zero has no sign", () => {
    expect(formatPointsDelta(0.1 + 0.2 - 0.3)).toBe("±0");
    expect(formatPointsDelta(-0.001)).toBe("±0");
  });
});

describe("formatTime and dayKey in Europe/Rome", () => {
  it("applies winter time (UTC+1) in January", () => {
    const d = new Date("2017-01-15T22:15:00Z");
    expect(formatTime(d)).toBe("23:15");
    expect(formatTime(d, "Europe/Rome")).toBe("23:15");
    expect(formatTime(d, "UTC")).toBe("22:15");
  });

  it("applies summer time (UTC+2) in June", () => {
    const d = new Date("2017-06-11T21:15:00Z");
    expect(formatTime(d)).toBe("23:15");
    expect(formatTime(new Date("2017-06-11T22:45:00Z"))).toBe("00:45");
    expect(dayKey(new Date("2017-06-11T22:45:00Z"))).toBe("2017-06-12");
    expect(dayKey(new Date("2017-06-11T22:45:00Z"), "UTC")).toBe("2017-06-11");
  });

  it("uses a 24-hour clock with leading zeros", () => {
    expect(formatTime(new Date("2017-06-11T05:00:00Z"))).toBe("07:00");
    expect(formatTime(new Date("2017-06-11T22:00:00Z"))).toBe("00:00");
  });
});

describe("formatStamp", () => {
  const at = new Date("2017-06-11T23:15:00+02:00");

  it("only the time on the same day", () => {
    expect(formatStamp(at, new Date("2017-06-11T23:59:00+02:00"))).toBe("23:15");
    expect(formatStamp(at, new Date("2017-06-11T00:00:00+02:00"))).toBe("23:15");
  });

  it("day and month on another day of the same year, by the Rome calendar", () => {
    expect(formatStamp(at, new Date("2017-06-12T11:45:00+02:00"))).toBe("11/06 23:15");
    // 22:30 UTC is already 12 June in Rome
    expect(formatStamp(at, new Date("2017-06-11T22:30:00Z"))).toBe("11/06 23:15");
  });

  it("the full date in another year", () => {
    expect(formatStamp(at, new Date("2018-01-01T10:00:00+01:00"))).toBe("11/06/2017 23:15");
    expect(formatStamp(new Date("2017-12-31T23:30:00+01:00"), new Date("2018-01-01T00:10:00+01:00"))).toBe(
      "31/12/2017 23:30",
    );
  });
});

describe("escapeHtml", () => {
  it("escapes the characters Telegram's HTML mode reserves", () => {
    expect(escapeHtml(`a < b && c > "d"`)).toBe("a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
    expect(escapeHtml("&lt;")).toBe("&amp;lt;");
    expect(escapeHtml("L'Aquila")).toBe("L'Aquila");
  });

  it("round-trips through the Telegram parser", () => {
    const nasty = `<b>x</b> & <i>y &amp; "z" 'w' </a> &#x41;`;
    expect(htmlToPlain(escapeHtml(nasty))).toBe(nasty);
  });
});

describe("html", () => {
  it("keeps the template's markup and puts the holes in as they are", () => {
    const name = 'Forlì <Sud> & "Nord"';
    expect(html`🏛 <b>${h(name)}</b> (${38.8}) ${""}fine`).toBe(
      "🏛 <b>Forlì &lt;Sud&gt; &amp; &quot;Nord&quot;</b> (38.8) fine",
    );
    const inner = html`<i>${h("a<b")}</i>`;
    expect(html`<b>${inner}</b>`).toBe("<b><i>a&lt;b</i></b>");
    expect(html`[${[html`<b>1</b>`, h("2&")]}]`).toBe("[<b>1</b>2&amp;]");
    expect(html``).toBe("");
    expect(html`${h("x")}`).toBe("x");
  });

  it("builds what the Telegram parser accepts, and the text reads back as written", () => {
    const nasty = `</b><a href="x">&amp; &#x41; 'q'`;
    const built = html`<b>${h(nasty)}</b> · <i>${h(nasty)}</i>`;
    expect(htmlToPlain(built)).toBe(`${nasty} · ${nasty}`);
  });
});

describe("joinHtml", () => {
  it("joins HTML with an escaped plain separator", () => {
    expect(joinHtml([html`<b>a</b>`, h("b<")], "\n")).toBe("<b>a</b>\nb&lt;");
    expect(joinHtml([html`x`, html`y`], " & ")).toBe("x &amp; y");
    expect(joinHtml([], ", ")).toBe("");
  });
});

describe("trusted", () => {
  it("takes markup as it is", () => {
    expect(trusted("<b>a</b> &amp;")).toBe("<b>a</b> &amp;");
  });
});

// Checked by `npm run typecheck` (tsc compiles the tests): each @ts-expect-error line must not compile.
describe("Html is checked by the compiler", () => {
  it("only the module's functions make Html; a plain string is not Html", () => {
    expectTypeOf(html`<b>x</b>`).toEqualTypeOf<Html>();
    expectTypeOf(escapeHtml("x")).toEqualTypeOf<Html>();
    expectTypeOf(joinHtml([], "\n")).toEqualTypeOf<Html>();
    expectTypeOf(quoteUser("x")).toEqualTypeOf<Html>();
    expectTypeOf(packMessages([html`x`])).toEqualTypeOf<Html[]>();
    expectTypeOf<string>().not.toExtend<Html>();
    expectTypeOf<`<b>${string}</b>`>().not.toExtend<Html>();
    // Html is still a string: it goes wherever a string goes.
    expectTypeOf<Html>().toExtend<string>();
  });

  it("a plain string in a hole of the html tag does not compile; numbers do", () => {
    const plain: string = "<script>";
    const maybe = html`x` as Html | undefined;
    const compiles = () => [
      // @ts-expect-error a plain string must go through escapeHtml
      html`<b>${plain}</b>`,
      // @ts-expect-error nor a plain array
      html`${[plain]}`,
      // @ts-expect-error undefined is not written as "undefined": say what to show instead
      html`${maybe}`,
      html`${maybe ?? ""} ${1.5} ${h(plain)}`,
    ];
    expect(compiles).toBeTypeOf("function");
  });

  it("escaping HTML twice does not compile", () => {
    expectTypeOf<Html>().not.toExtend<PlainText>();
    expectTypeOf<string>().toExtend<PlainText>();
    const compiles = () => [
      // @ts-expect-error already escaped
      escapeHtml(html`<b>x</b>`),
      // @ts-expect-error a separator is plain text
      joinHtml([], html`<br>`),
    ];
    expect(compiles).toBeTypeOf("function");
  });
  it("a plain string cannot reach a send with parse_mode HTML", () => {
    const plain = "Seggi <chiusi>";
    const ctx = {} as BotContext;
    const api = {} as Parameters<typeof sendHtml>[0];
    const t = messages("it");
    // Never called: these lines are here for the compiler.
    const compiles = () => [
      // @ts-expect-error replies take Html
      replyHtml(ctx, plain),
      // @ts-expect-error nor a list of plain strings
      replyHtml(ctx, [plain]),
      // @ts-expect-error a template literal is plain, whatever it holds
      replyHtml(ctx, `<b>${h(plain)}</b>`),
      // @ts-expect-error pushes and reports too
      sendHtml(api, 1, plain),
      // @ts-expect-error plain text shown as HTML in the terminal
      htmlToTerminal(plain, false),
      // @ts-expect-error the messages that are sent as HTML are Html, and take plain arguments
      t.outcomeElected(h(plain)),
      replyHtml(ctx, [h(plain), html`<b>${h(plain)}</b>`, t.outcomeElected(plain)]),
      sendHtml(
        api,
        1,
        t.pushReport({
          title: plain,
          number: 1,
          delivered: 1,
          removed: 0,
          skipped: 0,
          failed: 0,
          possiblyDuplicated: 0,
          seconds: "1",
        }),
      ),
    ];
    expect(compiles).toBeTypeOf("function");
    // The delivery engine renders Html and sends it.
    expectTypeOf<Awaited<ReturnType<EngineOptions["render"]>>>().toEqualTypeOf<Html | undefined>();
    expectTypeOf<Parameters<EngineOptions["send"]>[1]>().toEqualTypeOf<Html>();
    // Plain text where Telegram shows plain text: button labels, callback answers, inline titles.
    expectTypeOf(t.morePage).toEqualTypeOf<string>();
    expectTypeOf(t.genericError).toEqualTypeOf<string>();
    expectTypeOf(t.inlineRunoffsTitle).toEqualTypeOf<string>();
  });
});

describe("htmlToText", () => {
  it("is the text a reader sees: tags dropped, entities decoded", () => {
    expect(htmlToText(html`<b>${h('a < b & "c"')}</b> &#65;&#x42;`)).toBe('a < b & "c" AB');
    const nasty = `<i>x</i> &amp; &lt;`;
    expect(htmlToText(h(nasty))).toBe(nasty);
  });
});

describe("stripControl", () => {
  it("drops control and invisible formatting characters but keeps newlines and tabs", () => {
    expect(stripControl("a\u0000b\u0007c\u001bd")).toBe("abcd");
    expect(stripControl("x\r\ny\tz")).toBe("x\r\ny\tz");
    expect(stripControl("a\u200bb\u202ec\u2066d\ufeffe\u007f\u0085")).toBe("abcde");
    expect(stripControl("Forlì 🗳 «Genova»")).toBe("Forlì 🗳 «Genova»");
  });
});

describe("truncatePlain", () => {
  it("leaves short text alone", () => {
    expect(truncatePlain("Genova", 6)).toBe("Genova");
    expect(truncatePlain("", 3)).toBe("");
  });

  it("shortens to at most max characters, ending in an ellipsis", () => {
    const r = truncatePlain("Palermo", 5);
    expect(r).toBe("Pale…");
    expect(r.length).toBe(5);
  });

  it("never splits a surrogate pair", () => {
    const text = "ab🗳🗳🗳🗳cd";
    for (let max = 1; max < text.length; max++) {
      const r = truncatePlain(text, max);
      expect(r.length, String(max)).toBeLessThanOrEqual(max);
      expect(r.endsWith("…"), String(max)).toBe(true);
      // a lone surrogate would not survive a UTF-8 round trip
      expect(Buffer.from(r, "utf8").toString("utf8"), String(max)).toBe(r);
      expect(r.isWellFormed(), String(max)).toBe(true);
    }
    expect(truncatePlain("ab🗳cd", 4)).toBe("ab…");
    expect(truncatePlain("🗳🗳🗳", 3)).toBe("🗳…");
  });
});

describe("quoteUser", () => {
  it("makes user text safe to echo: controls removed, whitespace collapsed, shortened, escaped", () => {
    expect(quoteUser("  <b>Genova</b>\u0000\n\n  & co  ")).toBe("&lt;b&gt;Genova&lt;/b&gt; &amp; co");
    const long = quoteUser("x".repeat(500));
    expect(long).toBe(`${"x".repeat(59)}…`);
    expect(quoteUser("<".repeat(100), 10)).toBe(`${"&lt;".repeat(9)}…`);
  });

  it("never produces HTML Telegram would reject, even cut inside emoji or entities", () => {
    for (const s of ["🗳".repeat(40), "&".repeat(80), `<a href="x">${"é".repeat(70)}</a>`, "a\u202eb<i>"]) {
      const q = quoteUser(s, 21);
      expect(() => htmlToPlain(q), s).not.toThrow();
      expect(htmlToPlain(q).length, s).toBeLessThanOrEqual(21);
      expect(htmlToPlain(q).isWellFormed(), s).toBe(true);
    }
  });
});

describe("packMessages", () => {
  const block = (n: number, fill = "x") => `<b>${n}</b> ${fill.repeat(100)}`;
  /** Text content without the whitespace used to join or split. */
  const content = (parts: string[]) => parts.join("\n").replace(/\s+/g, " ");

  it("joins small blocks into one message", () => {
    expect(packMessages(["<b>a</b>", "b", "c"])).toEqual(["<b>a</b>\n\nb\n\nc"]);
    expect(packMessages([])).toEqual([]);
  });

  it("never splits a block that fits, and keeps every message within the limit", () => {
    const blocks = Array.from({ length: 120 }, (_, i) => block(i));
    const parts = packMessages(blocks);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(() => htmlToPlain(p)).not.toThrow();
    }
    // every block appears whole in exactly one part
    for (const b of blocks) expect(parts.filter((p) => p.split("\n\n").includes(b)).length, b.slice(0, 12)).toBe(1);
    expect(parts.join("\n\n")).toBe(blocks.join("\n\n"));
  });

  it("starts a new message rather than splitting a block", () => {
    const a = "a".repeat(3000);
    const b = "b".repeat(3000);
    expect(packMessages([a, b])).toEqual([a, b]);
    const exact = "c".repeat(TELEGRAM_TEXT_LIMIT);
    expect(packMessages([exact])).toEqual([exact]);
  });

  it("splits a block longer than the limit at line breaks, keeping all content", () => {
    const lines = Array.from(
      { length: 100 },
      (_, i) => `${i + 1}. <b>Candidato ${i + 1}</b> — <i>${"n.d. ".repeat(12)}</i>`,
    );
    const big = lines.join("\n");
    expect(big.length).toBeGreaterThan(TELEGRAM_TEXT_LIMIT);
    const blocks = ["<b>Titolo</b>", big, "fine"];
    const parts = packMessages(blocks);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(() => htmlToPlain(p)).not.toThrow();
      // each message holds whole lines only
      for (const line of p.split("\n").filter(Boolean)) expect(["<b>Titolo</b>", "fine", ...lines]).toContain(line);
    }
    expect(content(parts)).toBe(content(blocks));
  });

  it("respects a custom limit and separator", () => {
    const parts = packMessages(["aaaa", "bbbb", "cccc"], 9, "|");
    expect(parts).toEqual(["aaaa|bbbb", "cccc"]);
  });

  it("cuts a single overlong line without breaking an HTML entity or an emoji", () => {
    const line = `${"&amp;".repeat(1000)}${"🗳".repeat(1000)}`;
    const parts = packMessages([line]);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(() => htmlToPlain(p)).not.toThrow();
      expect(p.isWellFormed()).toBe(true);
    }
    const emoji = packMessages(["x".repeat(4094) + "🗳".repeat(10)]);
    for (const p of emoji) expect(p.isWellFormed()).toBe(true);
  });
});
