/**
 * `npm run replay`: a simulated election night in the terminal chat, without the Ministry.
 *
 * The fake of the Ministry's feed (test/support/fake-eligendo) runs on loopback with a few dozen real
 * comuni and invented figures, and plays a whole night — the turnout readings, then each comune's count
 * section by section, then the outcomes — compressed into a few minutes. The real bot follows it as it
 * would follow the Ministry (ELIGENDO_*), in the terminal chat of `npm run chat`: the session follows one
 * comune, whose readings, partial counts, certain call, held anomaly and outcome arrive as pushes, and
 * everything can be asked meanwhile (/citta, /affluenza, /ballottaggi, /stato…). The followed comune's
 * complete count first comes with sums that do not add up: held, until the Ministry's corrected answer a
 * little later releases it by itself and the count complete is announced once. Every figure is labelled
 * as simulated: the cards' source line and every bulletin say so.
 *
 *   npm run replay                    # 3 minutes, 36 comuni
 *   npm run replay -- --minuti 6 --comuni 48 --segui Bergamo
 *   npm run replay -- --desk          # and the newsroom's desk on http://localhost:8080 (--porta to change)
 *
 * With --desk the bot's HTTP server serves the desk too, and the terminal prints its address and a login
 * link: the night can be watched on the page while the terminal shows the chat.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import type { ComuneIdentity } from "../src/data/model.js";
import { createDesk } from "../src/desk/index.js";
import { RECHECK_MS } from "../src/feed/poller/index.js";
import { createRuntime, type Runtime } from "../src/runtime.js";
import { close as closeServer, createDeskServer, listen } from "../src/server.js";
import { FIRST_USER, TERMINAL_BOT, TerminalSession } from "../src/terminal/session.js";
import {
  buildElection,
  type FakeComune,
  FakeEligendo,
  firstRoundAnswer,
  nightTime,
  playNight,
  sizeByRules,
} from "../test/support/fake-eligendo/index.js";

const LABEL = "SIMULAZIONE, dati inventati (non del Ministero)";
/** The regions that run their own municipal elections: not in the Ministry's feed. */
const OWN_ELECTIONS = new Set([
  "Sicilia",
  "Friuli-Venezia Giulia",
  "Valle d'Aosta/Vallée d'Aoste",
  "Trentino-Alto Adige/Südtirol",
]);
/** A real night, from the polls' opening (07:00) to the last sections counted (about 03:00): 20 hours. */
const NIGHT_MINUTES = 20 * 60;

const out = (s: string) => process.stdout.write(`${s}\n`);

const { values: args } = parseArgs({
  options: {
    minuti: { type: "string", default: "3" },
    comuni: { type: "string", default: "36" },
    segui: { type: "string" },
    seme: { type: "string", default: "2026" },
    desk: { type: "boolean", default: false },
    porta: { type: "string", default: "8080" },
  },
});

const isoDay = (d: Date) => d.toLocaleDateString("sv-SE", { timeZone: "Europe/Rome" });

/** Real comuni of the Ministry's feed: capoluoghi first, then others, a few per region. */
function pickPlaces(index: ComuneIdentity[], n: number): ComuneIdentity[] {
  const eligible = index.filter((c) => c.eligendo && !OWN_ELECTIONS.has(c.region));
  const capoluoghi = eligible
    .filter((c) => c.name === c.provinceName)
    .sort((a, b) => a.name.localeCompare(b.name, "it"));
  const chosen: ComuneIdentity[] = [];
  const perRegion = new Map<string, number>();
  for (const c of capoluoghi) {
    if (chosen.length >= Math.ceil(n * 0.6)) break;
    if ((perRegion.get(c.region) ?? 0) >= 3) continue;
    perRegion.set(c.region, (perRegion.get(c.region) ?? 0) + 1);
    chosen.push(c);
  }
  // Small comuni of the same provinces: one round, a few sections each.
  for (const c of eligible) {
    if (chosen.length >= n) break;
    if (chosen.includes(c) || !chosen.some((x) => x.province === c.province)) continue;
    if (chosen.filter((x) => x.province === c.province).length >= 2) continue;
    chosen.push(c);
  }
  return chosen;
}

/** Candidates' strengths set so that the comune's outcome is clear early (a certain call before the end). */
function shape(c: FakeComune, weights: number[], tipo: "M" | "N"): void {
  c.tipoComune = tipo;
  c.candidates = c.candidates.slice(0, weights.length);
  c.candidates.forEach((k, i) => {
    k.weight = weights[i] ?? 0.5;
  });
}

async function packDir(date: string, places: ComuneIdentity[], electors: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "elezioni-replay-"));
  const election = JSON.parse(await readFile("data/election.json", "utf8")) as Record<string, unknown>;
  const runoff = new Date(`${date}T12:00:00Z`);
  runoff.setUTCDate(runoff.getUTCDate() + 14);
  Object.assign(election, {
    id: `simulazione-${date}`,
    name: "Simulazione di una notte elettorale",
    firstRoundDate: date,
    runoffDate: runoff.toISOString().slice(0, 10),
    comuniVoting: places.length,
    capoluoghiVoting: places.filter((c) => c.name === c.provinceName).length,
    voters: electors,
    population: electors,
    votingComuni: places.map((c) => c.istat),
    votingListComplete: true,
    provenance: { source: LABEL, urls: [], status: "partial" },
  });
  delete election.runoffComuniVoting;
  await writeFile(path.join(dir, "election.json"), JSON.stringify(election, null, 2));
  await writeFile(path.join(dir, "comuni.json"), await readFile("data/comuni.json", "utf8"));
  return dir;
}

async function main(): Promise<void> {
  const minutes = Math.max(1, Number(args.minuti) || 3);
  const count = Math.min(120, Math.max(6, Number(args.comuni) || 36));
  const date = isoDay(new Date());
  const index = (JSON.parse(await readFile("data/comuni.json", "utf8")) as { comuni: ComuneIdentity[] }).comuni;
  const places = pickPlaces(index, count);
  const followedName = args.segui ?? places[0]!.name;
  const followed = places.find((c) => c.name.toLowerCase() === followedName.toLowerCase()) ?? places[0]!;

  const election = buildElection({
    date,
    places: places.map((c) => ({ code: c.eligendo!, name: c.name.toUpperCase() })),
    seed: Number(args.seme) || 2026,
  });
  const capoluoghi = new Set(places.filter((c) => c.name === c.provinceName).map((c) => c.eligendo));
  sizeByRules(election, (code) => capoluoghi.has(code));
  // The comune the session follows: a clear lead, so that the call comes well before the last section.
  const mine = election.comuni.find((c) => c.code === followed.eligendo)!;
  Object.assign(mine, { electors: Math.max(mine.electors, 90_000), sections: Math.max(mine.sections, 110) });
  shape(mine, [6, 2.6, 1.2, 0.6], "M");
  const electors = election.comuni.reduce((s, c) => s + c.electors, 0);
  const fake = await FakeEligendo.start(election);
  const dir = await packDir(date, places, electors);

  const durationMs = minutes * 60_000;
  // One clock for everything the replay shows: the night's (07:00 → 03:30, compressed), never the wall's.
  let nightStart: number | undefined;
  const clock = () => nightTime(date, nightStart === undefined ? 0 : (Date.now() - nightStart) / durationMs);
  // The bot's log goes to a file: the chat shows what a user would see, nothing else.
  await mkdir("var", { recursive: true });
  const logFile = path.resolve("var", "replay.log");
  const scale = durationMs / (NIGHT_MINUTES * 60_000);
  const pollMs = 1_000;
  const newsroom = new Set([FIRST_USER]);
  const session = new TerminalSession({ out, color: process.stdout.isTTY === true && !process.env.NO_COLOR, newsroom });
  const runtime: Runtime = await createRuntime({
    token: "0:terminal",
    dataDir: dir,
    databasePath: ":memory:",
    adminIds: newsroom,
    sendRate: 30,
    paidBroadcast: false,
    logger: pino(
      { level: process.env.LOG_LEVEL ?? "info", base: undefined },
      pino.destination({ dest: logFile, sync: true }),
    ),
    now: clock,
    botInfo: TERMINAL_BOT,
    rateLimit: false,
    transformers: [session.api(TERMINAL_BOT.id)],
    feed: { date, apiRoot: fake.apiRoot, pollMs, maxRps: 20, bulletins: "auto" },
    feedOptions: {
      simulationLabel: LABEL,
      // 15 minutes and 20 minutes of a real night, compressed like the night.
      progressEveryMs: Math.max(6_000, 15 * 60_000 * scale),
      // A complete count not settled (held, or its outcome not stated) is asked again every 5 minutes: compressed.
      live: {
        sweepEveryMs: 500,
        // On the night's clock, like every time the cards show.
        staleMinutes: 20,
        poller: { recheckMs: Math.max(2 * pollMs, RECHECK_MS * scale) },
      },
    },
  });
  session.connect(runtime);
  await runtime.bot.init();
  runtime.start();
  const web = args.desk ? await serveDesk(runtime, Number(args.porta)) : undefined;

  out(
    session.dim(
      `🧪 Simulazione: ${places.length} comuni veri con dati inventati, una notte elettorale in ${minutes} minuti.\n` +
        `Segui ${followed.name}: arriveranno l'affluenza, lo scrutinio, una chiamata certa prima della fine, ` +
        `un'anomalia trattenuta (come redazione ti viene segnalata), uno scrutinio completo con i conti che ` +
        `non tornano, trattenuto finché il Ministero non lo corregge, e l'esito.\n` +
        `Intanto chiedi quello che vuoi: /citta ${followed.name}, /affluenza, /affluenza ${followed.region}, /ballottaggi, /stato. :esci per uscire.\n` +
        `Ogni orario è quello della notte simulata (dalle 07:00 alle 03:30, ${Math.round(1 / scale)} volte più veloce). Il log del bot è in ${logFile}.\n`,
    ),
  );
  await session.line(`/iscriviti ${followed.name}`);

  // Later in the count, one answer about the followed comune goes backwards (a candidate loses votes):
  // the bot holds its bulletins, tells the newsroom, and lets them go once the figures add up again.
  let injected = false;
  // Then the count's last answer does not add up (more votes to the candidates than the ballots allow): held,
  // and asked again until the Ministry's corrected answer, half an hour of the night later, releases it.
  let completeInjected = false;
  let badUntil = 0;
  const path9 = `PR/${followed.eligendo!.slice(2, 5)}/CM/${followed.eligendo!.slice(5)}`;
  let ended!: () => void;
  const nightOver = new Promise<void>((resolve) => {
    ended = resolve;
  });
  nightStart = Date.now();
  const stop = playNight(election, {
    durationMs,
    tickMs: 250,
    clock,
    onTick: (t) => {
      const seen = runtime.feed?.live.poller.comune(followed.eligendo!)?.first.result;
      if (!injected && seen?.sections && seen.sections.counted > mine.sections * 0.35) {
        injected = true;
        // The answer as it stands, with the leader's votes below what the bot already has.
        const bad = firstRoundAnswer(mine, date) as { cand: { voti?: number }[] };
        const leaderVotes = Math.max(...seen.candidates.map((k) => k.votes ?? 0));
        const target = [...bad.cand].sort((a, b) => (b.voti ?? 0) - (a.voti ?? 0))[0];
        if (target && leaderVotes > 40) target.voti = leaderVotes - 40;
        fake.inject(path9, { kind: "json", body: bad }, 3);
      }
      if (!completeInjected && mine.first.counted >= mine.sections) {
        completeInjected = true;
        const wrong = firstRoundAnswer(mine, date) as { int: { sk_nulle: number } };
        wrong.int.sk_nulle += 120;
        badUntil = Date.now() + Math.max(3 * pollMs, 30 * 60_000 * scale);
        fake.inject((p) => p.includes(path9) && Date.now() < badUntil, { kind: "json", body: wrong });
      }
      if (t >= 1) ended();
    },
  });
  void nightOver.then(() =>
    out(session.dim("— fine della simulazione: la notte è finita, puoi continuare a chiedere —\n")),
  );

  const tty = process.stdin.isTTY === true;
  await session.readLines(process.stdin, tty);
  // Piped input: the night plays to its end before the replay closes.
  if (!tty) await nightOver;
  stop();
  await session.drain();
  if (web) await web.close();
  await runtime.stop();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
}

/** The desk on the bot's HTTP server, with its address and a login link printed for the newsroom. */
async function serveDesk(runtime: Runtime, port: number): Promise<{ close(): Promise<void> }> {
  const publicUrl = `http://localhost:${port}`;
  const desk = createDesk({
    app: runtime.app,
    botToken: "0:terminal",
    delivery: {
      engine: runtime.engine,
      liveCards: runtime.liveCards,
      ...(runtime.budget ? { budget: runtime.budget } : {}),
      sendRate: 30,
    },
    logger: runtime.app.logger,
    publicUrl,
    // Links and sessions on the wall's clock: the simulated night runs hundreds of times faster.
    now: () => Date.now(),
  });
  runtime.app.deskLink = (id) => desk.link(id);
  const server = createDeskServer({ runtime, desk, logger: runtime.app.logger });
  await listen(server, port);
  out(
    `🖥  Desk della redazione: ${desk.url}\n   Entra con questo link (vale una volta, 10 minuti; poi /desk per un altro): ${desk.link(FIRST_USER)}\n`,
  );
  return {
    async close() {
      desk.close();
      server.closeAllConnections();
      await closeServer(server);
    },
  };
}

main().catch((err: unknown) => {
  console.error("Errore inatteso:", err instanceof Error ? err.message : err);
  process.exit(1);
});
