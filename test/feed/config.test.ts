import { describe, expect, it } from "vitest";
import { FeedConfigSchema, feedSettings } from "../../src/feed/config.js";
import { z } from "../../src/validation.js";

function issue(env: Record<string, string | undefined>): { name: string; message: string } {
  const r = FeedConfigSchema.safeParse(env);
  expect(r.success).toBe(false);
  const first = r.error!.issues[0]!;
  return { name: String(first.path[0]), message: first.message };
}

describe("feed configuration", () => {
  it("is off without ELIGENDO_DATE, with every default in place", () => {
    const c = FeedConfigSchema.parse({});
    expect(c).toEqual({
      ELIGENDO_DATE: undefined,
      ELIGENDO_API_ROOT: "https://eleapi.interno.gov.it/siel/PX",
      ELIGENDO_POLL_SECONDS: 60,
      ELIGENDO_MAX_RPS: 5,
      ELIGENDO_RUNOFF_DATE: undefined,
      ELIGENDO_BULLETINS: "auto",
    });
    expect(feedSettings(c)).toBeUndefined();
    // Empty values (KEY= in .env) count as unset.
    expect(feedSettings(FeedConfigSchema.parse({ ELIGENDO_DATE: "", ELIGENDO_MAX_RPS: " " }))).toBeUndefined();
  });

  it("switches on with the date and converts to the units the code uses", () => {
    const c = FeedConfigSchema.parse({
      ELIGENDO_DATE: "2026-05-24",
      ELIGENDO_RUNOFF_DATE: "2026-06-07",
      ELIGENDO_API_ROOT: "http://127.0.0.1:8123/siel/PX/",
      ELIGENDO_POLL_SECONDS: "30",
      ELIGENDO_MAX_RPS: "2.5",
      ELIGENDO_BULLETINS: "Review",
    });
    expect(feedSettings(c)).toEqual({
      date: "2026-05-24",
      runoffDate: "2026-06-07",
      apiRoot: "http://127.0.0.1:8123/siel/PX",
      pollMs: 30_000,
      maxRps: 2.5,
      bulletins: "review",
    });
  });

  it("rejects malformed values with a message naming the variable", () => {
    expect(issue({ ELIGENDO_DATE: "24/05/2026" })).toEqual({
      name: "ELIGENDO_DATE",
      message: expect.stringContaining("YYYY-MM-DD"),
    });
    expect(issue({ ELIGENDO_DATE: "2026-02-30" }).name).toBe("ELIGENDO_DATE");
    expect(issue({ ELIGENDO_POLL_SECONDS: "0" })).toEqual({
      name: "ELIGENDO_POLL_SECONDS",
      message: "must be at least 1 second",
    });
    expect(issue({ ELIGENDO_POLL_SECONDS: "ogni minuto" }).name).toBe("ELIGENDO_POLL_SECONDS");
    expect(issue({ ELIGENDO_MAX_RPS: "21" })).toEqual({
      name: "ELIGENDO_MAX_RPS",
      message: expect.stringContaining("at most 20"),
    });
    expect(issue({ ELIGENDO_MAX_RPS: "0" }).name).toBe("ELIGENDO_MAX_RPS");
    expect(issue({ ELIGENDO_API_ROOT: "ftp://example.org" }).name).toBe("ELIGENDO_API_ROOT");
    expect(issue({ ELIGENDO_BULLETINS: "sometimes" })).toEqual({
      name: "ELIGENDO_BULLETINS",
      message: "must be auto, review or off",
    });
  });

  it("wants the runoff after the first round, and the first round with it", () => {
    expect(issue({ ELIGENDO_RUNOFF_DATE: "2026-06-07" })).toEqual({
      name: "ELIGENDO_RUNOFF_DATE",
      message: expect.stringContaining("ELIGENDO_DATE"),
    });
    expect(issue({ ELIGENDO_DATE: "2026-06-07", ELIGENDO_RUNOFF_DATE: "2026-05-24" }).message).toBe(
      "must come after ELIGENDO_DATE",
    );
  });

  it("can be spread into a larger configuration schema", async () => {
    const { FeedConfigShape, refineFeedConfig } = await import("../../src/feed/config.js");
    const Combined = z.object({ OTHER: z.string().default("x"), ...FeedConfigShape }).superRefine(refineFeedConfig);
    const c = Combined.parse({ ELIGENDO_DATE: "2026-05-24" });
    expect(c.OTHER).toBe("x");
    expect(feedSettings(c)?.date).toBe("2026-05-24");
    expect(Combined.safeParse({ ELIGENDO_RUNOFF_DATE: "2026-06-07" }).success).toBe(false);
  });
});
