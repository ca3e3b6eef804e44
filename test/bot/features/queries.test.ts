/** /ultime with a comune and a count, as people type them; the count read apart from the name. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATEST_MAX, readLatestArgs } from "../../../src/bot/features/queries.js";
import type { SentMessage } from "../../support/fake-bot-api/index.js";
import { type Harness, startHarness } from "../../support/harness.js";

describe("readLatestArgs", () => {
  it.each([
    ["", {}, ""],
    ["5", { count: 5 }, ""],
    ["Genova", {}, "Genova"],
    ["3 genova", { count: 3 }, "genova"],
    ["genova 3", { count: 3 }, "genova"],
    ["3 La Spezia", { count: 3 }, "La Spezia"],
    ["999", { count: 999 }, ""],
    ["99999999999", { count: 999_999 }, ""],
    ["0", { count: "bad" }, ""],
    ["-1", { count: "bad" }, ""],
    ["2.5", { count: "bad" }, ""],
    ["genova 0", { count: "bad" }, "genova"],
    ["abc", {}, "abc"],
  ] as const)("%j", (text, count, name) => {
    expect(readLatestArgs(text)).toEqual({ ...count, name });
  });
});

function clockAt(iso: string): () => Date {
  const offset = Date.now() - Date.parse(iso);
  return () => new Date(Date.now() - offset);
}

describe("/ultime for one comune", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ runtime: { now: clockAt("2017-06-12T12:00:00+02:00") } });
  });
  afterAll(async () => {
    await h.close();
  });
  const only = (msgs: SentMessage[]) => {
    expect(msgs).toHaveLength(1);
    return msgs[0]!.plain;
  };

  it.each(["/ultime Genova", "/ultime 3 genova", "/ultime genova 3", "/ULTIME genova", "/news Genoa"])(
    "%s: the bulletins naming Genova, newest first",
    async (command) => {
      const text = only(await h.say(command));
      expect(text).toMatch(/^📰 Ultimi aggiornamenti su Genova\n\n🕒 11:45\n/);
      expect(text.match(/🕒/g)).toHaveLength(2);
      expect(text).toContain("🕒 11/06 23:15");
    },
  );

  it("a count limits them; more than the most there are shows them all, said in one line", async () => {
    expect(only(await h.say("/ultime 1 Palermo")).match(/🕒/g)).toHaveLength(1);
    const many = only(await h.say("/ultime 999 Palermo"));
    expect(many).toContain(`Ne mostro al massimo ${LATEST_MAX}.`);
    expect(many.match(/🕒/g)).toHaveLength(3);
  });

  it("a comune no bulletin names says so; a name that is no comune gets near names only", async () => {
    expect(only(await h.say("/ultime Pavia"))).toBe(
      "Nessun aggiornamento su Pavia per ora. Tutti gli aggiornamenti: /ultime",
    );
    expect(only(await h.say("/ultime Atlantide"))).toBe("Non trovo il comune «Atlantide». Controlla come è scritto.");
    const [castro] = await h.say("/ultime Castro");
    expect(castro!.plain).toBe("«Castro» può indicare più comuni: quale cercavi?");
  });

  it("in English: English title and hint", async () => {
    const en = { userId: 2101, lang: "en" };
    expect(only(await h.say("/news 2 Genova", en))).toMatch(/^📰 Latest updates about Genova\n/);
    expect(only(await h.say("/news 0", en))).toBe("Give a number from 1 to 20, e.g. /news 5 or /news 3 Genova.");
  });
});
