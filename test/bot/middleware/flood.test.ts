/** The flood limit: per person, and per chat for people who speak as a chat (anonymous group admins). */
import { afterEach, describe, expect, it } from "vitest";
import { GROUP_ANONYMOUS_BOT } from "../../../src/bot/context.js";
import { type Harness, startHarness } from "../../support/harness.js";

const open: Harness[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function limited(limit: number): Promise<Harness> {
  const h = await startHarness({ runtime: { rateLimit: { limit, timeFrameMs: 60_000 } } });
  open.push(h);
  return h;
}

describe("flood limit", () => {
  it("anonymous admins of different groups do not share one bucket", async () => {
    const h = await limited(3);
    const anonymous = (chatId: number) => ({ chatId, userId: GROUP_ANONYMOUS_BOT, isBot: true, senderChat: true });
    const first = [];
    for (let i = 0; i < 5; i++) first.push(...(await h.say("/info", anonymous(-100901))));
    expect(first.filter((r) => r.plain.includes("9.172.026"))).toHaveLength(3);
    expect(first.filter((r) => r.plain.includes("troppo in fretta"))).toHaveLength(1);
    // Another group's anonymous admin is somebody else: answered, not told to slow down.
    const other = await h.say("/info", anonymous(-100902));
    expect(other).toHaveLength(1);
    expect(other[0]!.plain).toContain("9.172.026");
  });

  it("an anonymous admin's messages in one group are still limited together", async () => {
    const h = await limited(2);
    const replies = [];
    for (let i = 0; i < 4; i++)
      replies.push(
        ...(await h.say("/info", { chatId: -100903, userId: GROUP_ANONYMOUS_BOT, isBot: true, senderChat: true })),
      );
    expect(replies.filter((r) => r.plain.includes("9.172.026"))).toHaveLength(2);
  });
});
