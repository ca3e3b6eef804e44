import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backoff, backsOff, DEFAULT_USER_AGENT, EligendoClient, type FetchOutcome } from "../../src/feed/client.js";
import { paths } from "../../src/feed/codes.js";
import { buildElection, FakeEligendo } from "../support/fake-eligendo/index.js";
import { vicenza2018 } from "./fixtures.js";

const DATE = "2026-05-24";
const VICENZA = "050901160";
const vicenzaPath = paths.results(DATE, "090", "1160");

let fake: FakeEligendo;
let client: EligendoClient;

beforeAll(async () => {
  const election = buildElection({ date: DATE, places: [{ code: VICENZA, name: "VICENZA" }] });
  fake = await FakeEligendo.start(election);
  client = new EligendoClient({ apiRoot: fake.apiRoot, timeoutMs: 400 });
});
afterAll(() => fake.close());

function expectKind<K extends FetchOutcome["kind"]>(o: FetchOutcome, kind: K): Extract<FetchOutcome, { kind: K }> {
  expect(o.kind).toBe(kind);
  return o as Extract<FetchOutcome, { kind: K }>;
}

describe("Eligendo client against the fake feed", () => {
  it("sends the Ministry site's Origin and Referer and a descriptive User-Agent", async () => {
    fake.inject(vicenzaPath, { kind: "json", body: vicenza2018() }, 1);
    const o = expectKind(await client.get(vicenzaPath), "data");
    expect(o.url).toBe(`${fake.apiRoot}${vicenzaPath}`);
    expect(o.bytes).toBeGreaterThan(1000);
    expect((o.body as { int: { desc_com: string } }).int.desc_com).toBe("VICENZA");
    const headers = fake.requestsTo(vicenzaPath).at(-1)!.headers!;
    expect(headers.origin).toBe("https://elezioni.interno.gov.it");
    expect(headers.referer).toBe("https://elezioni.interno.gov.it/");
    expect(headers["user-agent"]).toBe(DEFAULT_USER_AGENT);
    expect(headers["user-agent"]).toMatch(/Elezioni.*Ministero dell'Interno/);
  });

  it("reads 'Dati non trovati' as nothing yet, quietly", async () => {
    // Before the first section is counted the fake answers as the Ministry does.
    const o = await client.get(vicenzaPath);
    expect(o.kind).toBe("not-yet");
    expect(backsOff(o)).toBe(false);
  });

  it("reads 'Errore di sintassi' as a syntax error: an unpadded code gets one", async () => {
    const o = expectKind(await client.get("/scrutiniG/DE/20260524/TE/08/PR/90/CM/1160"), "syntax-error");
    expect(o.desc).toBe("Errore di sintassi");
    expect(backsOff(o)).toBe(false);
  });

  it("reads other error objects as API errors", async () => {
    const o = expectKind(await client.get(paths.enti("2020-01-01")), "api-error");
    expect(o).toMatchObject({ id: undefined, desc: "Data non permessa" });
  });

  it("reads an HTML 'Access Denied' page as blocked, and backs off", async () => {
    fake.inject(vicenzaPath, { kind: "access-denied" }, 1);
    const o = expectKind(await client.get(vicenzaPath), "blocked");
    expect(o.status).toBe(403);
    expect(backsOff(o)).toBe(true);
    // Without the Origin the Ministry expects, the fake refuses like the real API.
    const bare = await fetch(`${fake.apiRoot}${paths.enti(DATE)}`);
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain("Access Denied");
  });

  it("reads a 5xx as a server error, and backs off", async () => {
    fake.inject(vicenzaPath, { kind: "status", status: 503, body: "Service Unavailable" }, 1);
    const o = expectKind(await client.get(vicenzaPath), "server-error");
    expect(o.status).toBe(503);
    expect(backsOff(o)).toBe(true);
    fake.inject(vicenzaPath, { kind: "status", status: 404, body: "no" }, 1);
    expect(expectKind(await client.get(vicenzaPath), "http-error").status).toBe(404);
  });

  it("gives up on an answer that never comes: a timeout, and backs off", async () => {
    fake.inject(vicenzaPath, { kind: "hang" }, 1);
    const o = expectKind(await client.get(vicenzaPath), "timeout");
    expect(o.timeoutMs).toBe(400);
    expect(backsOff(o)).toBe(true);
  });

  it("reads JSON cut short as malformed", async () => {
    fake.inject(vicenzaPath, { kind: "malformed" }, 1);
    const o = expectKind(await client.get(vicenzaPath), "malformed");
    expect(o.reason).toMatch(/^JSON non valido/);
    expect(backsOff(o)).toBe(false);
  });

  it("refuses an answer over 5 MB, by its declared length or while reading it", async () => {
    fake.inject(vicenzaPath, { kind: "oversize", bytes: 6 * 1024 * 1024 }, 1);
    expect(expectKind(await client.get(vicenzaPath), "too-large").bytes).toBe(6 * 1024 * 1024);
    fake.inject(vicenzaPath, { kind: "oversize", bytes: 6 * 1024 * 1024, chunked: true }, 1);
    const o = expectKind(await client.get(vicenzaPath), "too-large");
    expect(o.bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(o.bytes).toBeLessThan(6 * 1024 * 1024);
    // Just under the cap is read.
    fake.inject(vicenzaPath, { kind: "oversize", bytes: 5 * 1024 * 1024 - 100, chunked: true }, 1);
    expect(expectKind(await client.get(vicenzaPath), "data").bytes).toBe(5 * 1024 * 1024 - 100);
  });

  it("reports a refused connection as a network error, and a stop as aborted", async () => {
    const dead = new EligendoClient({ apiRoot: "http://127.0.0.1:1/siel/PX", timeoutMs: 2000 });
    const o = expectKind(await dead.get(vicenzaPath), "network-error");
    expect(o.message).toMatch(/ECONNREFUSED|fetch failed/);
    expect(backsOff(o)).toBe(true);
    fake.inject(vicenzaPath, { kind: "hang" }, 1);
    const stop = new AbortController();
    const pending = client.get(vicenzaPath, stop.signal);
    setTimeout(() => stop.abort(), 20);
    expect((await pending).kind).toBe("aborted");
  });
});

describe("backoff", () => {
  it("doubles after each failure in a row, with jitter between half and all of it, up to a ceiling", () => {
    const low = new Backoff({ baseMs: 1000, maxMs: 8000, random: () => 0 });
    expect([low.failure(), low.failure(), low.failure(), low.failure(), low.failure()]).toEqual([
      500, 1000, 2000, 4000, 4000,
    ]);
    const high = new Backoff({ baseMs: 1000, maxMs: 8000, random: () => 0.999999 });
    expect([high.failure(), high.failure(), high.failure(), high.failure(), high.failure()]).toEqual([
      1000, 2000, 4000, 8000, 8000,
    ]);
    expect(high.failures).toBe(5);
    high.success();
    expect(high.failures).toBe(0);
    expect(high.failure()).toBe(1000);
  });
});
