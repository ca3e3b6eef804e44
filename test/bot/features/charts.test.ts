/** /grafico and the card's chart button, against the fake Bot API: uploads once, then Telegram's file_id. */
import { PNG } from "pngjs";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { chartData } from "../../../src/bot/callback-data/chart.js";
import { type Harness, startHarness } from "../../support/harness.js";

/** Every SVG the bot rendered, in order: what the picture says, as text. */
const drawn = vi.hoisted(() => [] as string[]);
vi.mock("../../../src/charts/render.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../src/charts/render.js")>();
  return {
    ...real,
    renderPng: (svg: string) => {
      drawn.push(svg);
      return real.renderPng(svg);
    },
  };
});

/** The words of an SVG's text elements, one per element (tspans joined). */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, "")
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&"),
  );
}

const GENOVA = "010025";

/** The PNG uploaded in a photo call, decoded. */
function decoded(h: Harness, i: number): PNG {
  const params = h.fake.photos[i]!.params;
  const ref = String(params.photo);
  const file = params[ref.startsWith("attach://") ? ref.slice("attach://".length) : "photo"] as { data: Buffer };
  return PNG.sync.read(file.data);
}

describe("charts in the chat", () => {
  let h: Harness;
  beforeAll(async () => {
    // The night of the first round: cards and charts show the first round.
    h = await startHarness({ runtime: { now: () => new Date("2017-06-12T10:00:00+02:00") } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.fake.reset();
  });

  it("/grafico Genova uploads the shares chart once; the next time goes by file_id", async () => {
    await h.say("/grafico Genova");
    expect(h.fake.callsOf("sendChatAction")[0]?.params).toMatchObject({ action: "upload_photo" });
    expect(h.fake.photos).toHaveLength(1);
    const first = h.fake.photos[0]!;
    expect(first).toMatchObject({ chat_id: 1001, uploaded: true });
    expect(first.caption).toContain("<b>Genova</b> · primo turno");
    const png = decoded(h, 0);
    expect(png.width).toBe(1080);
    expect(png.height).toBeGreaterThan(1000);

    await h.say("/grafico genova", { userId: 1002 });
    const second = h.fake.photos[1]!;
    expect(second).toMatchObject({ chat_id: 1002, uploaded: false });
    // The file_id remembered is the largest size's, from the first send's answer.
    expect(second.file_id).toBe(first.file_id);
    expect(h.fake.callsOf("sendChatAction")).toHaveLength(1); // nothing to draw the second time
  });

  it("uploads again when Telegram refuses the file_id, and remembers the new one", async () => {
    await h.say("/grafico Genova"); // cached from the test above, or uploaded now
    h.fake.forgetFiles();
    await h.say("/grafico Genova");
    const refused = h.fake
      .callsOf("sendPhoto")
      .filter((c) => typeof c.params.photo === "string" && !String(c.params.photo).startsWith("attach://"));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const last = h.fake.photos.at(-1)!;
    expect(last.uploaded).toBe(true);
    await h.say("/grafico Genova");
    expect(h.fake.photos.at(-1)).toMatchObject({ uploaded: false, file_id: last.file_id });
  });

  it("an English client gets the chart's words in English, as a chart of its own", async () => {
    await h.say("/chart Genova", { lang: "en" });
    const photo = h.fake.photos.at(-1)!;
    expect(photo.caption).toContain("first round");
    expect(photo.uploaded).toBe(true);
  });

  it("the card's 📊 button sends the chart of the comune", async () => {
    const [card] = await h.say("/citta Genova");
    const buttons = (card!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] })
      .inline_keyboard;
    expect(buttons.flat()).toContainEqual({ text: "📊 Grafico", callback_data: chartData.pack({ key: GENOVA }) });
    await h.press(chartData.pack({ key: GENOVA }));
    expect(h.fake.callbackAnswers).toHaveLength(1);
    expect(h.fake.photosTo(1001)).toHaveLength(1);
    expect(h.fake.photosTo(1001)[0]!.caption).toContain("Genova");
  });

  it("/grafico affluenza draws the turnout curve against the previous election", async () => {
    await h.say("/grafico affluenza");
    const photo = h.fake.photos.at(-1)!;
    expect(photo.caption).toContain("Affluenza");
    expect(photo.caption).toContain("primo turno");
    expect(decoded(h, h.fake.photos.length - 1).width).toBe(1080);
    await h.say("/chart turnout", { lang: "en" });
    expect(h.fake.photos.at(-1)!.caption).toContain("Turnout");
  });

  it("answers in words where there is nothing to draw", async () => {
    expect((await h.say("/grafico"))[0]!.plain).toContain("/grafico Genova");
    expect((await h.say("/grafico Roma"))[0]!.plain).toMatch(/Roma/);
    expect((await h.say("/grafico affluenza Roma"))[0]!.plain).toContain(
      "Non ci sono ancora dati di affluenza per Roma",
    );
    expect((await h.say("/grafico Xyzzyqwe"))[0]!.plain).toContain("Xyzzyqwe");
    expect(h.fake.photos).toHaveLength(0);
  });
});

describe("the chart of a void runoff", () => {
  let h: Harness;
  beforeAll(async () => {
    // The day after the runoff: Trapani's runoff, with its sole candidate, is what the chart shows.
    h = await startHarness({ runtime: { now: () => new Date("2017-06-26T10:00:00+02:00") } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("/grafico Trapani says no mayor was elected, and shows the votes and the turnout against the quorum, not a share", async () => {
    const before = drawn.length;
    await h.say("/grafico Trapani");
    const photo = h.fake.photos.at(-1)!;
    expect(photo.caption).toContain(
      "<b>Trapani</b> · ballottaggio · ⛔ <b>Nessun sindaco eletto: quorum non raggiunto</b>",
    );
    expect(drawn.length).toBe(before + 1);
    const texts = svgTexts(drawn.at(-1)!);
    const notice = texts.indexOf("Nessun sindaco eletto: quorum non raggiunto");
    expect(notice).toBeGreaterThan(-1);
    // Said before any figure of the round.
    expect(notice).toBeLessThan(texts.findIndex((t) => t.includes("Pietro (Piero) Savona")));
    expect(texts).toContain("14.536 voti");
    expect(texts.some((t) => t.startsWith("unico candidato"))).toBe(true);
    expect(texts).toContain("Affluenza 26,75%, sotto il minimo del 50%");
    expect(texts.join("\n")).not.toContain("91,51%");
  });

  it("in English too", async () => {
    await h.say("/chart Trapani", { userId: 5005, lang: "en" });
    const photo = h.fake.photos.at(-1)!;
    expect(photo.caption).toContain("<b>Trapani</b> · runoff · ⛔ <b>No mayor elected: quorum not reached</b>");
    const texts = svgTexts(drawn.at(-1)!);
    expect(texts).toContain("No mayor elected: quorum not reached");
    expect(texts).toContain("14,536 votes");
    expect(texts.some((t) => t.startsWith("the only candidate"))).toBe(true);
    // Figures written the English way, as in the English messages.
    expect(texts).toContain("Turnout 26.75%, below the 50% minimum");
    expect(texts.join("\n")).not.toContain("91.51%");
  });

  it("a runoff that elected keeps its shares", async () => {
    await h.say("/grafico Genova");
    expect(h.fake.photos.at(-1)!.caption).not.toContain("⛔");
    const texts = svgTexts(drawn.at(-1)!);
    expect(texts).toContain("55,24%");
    expect(texts.join("\n")).not.toContain("Nessun sindaco eletto");
  });
});
