/**
 * The desk's security over plain HTTP, against the real server: the one-time link (once, 10 minutes),
 * the session cookie, CSRF and origin checks on every POST, the CSP, the Mini App's initData, an editor
 * taken out of the newsroom, and no secret in the logs.
 */
import { afterEach, describe, expect, it } from "vitest";
import { LINK_TTL_MS, nightEnd, SESSION_MAX_MS, validateInitData } from "../../src/desk/auth.js";
import { CSP, signInitData } from "../../src/desk/index.js";
import { buildElection, FakeEligendo } from "../support/fake-eligendo/index.js";
import { closeLater, closeNights, minutes } from "../support/feed-night.js";
import { ADMIN, startHarness } from "../support/harness.js";
import { type DeskNight, startDeskNight } from "./support.js";

afterEach(closeNights);

const DATE = "2017-06-11";
const TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";

async function night(logs?: string[]): Promise<DeskNight> {
  const election = buildElection({ date: DATE, places: [{ code: "050901160", name: "VICENZA" }], seed: 3 });
  const fake = closeLater(await FakeEligendo.start(election));
  const n = await startDeskNight(fake, { date: DATE, ...(logs ? { logs } : {}) });
  await n.cycle();
  return n;
}

/** Redeems a link as the page's form does; the answer (not followed). */
const redeem = (n: DeskNight, link: string, headers: Record<string, string> = {}) =>
  fetch(`${n.origin}/desk/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: n.origin, ...headers },
    body: new URLSearchParams({ t: new URL(link).searchParams.get("t")! }),
  });

/** Signs in; the cookie and the page's CSRF token. */
async function signIn(n: DeskNight): Promise<{ cookie: string; csrf: string }> {
  const r = await redeem(n, await n.askLink());
  expect(r.status).toBe(303);
  const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
  const page = await (await fetch(`${n.origin}/desk/`, { headers: { cookie } })).text();
  const csrf = /<meta name="csrf" content="([^"]+)">/.exec(page)![1]!;
  return { cookie, csrf };
}

const post = (n: DeskNight, path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${n.origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: n.origin, "sec-fetch-site": "same-origin", ...headers },
    body: JSON.stringify(body),
  });

describe("the desk's sign-in", () => {
  it("/desk says the desk is off when the bot serves none", async () => {
    const h = closeLater(await startHarness());
    const answer = (await h.say("/redazione", { userId: ADMIN }))[0]!.plain;
    expect(answer).toContain("Il desk non è attivo");
    expect(answer).toContain("DESK_PORT");
  });

  it("a /desk link works once, for 10 minutes, for an editor only; it makes an HttpOnly, SameSite=Strict cookie", async () => {
    const n = await night();
    // Someone outside the newsroom gets no link.
    expect((await n.h.say("/desk", { userId: 9999 }))[0]!.plain).not.toContain("/desk/login");
    const link = await n.askLink();
    // The link's page does not use the token up (a link preview may fetch it).
    expect((await fetch(link)).status).toBe(200);
    const r = await redeem(n, link);
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe("/desk/");
    const cookie = r.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^desk_session=[A-Za-z0-9_-]{43}; Path=\/desk; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    // Plain HTTP on loopback: not Secure. Behind the HTTPS proxy: Secure.
    expect(cookie).not.toContain("Secure");
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)![1]);
    expect(maxAge * 1000).toBeLessThanOrEqual(SESSION_MAX_MS);
    // Once only.
    expect((await redeem(n, link)).status).toBe(403);
    // Ten minutes only.
    const late = await n.askLink();
    n.clock.t += LINK_TTL_MS + 1000;
    expect((await redeem(n, late)).status).toBe(403);
    const behindProxy = await redeem(n, await n.askLink(), { "x-forwarded-proto": "https" });
    expect(behindProxy.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("the session ends at the end of the night (08:00 on the election's clock) or after 12 hours", () => {
    const at = (iso: string) => Date.parse(iso);
    expect(nightEnd(at("2017-06-11T23:30:00+02:00"), "Europe/Rome")).toBe(at("2017-06-12T08:00:00+02:00"));
    expect(nightEnd(at("2017-06-12T07:59:00+02:00"), "Europe/Rome")).toBe(at("2017-06-12T08:00:00+02:00"));
    expect(nightEnd(at("2017-06-12T08:00:00+02:00"), "Europe/Rome")).toBe(at("2017-06-13T08:00:00+02:00"));
  });

  it("nothing but the sign-in answers without a session", async () => {
    const n = await night();
    for (const path of [
      "/desk/",
      "/desk/api/state",
      "/desk/api/comune?key=024116",
      "/desk/api/search?q=Vicenza",
      "/desk/events",
    ])
      expect((await fetch(`${n.origin}${path}`)).status, path).toBe(401);
    const forged = await fetch(`${n.origin}/desk/api/state`, {
      headers: { cookie: "desk_session=forged-session-id-0000000000000000000000000" },
    });
    expect(forged.status).toBe(401);
    expect((await post(n, "/desk/api/release", { key: "1t:050901160" }, {})).status).toBe(401);
    expect((await fetch(`${n.origin}/healthz`)).status).toBe(200);
  });

  it("every answer carries the strict CSP; the page has no inline script", async () => {
    const n = await night();
    const { cookie } = await signIn(n);
    for (const path of ["/desk/", "/desk/api/state", "/desk/app.js"]) {
      const r = await fetch(`${n.origin}${path}`, { headers: { cookie } });
      expect(r.headers.get("content-security-policy"), path).toBe(CSP);
      expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    }
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain("unsafe");
    const page = await (await fetch(`${n.origin}/desk/`, { headers: { cookie } })).text();
    expect([...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script src="/desk/app.js" defer>']);
    expect(page).not.toMatch(/ on[a-z]+="/);
  });
});

describe("the desk's actions", () => {
  it("every POST needs the session's CSRF token, JSON, and the desk's own origin", async () => {
    const n = await night();
    const { cookie, csrf } = await signIn(n);
    const body = { kind: "publish", text: "Prova #Vicenza" };
    expect((await post(n, "/desk/api/draft", body, { cookie })).status).toBe(403);
    expect((await post(n, "/desk/api/draft", body, { cookie, "x-csrf-token": "x".repeat(43) })).status).toBe(403);
    const other = await signIn(n);
    expect((await post(n, "/desk/api/draft", body, { cookie, "x-csrf-token": other.csrf })).status).toBe(403);
    expect(
      (await post(n, "/desk/api/draft", body, { cookie, "x-csrf-token": csrf, "sec-fetch-site": "cross-site" })).status,
    ).toBe(403);
    expect(
      (await post(n, "/desk/api/draft", body, { cookie, "x-csrf-token": csrf, "sec-fetch-site": "same-site" })).status,
    ).toBe(403);
    expect(
      (await post(n, "/desk/api/draft", body, { cookie, "x-csrf-token": csrf, origin: "https://evil.example" })).status,
    ).toBe(403);
    const form = await fetch(`${n.origin}/desk/api/draft`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf, "content-type": "text/plain" },
      body: JSON.stringify(body),
    });
    expect(form.status).toBe(415);
    const ok = await post(n, "/desk/api/draft", body, { cookie, "x-csrf-token": csrf });
    expect(ok.status).toBe(200);
    const preview = (await ok.json()) as { ok: boolean; id: number; html: string };
    expect(preview.ok).toBe(true);
    expect(preview.html).toContain("Prova #Vicenza");
    // A draft is its author's: another editor cannot confirm it.
    (n.h.runtime.app.adminIds as Set<number>).add(43);
    const r = await redeem(n, await n.askLink(43));
    const otherCookie = r.headers.get("set-cookie")!.split(";")[0]!;
    const otherCsrf = /<meta name="csrf" content="([^"]+)">/.exec(
      await (await fetch(`${n.origin}/desk/`, { headers: { cookie: otherCookie } })).text(),
    )![1]!;
    const stolen = await post(
      n,
      "/desk/api/draft/confirm",
      { id: preview.id },
      { cookie: otherCookie, "x-csrf-token": otherCsrf },
    );
    expect(await stolen.json()).toMatchObject({ ok: false, message: "La bozza è di un altro redattore." });
    const mine = await post(n, "/desk/api/draft/confirm", { id: preview.id }, { cookie, "x-csrf-token": csrf });
    expect(await mine.json()).toMatchObject({ ok: true });
  });

  it("an editor taken out of ADMIN_IDS loses the desk on the next request, and the live stream", async () => {
    const n = await night();
    const { cookie, csrf } = await signIn(n);
    expect((await fetch(`${n.origin}/desk/api/state`, { headers: { cookie } })).status).toBe(200);
    const stream = await fetch(`${n.origin}/desk/events`, { headers: { cookie } });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("retry:");
    (n.h.runtime.app.adminIds as Set<number>).delete(ADMIN);
    expect((await fetch(`${n.origin}/desk/api/state`, { headers: { cookie } })).status).toBe(401);
    expect((await post(n, "/desk/api/release", { key: "1t:050901160" }, { cookie, "x-csrf-token": csrf })).status).toBe(
      401,
    );
    // The stream ends at its next tick.
    let done = false;
    const deadline = Date.now() + 3000;
    while (!done && Date.now() < deadline) done = (await reader.read()).done;
    expect(done).toBe(true);
    // And /desk gives no link any more.
    expect((await n.h.say("/desk", { userId: ADMIN }))[0]!.plain).not.toContain("/desk/login");
  });

  it("logs who signed in, never a token", async () => {
    const logs: string[] = [];
    const n = await night(logs);
    const link = await n.askLink();
    const { cookie, csrf } = await signIn(n);
    await redeem(n, link);
    const all = logs.join("\n");
    expect(all).toContain('"editor":42');
    expect(all).not.toContain(new URL(link).searchParams.get("t")!);
    expect(all).not.toContain(cookie.split("=")[1]!);
    expect(all).not.toContain(csrf);
    expect(all).not.toContain(n.h.fake.token);
  });
});

describe("the Mini App's initData, as Telegram documents it", () => {
  const now = Date.parse("2017-06-11T22:00:00Z");
  const fields = { auth_date: String(now / 1000), query_id: "AAH", user: JSON.stringify({ id: 42, first_name: "R" }) };

  it("accepts what Telegram signed for this bot, fresh", () => {
    expect(validateInitData(signInitData(fields, TOKEN), TOKEN, now)).toEqual({ userId: 42 });
    // The fields in any order: the check string sorts them.
    const shuffled = new URLSearchParams(signInitData(fields, TOKEN));
    const reordered = new URLSearchParams([...shuffled.entries()].reverse()).toString();
    expect(validateInitData(reordered, TOKEN, now)).toEqual({ userId: 42 });
  });

  it("refuses another bot's signature, a changed field, no hash, an old auth_date", () => {
    expect(validateInitData(signInitData(fields, "999:another-bot-token-xxxxxxxxxxxxxxx"), TOKEN, now)).toBeUndefined();
    const changed = new URLSearchParams(signInitData(fields, TOKEN));
    changed.set("user", JSON.stringify({ id: 43, first_name: "R" }));
    expect(validateInitData(changed.toString(), TOKEN, now)).toBeUndefined();
    const noHash = new URLSearchParams(signInitData(fields, TOKEN));
    noHash.delete("hash");
    expect(validateInitData(noHash.toString(), TOKEN, now)).toBeUndefined();
    expect(validateInitData(signInitData(fields, TOKEN), TOKEN, now + minutes(61))).toBeUndefined();
    expect(validateInitData("", TOKEN, now)).toBeUndefined();
  });

  it("signs in an editor over HTTP; refuses anyone else", async () => {
    const n = await night();
    const signed = (id: number) =>
      signInitData({ auth_date: String(Math.floor(n.clock.t / 1000)), user: JSON.stringify({ id }) }, n.h.fake.token);
    const ask = (initData: string) =>
      fetch(`${n.origin}/desk/auth/webapp`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: n.origin },
        body: JSON.stringify({ initData }),
      });
    const ok = await ask(signed(ADMIN));
    expect(ok.status).toBe(204);
    expect(ok.headers.get("set-cookie")).toMatch(/^desk_session=.*HttpOnly; SameSite=Strict/);
    expect((await ask(signed(9999))).status).toBe(403);
  });
});
