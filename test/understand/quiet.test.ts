import { describe, expect, it } from "vitest";
import {
  formatQuietWindow,
  isQuietAt,
  parseQuietHours,
  type QuietHoursError,
  quietHoursErrorText,
} from "../../src/understand/quiet.js";

const at = (h: number, m = 0) => h * 60 + m;

describe("parseQuietHours", () => {
  const windows: [string, number, number][] = [
    ["23-7", at(23), at(7)],
    ["23:30-07:00", at(23, 30), at(7)],
    ["23.30-7", at(23, 30), at(7)],
    ["23.30 - 7", at(23, 30), at(7)],
    ["23:30 – 07:00", at(23, 30), at(7)],
    ["22—6", at(22), at(6)],
    ["23 7", at(23), at(7)],
    ["23h30-7h", at(23, 30), at(7)],
    ["dalle 23 alle 7", at(23), at(7)],
    ["Dalle 23:00 alle 07:00.", at(23), at(7)],
    ["ore 23 - ore 7", at(23), at(7)],
    ["tra le 23 e le 7", at(23), at(7)],
    ["from 11pm to 7am", at(23), at(7)],
    ["11pm-7am", at(23), at(7)],
    ["11 PM - 7 AM", at(23), at(7)],
    ["7 a.m. - 9 a.m.", at(7), at(9)],
    ["12am-6am", at(0), at(6)],
    ["13-15", at(13), at(15)],
    ["0-6", at(0), at(6)],
    ["20-24", at(20), at(0)],
  ];
  it.each(windows)("%j", (text, start, end) => {
    expect(parseQuietHours(text)).toEqual({ ok: true, value: { kind: "window", start, end } });
  });

  it.each(["off", "OFF", "Off.", "no", "disattiva", "spegni il silenzio", "none", "disable"])(
    "%j turns them off",
    (t) => {
      expect(parseQuietHours(t)).toEqual({ ok: true, value: { kind: "off" } });
    },
  );

  const errors: [string, QuietHoursError][] = [
    ["", "empty"],
    ["   ", "empty"],
    ["23", "format"],
    ["237", "format"],
    ["23-7-9", "format"],
    ["stanotte", "format"],
    ["sempre", "format"],
    ["no 23-7", "format"],
    ["25-7", "hour"],
    ["23-24:30", "hour"],
    ["24-7", "hour"],
    ["13pm-7am", "hour"],
    ["0am-7am", "hour"],
    ["23:61-7", "minute"],
    ["23-7:99", "minute"],
    ["7-7", "same"],
    ["07:00-7", "same"],
    ["0-24", "same"],
  ];
  it.each(errors)("%j is refused: %s", (text, error) => {
    expect(parseQuietHours(text)).toEqual({ ok: false, error });
  });
});

describe("isQuietAt", () => {
  it("a window over midnight covers the late evening and the early morning, start included, end excluded", () => {
    const w = { kind: "window", start: at(23), end: at(7) } as const;
    expect(isQuietAt(w, at(22, 59))).toBe(false);
    expect(isQuietAt(w, at(23))).toBe(true);
    expect(isQuietAt(w, at(0))).toBe(true);
    expect(isQuietAt(w, at(6, 59))).toBe(true);
    expect(isQuietAt(w, at(7))).toBe(false);
    expect(isQuietAt(w, at(12))).toBe(false);
  });

  it("a window within the day", () => {
    const w = { kind: "window", start: at(13), end: at(15) } as const;
    expect(isQuietAt(w, at(12, 59))).toBe(false);
    expect(isQuietAt(w, at(14))).toBe(true);
    expect(isQuietAt(w, at(15))).toBe(false);
  });

  it("off, or none set, is never quiet", () => {
    expect(isQuietAt({ kind: "off" }, at(3))).toBe(false);
    expect(isQuietAt(undefined, at(3))).toBe(false);
  });
});

describe("formatting and errors", () => {
  it("formats a window as hh:mm–hh:mm", () => {
    expect(formatQuietWindow({ kind: "window", start: at(23, 30), end: at(7) })).toBe("23:30–07:00");
    expect(formatQuietWindow({ kind: "window", start: 0, end: at(6, 5) })).toBe("00:00–06:05");
  });

  it("every error has an Italian and an English text with an example", () => {
    for (const e of ["empty", "format", "hour", "minute", "same"] as const) {
      expect(quietHoursErrorText("it", e, "x")).toContain("<code>");
      expect(quietHoursErrorText("en", e, "x")).toContain("<code>");
      expect(quietHoursErrorText("it", e, "x")).not.toBe(quietHoursErrorText("en", e, "x"));
    }
    expect(quietHoursErrorText("it", "hour", "25-7")).toBe(
      "«25-7»: le ore vanno da 0 a 23. Per esempio <code>23-7</code>.",
    );
    expect(quietHoursErrorText("en", "format", "tonight")).toContain("I can't read «tonight»");
  });

  it("echoes the input escaped and short", () => {
    const text = quietHoursErrorText("it", "format", `<b>${"x".repeat(100)}`);
    expect(text).toContain("&lt;b&gt;");
    expect(text).not.toContain("<b>");
    expect(text).toContain("…");
  });
});
