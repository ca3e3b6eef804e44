/**
 * The desk in a real browser: Debian's Chromium, headless, driven by playwright-core, against the real
 * bot (runtime, feed, anomaly gate, outbox), the fake Bot API and the fake Ministry feed. An editor signs
 * in with the `/desk` link, watches a comune's sections count up as the feed moves, releases a held
 * comune and sees its bulletin reach a subscriber in the fake Telegram, publishes with the preview; and
 * the desk refuses a visitor without a session, an expired link, a forged Mini App sign-in and a form
 * posted from another site. The main view's screenshot goes to docs/desk.png.
 *
 * No browser is downloaded: without /usr/bin/chromium (`apt-get install chromium`) these tests fail.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { signInitData } from "../../src/desk/index.js";
import { close, listen } from "../../src/server.js";
import { buildElection, FakeEligendo, firstRoundAnswer } from "../support/fake-eligendo/index.js";
import { closeLater, closeNights, minutes, shapeCandidates } from "../support/feed-night.js";
import { ADMIN } from "../support/harness.js";
import { type DeskNight, startDeskNight } from "./support.js";

const CHROMIUM = "/usr/bin/chromium";
const DATE = "2017-06-11";
const VICENZA = "050901160";
const BARLETTA = "161060020";
const PADOVA = "050540600";
const FOLLOWER = 2001;

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(closeNights);

async function night(): Promise<DeskNight> {
  const election = buildElection({
    date: DATE,
    places: [
      { code: VICENZA, name: "VICENZA" },
      { code: BARLETTA, name: "BARLETTA" },
      { code: PADOVA, name: "PADOVA" },
    ],
    seed: 11,
    provinceNames: { "05090": "VICENZA", "05054": "PADOVA", "16106": "BARLETTA-ANDRIA-TRANI" },
    regionNames: { "05": "VENETO", "16": "PUGLIA" },
  });
  const fake = closeLater(await FakeEligendo.start(election));
  Object.assign(fake.comune(VICENZA), { electors: 87225, sections: 112 });
  Object.assign(fake.comune(BARLETTA), { electors: 80382, sections: 104 });
  shapeCandidates(fake.comune(VICENZA), "M", [6, 3, 1]);
  shapeCandidates(fake.comune(BARLETTA), "M", [4, 3.5, 2.5]);
  shapeCandidates(fake.comune(PADOVA), "M", [4.5, 4, 1.5]);
  for (const c of election.comuni) {
    delete c.runoff;
    c.first.readings = 4;
  }
  const n = await startDeskNight(fake, { date: DATE, tickMs: 250 });
  await n.cycle();
  return n;
}

/** Signs in with the link the bot gives the editor: the page, its button, the desk live. */
async function signIn(n: DeskNight, page: Page): Promise<void> {
  await page.goto(await n.askLink());
  await page.getByRole("button", { name: "Entra nel desk" }).click();
  await page.waitForURL(`${n.origin}/desk/`);
  await expect.poll(() => page.locator("#conn").textContent()).toBe("In diretta");
}

/** The table's row of a comune. */
const row = (page: Page, name: string) => page.locator("#rows tr", { has: page.getByRole("button", { name }) });

describe("the desk in a browser", () => {
  it("an editor signs in with the /desk link, watches sections count up, releases a held comune that then reaches its follower, and publishes with the preview", async () => {
    const n = await night();
    await n.h.say("/iscriviti Barletta", { userId: FOLLOWER });
    await n.h.say("/iscriviti Vicenza", { userId: FOLLOWER });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await signIn(n, page);

    // The session cookie: HttpOnly, SameSite=Strict, for the desk's paths only.
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "desk_session", httpOnly: true, sameSite: "Strict", path: "/desk" });

    // Vicenza's sections count up as the feed moves: on the page within 2 s of the bot knowing.
    await page.getByLabel("Cerca").fill("Vicenza");
    await expect.poll(() => page.locator("#rows tr").count()).toBe(1);
    const v = n.fake.comune(VICENZA);
    for (const counted of [10, 30, 57]) {
      v.first.counted = counted;
      await n.cycle(1);
      const known = Date.now();
      await row(page, "Vicenza")
        .locator("td.sections", { hasText: `${counted}/112` })
        .waitFor({ timeout: 2_000 });
      expect(Date.now() - known).toBeLessThan(2_000);
    }
    await expect.poll(() => row(page, "Vicenza").textContent()).toContain("in testa");
    await page.getByLabel("Cerca").fill("");

    // Barletta's figures go backwards: the gate holds it; the desk shows it among the held.
    const b = n.fake.comune(BARLETTA);
    b.first.counted = 20;
    await n.cycle(1);
    const before = n.pushes(FOLLOWER).filter((t) => t.includes("Barletta")).length;
    // 30 sections a minute later (too soon for a progress bulletin), then the leader's votes fall.
    b.first.counted = 30;
    await n.cycle(1);
    const bad = structuredClone(firstRoundAnswer(b, DATE)) as { cand: { voti: number }[] };
    bad.cand[0]!.voti -= 50;
    n.fake.inject("PR/106/CM/0020", { kind: "json", body: bad });
    n.clock.t += minutes(20);
    await n.cycle();
    await page.getByLabel("Mostra").selectOption("held");
    await expect.poll(() => page.locator("#rows tr").count()).toBe(1);
    await expect.poll(() => row(page, "Barletta").textContent()).toContain("in verifica");
    await expect.poll(() => page.locator("#glance-body").textContent()).toMatch(/1in verifica/);

    // Its page: the card as Telegram shows it, the anomaly that holds it, and the release.
    await row(page, "Barletta").getByRole("button", { name: "Barletta" }).click();
    const comune = page.locator("#comune");
    await expect.poll(() => comune.locator(".card").textContent()).toContain("Nuovi dati in verifica");
    await expect.poll(() => comune.textContent()).toContain("trattiene i bollettini");
    await comune.getByRole("button", { name: "Sblocca Barletta" }).click();
    await expect.poll(() => comune.textContent()).toContain("bollettini sbloccati");
    await n.h.runtime.engine.drained();
    await expect
      .poll(() => n.pushes(FOLLOWER).filter((t) => t.includes("Barletta")).length, { timeout: 5_000 })
      .toBeGreaterThan(before);
    // No longer among the held: released.
    await expect.poll(() => page.locator("#rows tr").count()).toBe(0);
    await page.getByLabel("Mostra").selectOption("");
    await expect.poll(() => row(page, "Barletta").textContent()).toContain("sbloccato");
    await page.locator("#comune-close").click();

    // Publish with the preview exactly as subscribers get it, and the chats it reaches.
    await page.getByLabel(/Testo/).fill("Prova dal desk: seggi chiusi regolarmente #Vicenza");
    await page.getByRole("button", { name: "Anteprima" }).click();
    const preview = page.locator("#preview");
    await expect.poll(() => preview.locator(".tg").textContent()).toContain("Prova dal desk");
    await expect.poll(() => preview.textContent()).toContain("Raggiunge 1 chat.");
    await preview.getByRole("button", { name: "Invia" }).click();
    await expect.poll(() => preview.textContent()).toMatch(/Pubblicato \(n\. \d+\)/);
    await n.h.runtime.engine.drained();
    await expect
      .poll(() => n.pushes(FOLLOWER).some((t) => t.includes("Prova dal desk")), { timeout: 5_000 })
      .toBe(true);

    // Logged with the editor's id, and in /stato.
    const status = (await n.h.say("/stato", { userId: ADMIN }))[0]!.plain;
    expect(status).toContain("Ultime azioni della redazione");
    expect(status).toMatch(/pubblicato #\d+ Prova dal desk.* redattore 42 dal desk/);
    expect(status).toMatch(/sbloccato Barletta.* redattore 42 dal desk/);

    // The main view for the README.
    await expect.poll(() => page.locator("#journal-body").textContent()).toContain("publish");
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: "docs/desk.png" });

    // On a phone's width the table scrolls inside its box, the page does not overflow.
    await page.setViewportSize({ width: 390, height: 800 });
    const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
    expect(overflow).toBeLessThanOrEqual(1);
    await context.close();
  }, 90_000);

  it("refuses a visitor without a session, an expired or used link, a forged Mini App sign-in and a cross-site form; a signed one gets in", async () => {
    const n = await night();
    const context = await browser.newContext();
    const page = await context.newPage();

    // Without a session: the page says so, the API answers 401.
    const first = await page.goto(`${n.origin}/desk/`);
    expect(first?.status()).toBe(401);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Accesso riservato alla redazione");
    expect((await page.goto(`${n.origin}/desk/api/state`))?.status()).toBe(401);

    // A link past its 10 minutes.
    const old = await n.askLink();
    n.clock.t += minutes(11);
    await page.goto(old);
    const expired = page.waitForResponse((r) => r.url().endsWith("/desk/login"));
    await page.getByRole("button", { name: "Entra nel desk" }).click();
    expect((await expired).status()).toBe(403);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Link non valido");
    expect(await context.cookies()).toHaveLength(0);

    // A forged initData (signed with another token): refused, no cookie.
    const now = Math.floor(n.clock.t / 1000);
    const user = JSON.stringify({ id: ADMIN, first_name: "Redazione" });
    const forged = signInitData({ auth_date: String(now), user }, "123456:not-the-bots-token-xxxxxxxxxxxx");
    await page.goto(`${n.origin}/desk/#tgWebAppData=${encodeURIComponent(forged)}`);
    await expect.poll(() => page.locator(".error").textContent()).toContain("rifiutato");
    expect(await context.cookies()).toHaveLength(0);

    // The same, signed by Telegram for this bot: the Mini App gets in.
    const signed = signInitData({ auth_date: String(now), user }, n.h.fake.token);
    await page.goto("about:blank");
    await page.goto(`${n.origin}/desk/#tgWebAppData=${encodeURIComponent(signed)}`);
    await expect.poll(() => page.locator("#conn").textContent()).toBe("In diretta");

    // A form on another site posting to the desk with the editor's session: refused, nothing released.
    const b = n.fake.comune(BARLETTA);
    b.first.counted = 20;
    await n.cycle(1);
    const bad = structuredClone(firstRoundAnswer(b, DATE)) as { cand: { voti: number }[] };
    bad.cand[0]!.voti -= 50;
    n.fake.inject("PR/106/CM/0020", { kind: "json", body: bad });
    n.clock.t += minutes(20);
    await n.cycle();
    expect(n.h.runtime.feed!.held().filter((x) => !x.status.released)).toHaveLength(1);
    const evil = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><form id="f" method="post"
        action="${n.origin}/desk/api/release" enctype="text/plain"><input name='{"key":"1t:${BARLETTA}","x":"' value='"}'></form>
        <script>document.getElementById("f").submit()</script>`);
    });
    await listen(evil, 0);
    try {
      const answer = page.waitForResponse((r) => r.url().endsWith("/desk/api/release"));
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      expect((await answer).status()).toBe(403);
    } finally {
      evil.closeAllConnections();
      await close(evil);
    }
    expect(n.h.runtime.feed!.held().filter((x) => !x.status.released)).toHaveLength(1);
    await context.close();
  }, 90_000);

  it("stays responsive with 8,000 comuni: a page of rows in the document, sorting and filtering well under a second", async () => {
    const n = await night();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await signIn(n, page);
    // The real state, and 8,000 rows made from the real ones: served as the event stream's first events.
    const state = (await (await page.request.get(`${n.origin}/desk/api/state`)).json()) as {
      rows: { key: string; name: string; followers: number; region: string }[];
    };
    const model = state.rows[0]!;
    const regions = ["Piemonte", "Lombardia", "Veneto", "Lazio", "Campania", "Puglia", "Toscana", "Sardegna"];
    const rows = Array.from({ length: 8000 }, (_, i) => ({
      ...model,
      key: String(100000 + i),
      name: `Comune ${String(i).padStart(4, "0")}`,
      followers: (i * 7919) % 1000,
      region: regions[i % regions.length]!,
    }));
    const { rows: _, ...rest } = state;
    const body = `event: state\ndata: ${JSON.stringify(rest)}\n\nevent: rows\ndata: ${JSON.stringify({ rows, gone: [], full: true })}\n\n`;
    await page.route("**/desk/events", (route) =>
      route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body }),
    );
    await page.reload();
    await expect.poll(() => page.locator("#count").textContent(), { timeout: 10_000 }).toBe("8.000 comuni");
    expect(await page.locator("#rows tr").count()).toBe(100);
    const timed = async (act: () => Promise<void>, done: () => Promise<boolean>) => {
      const t0 = Date.now();
      await act();
      await expect.poll(done, { interval: 10 }).toBe(true);
      return Date.now() - t0;
    };
    const sortByName = await timed(
      () => page.getByRole("button", { name: "Comune", exact: true }).click(),
      async () => (await page.locator("#rows tr").first().textContent())?.includes("Comune 0000") ?? false,
    );
    const filterRegion = await timed(
      () =>
        page
          .getByLabel("Regione")
          .selectOption("Veneto")
          .then(() => undefined),
      async () => (await page.locator("#count").textContent()) === "1.000 comuni",
    );
    const nextPage = await timed(
      () => page.getByRole("button", { name: "Successivi ›" }).click(),
      async () => (await page.locator("#page").textContent()) === "pagina 2 di 10",
    );
    expect(sortByName).toBeLessThan(1000);
    expect(filterRegion).toBeLessThan(1000);
    expect(nextPage).toBeLessThan(1000);
    // Keyboard: the sort buttons and the pager are reachable and work with Enter.
    await page.getByRole("button", { name: "Seguito da" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("th[aria-sort]").textContent()).toBe("Seguito da");
    await context.close();
  }, 90_000);
});
