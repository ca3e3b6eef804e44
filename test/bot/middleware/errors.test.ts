/** The error boundary and the per-update logger: a failure is logged with its update's id, and the user gets an apology. */
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger.js";
import { type Harness, startHarness } from "../../support/harness.js";

const open: Harness[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

describe("error boundary", () => {
  it("logs the failure with the update_id of the update that failed, and apologises", async () => {
    const out = new PassThrough();
    const lines: Record<string, unknown>[] = [];
    out.on("data", (c: Buffer) => {
      for (const l of c.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
    });
    const logger = createLogger({ level: "info", pretty: false, secrets: [], destination: out });
    const h = await startHarness({ runtime: { logger } });
    open.push(h);
    // A 500 is retried by the send budget and answered; a 400 is not retried.
    h.fake.failNext(1, 400, "Bad Request: can't parse entities", "sendMessage");
    const replies = await h.say("/info", { userId: 6006 });
    expect(replies.map((r) => r.plain)).toEqual(["Scusa, qualcosa è andato storto. Riprova tra poco."]);
    await new Promise((r) => setImmediate(r));
    const failed = lines.find((l) => l.msg === "error while handling an update");
    expect(failed).toBeDefined();
    expect(typeof failed!.update_id).toBe("number");
    expect(failed!.chat).toBe(6006);
  });
});
