/**
 * Homonyms end to end: Castro (BG) and Castro (LE), two comuni of one name, both in the Ministry's feed
 * (the fake, over HTTP on loopback), through the real runtime and the fake Bot API. A follower of one
 * must hear of that one only (bulletins and live card), and every message names each with its province.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { followData } from "../../src/bot/callback-data/follow.js";
import type { ComuneIdentity } from "../../src/data/model.js";
import { buildElection, type FakeComune, FakeEligendo } from "../support/fake-eligendo/index.js";
import { closeLater, closeNights, type FeedNight, startFeedNight } from "../support/feed-night.js";
import { ADMIN } from "../support/harness.js";

const DATE = "2017-06-11"; // the shipped pack's election day
const index = (JSON.parse(readFileSync("data/comuni.json", "utf8")) as { comuni: ComuneIdentity[] }).comuni;
const castro = (province: string) => index.find((c) => c.name === "Castro" && c.province === province)!;
const BG = castro("BG");
const LE = castro("LE");

const BG_FOLLOWER = 3001;
const LE_FOLLOWER = 3002;

afterEach(closeNights);

/** Two candidates, the first well ahead: each comune's outcome is known in advance. */
function shape(c: FakeComune): void {
  c.tipoComune = "N";
  c.electors = 1800;
  c.sections = 2;
  c.candidates = c.candidates.slice(0, 2);
  c.candidates.forEach((k, i) => {
    k.weight = i === 0 ? 6 : 4;
    k.pos = i + 1;
  });
}

type Night = FeedNight;

async function startNight(): Promise<Night> {
  const election = buildElection({
    date: DATE,
    places: [
      { code: BG.eligendo!, name: "CASTRO" },
      { code: LE.eligendo!, name: "CASTRO" },
    ],
    seed: 7,
    provinceNames: { "03012": "BERGAMO", "16041": "LECCE" },
    regionNames: { "03": "LOMBARDIA", "16": "PUGLIA" },
  });
  const fake = closeLater(await FakeEligendo.start(election));
  for (const c of election.comuni) {
    shape(c);
    delete c.runoff;
  }
  return startFeedNight(fake, { date: DATE, liveCards: true });
}

/** `/iscriviti Castro` asks which one, with a button for each; the follower presses its own. */
async function follow(n: Night, chat: number, c: ComuneIdentity): Promise<void> {
  const [ask] = await n.h.say("/iscriviti Castro", { userId: chat });
  const buttons = (
    ask!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
  ).inline_keyboard.flat();
  expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining(["🔔 Castro (BG)", "🔔 Castro (LE)"]));
  const data = followData.pack({ follow: true, key: c.istat });
  expect(buttons.map((b) => b.callback_data)).toContain(data);
  const [done] = await n.h.press(data, { userId: chat, messageId: ask!.message_id });
  expect(done!.plain).toContain(`Castro (${c.province})`);
}

describe("homonyms: Castro (BG) and Castro (LE), both in the feed", () => {
  it("each follower gets its own Castro's bulletins and live card, named with its province", async () => {
    const n = await startNight();
    await follow(n, BG_FOLLOWER, BG);
    await follow(n, LE_FOLLOWER, LE);
    await n.cycle(); // discovery

    // Castro (LE) starts counting: its follower hears of it, Castro (BG)'s does not.
    const le = n.fake.comune(LE.eligendo!);
    for (const c of n.fake.election.comuni) c.first.readings = 4;
    le.first.counted = 1;
    await n.cycle();
    await n.cycle();
    expect(n.pushes(LE_FOLLOWER).filter((t) => t.includes("iniziato lo scrutinio"))).toEqual([
      expect.stringContaining("Castro (LE)"),
    ]);
    expect(n.pushes(BG_FOLLOWER).filter((t) => t.includes("Castro"))).toEqual([]);
    expect(n.cards(LE_FOLLOWER).length).toBeGreaterThan(0);
    expect(n.cards(LE_FOLLOWER).at(-1)).toContain("Castro (LE)");
    expect(n.cards(LE_FOLLOWER).at(-1)).toMatch(/1 sezion[ei] su 2/);
    expect(n.cards(BG_FOLLOWER)).toEqual([]);

    // Castro (BG) starts too: now its follower gets its own, never Lecce's.
    const bg = n.fake.comune(BG.eligendo!);
    bg.first.counted = 1;
    await n.cycle();
    await n.cycle();
    expect(n.pushes(BG_FOLLOWER).filter((t) => t.includes("iniziato lo scrutinio"))).toEqual([
      expect.stringContaining("Castro (BG)"),
    ]);
    expect(n.pushes(BG_FOLLOWER).filter((t) => t.includes("Castro (LE)"))).toEqual([]);
    expect(n.pushes(LE_FOLLOWER).filter((t) => t.includes("Castro (BG)"))).toEqual([]);
    expect(n.cards(BG_FOLLOWER).at(-1)).toContain("Castro (BG)");
    expect(n.cards(BG_FOLLOWER).join("\n")).not.toContain("Castro (LE)");
    expect(n.cards(LE_FOLLOWER).join("\n")).not.toContain("Castro (BG)");

    // What each follows is said with the province.
    const [subs] = await n.h.say("/iscrizioni", { userId: BG_FOLLOWER });
    expect(subs!.plain).toContain("Castro (BG)");
    expect(subs!.plain).not.toContain("Castro (LE)");
  });

  it("#Castro in the newsroom asks which Castro before anything goes out; the choice reaches its followers only", async () => {
    const n = await startNight();
    await follow(n, BG_FOLLOWER, BG);
    await follow(n, LE_FOLLOWER, LE);
    const before = n.h.fake.sent.length;
    const [ask] = await n.h.say("/pubblica! #Castro seggi aperti fino alle 23", { userId: ADMIN });
    await n.h.runtime.engine.drained();
    // Nothing went out: the editor is asked which Castro, with a button for each.
    expect(n.h.fake.sent.slice(before).filter((m) => m.chat_id !== ADMIN)).toEqual([]);
    expect(ask!.plain).toContain("Castro (BG)");
    expect(ask!.plain).toContain("Castro (LE)");
    const buttons = (
      ask!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    const pick = buttons.find((b) => b.text.includes("Castro (BG)"))!;
    expect(pick).toBeDefined();
    expect(buttons.some((b) => b.text.includes("Castro (LE)"))).toBe(true);

    // Picking Castro (BG): the preview names it, and confirming sends it to its followers only.
    const [preview] = await n.h.press(pick.callback_data, { userId: ADMIN, messageId: ask!.message_id });
    expect(preview!.plain).toContain("Castro (BG)");
    const send = (
      preview!.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat()[0]!;
    await n.h.press(send.callback_data, { userId: ADMIN, messageId: preview!.message_id });
    await n.h.runtime.engine.drained();
    expect(n.pushes(BG_FOLLOWER).filter((t) => t.includes("seggi aperti"))).toHaveLength(1);
    expect(n.pushes(LE_FOLLOWER).filter((t) => t.includes("seggi aperti"))).toEqual([]);
  });
});
