/**
 * The newsroom's push report: the deliveries that may have gone out twice (taken over from an instance
 * that stopped answering mid-send) get a line of their own only when there are some, in Italian and in
 * English, with the language's number format.
 */
import { describe, expect, it } from "vitest";
import { messages } from "../../src/i18n/index.js";

const report = {
  title: "Seggi chiusi",
  number: 12,
  delivered: 3000,
  removed: 2,
  skipped: 1,
  failed: 0,
  seconds: "12,5",
};

describe("push report", () => {
  it("in Italian: no line about possible duplicates when there are none", () => {
    const text = messages("it").pushReport({ ...report, possiblyDuplicated: 0 });
    expect(text).toContain("consegnati: <b>3.000</b>");
    expect(text).not.toContain("due volte");
    expect(text.split("\n")).toHaveLength(6);
  });

  it("in Italian: how many may have arrived twice, before the duration, formatted as 1.234", () => {
    const lines = messages("it")
      .pushReport({ ...report, possiblyDuplicated: 1234 })
      .split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[5]).toBe(
      "forse arrivati due volte (ripresi da un'altra istanza del bot mentre li stava inviando): <b>1.234</b>",
    );
    expect(lines[6]).toBe("durata: 12,5 s");
  });

  it("in English: the same line, formatted as 1,234, only when there are some", () => {
    expect(messages("en").pushReport({ ...report, possiblyDuplicated: 0 })).not.toContain("twice");
    const lines = messages("en")
      .pushReport({ ...report, possiblyDuplicated: 1234 })
      .split("\n");
    expect(lines[5]).toBe(
      "possibly delivered twice (taken over from another instance of the bot while it was sending them): <b>1,234</b>",
    );
    expect(lines[1]).toBe("delivered: <b>3,000</b>");
  });
});
