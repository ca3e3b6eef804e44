/** What each Bot API failure means for a delivery: Telegram's real error shapes, classified. */
import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { amendmentOutcome, classifyFailure } from "../../src/delivery/classify.js";

const apiError = (code: number, description: string, parameters: Record<string, number> = {}) =>
  new GrammyError(
    `Call to 'sendMessage' failed! (${code}: ${description})`,
    { ok: false, error_code: code, description, parameters },
    "sendMessage",
    {},
  );

describe("classifyFailure", () => {
  it("a group where the bot may not write for now is skipped, not dropped", () => {
    for (const d of [
      "Bad Request: not enough rights to send text messages to the chat",
      "Bad Request: have no rights to send a message",
      "Bad Request: need administrator rights in the channel chat",
      "Bad Request: CHAT_WRITE_FORBIDDEN",
    ])
      expect(classifyFailure(apiError(400, d))).toEqual({ kind: "no-rights", reason: d });
  });

  it("403, a chat that does not exist and a kicked bot remove the subscriber", () => {
    for (const [code, d] of [
      [403, "Forbidden: bot was blocked by the user"],
      [403, "Forbidden: bot was kicked from the supergroup chat"],
      [403, "Forbidden: user is deactivated"],
      [400, "Bad Request: chat not found"],
      [400, "Bad Request: group chat was deleted"],
    ] as const)
      expect(classifyFailure(apiError(code, d)).kind).toBe("gone");
  });

  it("429, migration, 5xx, network errors and the rest", () => {
    expect(classifyFailure(apiError(429, "Too Many Requests: retry after 3", { retry_after: 3 }))).toEqual({
      kind: "rate-limited",
      retryAfterMs: 3000,
    });
    expect(
      classifyFailure(
        apiError(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: -100123 }),
      ),
    ).toEqual({ kind: "migrated", to: -100123 });
    expect(classifyFailure(apiError(502, "Bad Gateway")).kind).toBe("transient");
    expect(classifyFailure(new HttpError("Network request failed", new Error("ECONNRESET"))).kind).toBe("transient");
    expect(classifyFailure(apiError(400, "Bad Request: can't parse entities")).kind).toBe("permanent");
  });
});

describe("amendmentOutcome", () => {
  it("settles at once what an edit or a deletion of a delivered copy can only end as", () => {
    expect(
      amendmentOutcome(
        apiError(
          400,
          "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        ),
      ),
    ).toBe("done");
    expect(amendmentOutcome(apiError(400, "Bad Request: message to edit not found"))).toBe("gone");
    expect(amendmentOutcome(apiError(400, "Bad Request: message to delete not found"))).toBe("gone");
    expect(amendmentOutcome(apiError(400, "Bad Request: message can't be deleted for everyone"))).toBe("failed");
    expect(amendmentOutcome(apiError(400, "Bad Request: message can't be edited"))).toBe("failed");
  });

  it("leaves everything else to classifyFailure: 429, 403, 5xx, network", () => {
    expect(amendmentOutcome(apiError(429, "Too Many Requests: retry after 5", { retry_after: 5 }))).toBeUndefined();
    expect(amendmentOutcome(apiError(403, "Forbidden: bot was blocked by the user"))).toBeUndefined();
    expect(amendmentOutcome(apiError(502, "Bad Gateway"))).toBeUndefined();
    expect(amendmentOutcome(new Error("socket hang up"))).toBeUndefined();
  });
});
