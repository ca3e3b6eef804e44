/**
 * Several instances of the bot as real processes (`node --import tsx src/main.ts`, webhook mode) against
 * the fake Bot API, on a fresh PostgreSQL database each run (or SQLite, for the comparison): the pace of
 * one push with one instance and with two, the time a push takes to finish after `kill -9` of one of two
 * instances, and one instance's push on each store. The fake runs in this process; each bot process's CPU
 * is read from /proc.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PostgresStore } from "../src/store/postgres.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { NATIONAL, type Subscription } from "../src/store/store.js";
import {
  type BotProcess,
  Cleanups,
  commandUpdate,
  freshDatabase as freshDatabaseOn,
  healthz,
  peakPerSecond,
  postUpdate as postUpdateTo,
  startBot,
  until,
} from "../test/support/bot-processes.js";
import { FakeTelegram } from "../test/support/fake-bot-api/index.js";
import { freePort } from "../test/support/free-port.js";
import { ROOT_DIR, sleep, summarize, tempDir } from "./util.js";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET = "cluster-bench-secret-0123456789";
const ADMIN = 42;
const FIRST_CHAT = 70_000;

/** The PostgreSQL server the runs create their databases on. */
export function serverUrl(): string {
  return process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
}

const freshDatabase = (cleanups: Cleanups) => freshDatabaseOn(cleanups, serverUrl(), "bench_cluster_");

/** User + system CPU seconds of a process so far (Linux), or NaN. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

type Instance = BotProcess;

function startInstance(cleanups: Cleanups, port: number, env: Record<string, string>): Instance {
  return startBot(cleanups, {
    port,
    cwd: ROOT_DIR,
    keepOutput: 4000,
    env: {
      BOT_TOKEN: TOKEN,
      ADMIN_IDS: String(ADMIN),
      LOG_LEVEL: "warn",
      LOG_PRETTY: "false",
      WEBHOOK_URL: `https://bot.example.org${HOOK_PATH}`,
      WEBHOOK_SECRET: SECRET,
      ...env,
    },
  });
}

/** The bulletin's sends seen by the fake, read incrementally. */
class Tally {
  readonly copies = new Map<number, number>();
  readonly at: number[] = [];
  private seen = 0;
  constructor(
    private readonly fake: FakeTelegram,
    private readonly text: string,
  ) {}
  update(): number {
    const sent = this.fake.sent;
    for (; this.seen < sent.length; this.seen++) {
      const m = sent[this.seen]!;
      if (m.method !== "sendMessage" || m.chat_id === ADMIN || !m.plain.includes(this.text)) continue;
      this.copies.set(m.chat_id, (this.copies.get(m.chat_id) ?? 0) + 1);
      this.at.push(m.at);
    }
    return this.copies.size;
  }
  duplicates(): number {
    let d = 0;
    for (const c of this.copies.values()) d += c - 1;
    return d;
  }
  /** The most sends in any sliding second. */
  peak(): number {
    return peakPerSecond(this.at);
  }
  span(): number {
    return this.at.length ? (Math.max(...this.at) - Math.min(...this.at)) / 1000 : NaN;
  }
}

function bulletin(id: string, text: string) {
  return {
    election: "comunali-2017",
    id,
    publishedAt: "2017-06-12T01:00:00+02:00",
    text,
    comuni: [],
    origin: "newsroom" as const,
  };
}

const subscriberEntries = (n: number): { chatId: number; what: Subscription; lang: "it" }[] =>
  Array.from({ length: n }, (_, i) => ({ chatId: FIRST_CHAT + i, what: NATIONAL, lang: "it" as const }));

export interface PaceRow {
  instances: number;
  rate: number;
  paid: boolean;
  subscribers: number;
  elapsedS: number;
  pace: number;
  tooManyRequests: number;
  peakPerSecond: number;
  cpuS: number[];
  duplicates: number;
  lost: number;
}

/** Env of a bot process for a send rate. */
const rateEnv = (rate: number, paid: boolean): Record<string, string> => ({
  SEND_RATE: String(rate),
  ...(paid ? { PAID_BROADCAST: "true" } : {}),
});

/**
 * What every run starts from: the fake Bot API (10 ms latency, `limits` its global limits), a fresh
 * PostgreSQL database with `subscribers` subscribed, and a store open on it; all undone by `cleanups`.
 */
async function stage(
  cleanups: Cleanups,
  subscribers: number,
  limits: { globalPerSecond: number; paidGlobalPerSecond?: number },
): Promise<{ fake: FakeTelegram; url: string; store: PostgresStore }> {
  const fake = await FakeTelegram.start({ token: TOKEN, latencyMs: 10, ...limits });
  cleanups.push(() => fake.close());
  const url = await freshDatabase(cleanups);
  const store = await PostgresStore.open(url);
  cleanups.push(() => store.close());
  await store.subscribeMany(subscriberEntries(subscribers));
  return { fake, url, store };
}

/**
 * One push to `subscribers` chats from `instances` webhook instances on a fresh PostgreSQL database, the
 * fake enforcing the rate as its global limit (the paid one when `paid`).
 */
export async function runPace(
  o: { instances: number; rate: number; paid: boolean; subscribers: number },
  log: (l: string) => void,
): Promise<PaceRow> {
  const cleanups = new Cleanups();
  try {
    const { fake, url, store } = await stage(
      cleanups,
      o.subscribers,
      o.paid ? { globalPerSecond: 30, paidGlobalPerSecond: o.rate } : { globalPerSecond: o.rate },
    );
    const env = { DATABASE_URL: url, TELEGRAM_API_ROOT: fake.apiRoot, ...rateEnv(o.rate, o.paid) };
    const all: Instance[] = [];
    for (let i = 0; i < o.instances; i++) all.push(startInstance(cleanups, await freePort("127.0.0.1"), env));
    await until(
      async () => {
        for (const inst of all) if ((await healthz(inst.port))?.instance?.instances !== o.instances) return false;
        return true;
      },
      90_000,
      `${o.instances} instances up and counting each other`,
    ).catch((err: unknown) => {
      for (const inst of all) log(inst.output().slice(-1500));
      throw err;
    });
    // A new instance waits two heartbeats before it sends pushes: with two, let both be past that, so that
    // neither starts the push alone (one alone is timed from its first send anyway).
    if (o.instances > 1) await sleep(4_500);
    const cpu0 = all.map((i) => cpuSecondsOf(i.child.pid));
    const TEXT = `Spoglio completato ${randomBytes(3).toString("hex")}`;
    const tally = new Tally(fake, TEXT);
    const tmr0 = fake.stats.tooManyRequests;
    await store.addBulletin(bulletin("bench-cluster-pace", TEXT), { requestedBy: ADMIN, lang: "it" });
    // Pushes on PostgreSQL go well below 1000/s (about 230/s measured): budget for 100/s, not for the limit.
    const budgetMs = 60_000 + (o.subscribers / Math.min(o.rate, 100)) * 1000;
    await until(() => tally.update() >= o.subscribers, budgetMs, "every subscriber served").catch(() => undefined);
    tally.update();
    const cpuS = all.map((inst, i) => cpuSecondsOf(inst.child.pid) - cpu0[i]!);
    const elapsedS = tally.span();
    const row: PaceRow = {
      ...o,
      elapsedS,
      pace: tally.copies.size / elapsedS,
      tooManyRequests: fake.stats.tooManyRequests - tmr0,
      peakPerSecond: tally.peak(),
      cpuS,
      duplicates: tally.duplicates(),
      lost: o.subscribers - tally.copies.size,
    };
    log(
      `  ${o.instances} × ${o.rate}/s${o.paid ? " paid" : ""}, ${o.subscribers} chats: ${row.pace.toFixed(1)} msg/s, ${row.tooManyRequests} × 429, lost ${row.lost}`,
    );
    return row;
  } finally {
    await cleanups.run();
  }
}

export interface FailoverResult {
  kills: number;
  subscribers: number;
  /** From kill -9 to the last subscriber served, one per kill (ms). */
  finishedMs: number[];
  duplicates: number[];
  lost: number;
  tooManyRequests: number;
  peakPerSecond: number;
}

/** Two webhook instances push at 30/s; one is killed with SIGKILL at ~40%; repeated `kills` times, a new database each. */
export async function runFailover(
  o: { kills: number; subscribers: number },
  log: (l: string) => void,
): Promise<FailoverResult> {
  const r: FailoverResult = {
    kills: o.kills,
    subscribers: o.subscribers,
    finishedMs: [],
    duplicates: [],
    lost: 0,
    tooManyRequests: 0,
    peakPerSecond: 0,
  };
  for (let k = 0; k < o.kills; k++) {
    const cleanups = new Cleanups();
    try {
      const { fake, url, store } = await stage(cleanups, o.subscribers, { globalPerSecond: 30 });
      const env = { DATABASE_URL: url, TELEGRAM_API_ROOT: fake.apiRoot, SEND_RATE: "30" };
      const a = startInstance(cleanups, await freePort("127.0.0.1"), env);
      const b = startInstance(cleanups, await freePort("127.0.0.1"), env);
      await until(
        async () =>
          (await healthz(a.port))?.instance?.instances === 2 && (await healthz(b.port))?.instance?.instances === 2,
        90_000,
        "two instances up",
      );
      await sleep(4_500);
      const TEXT = `Ballottaggio ${randomBytes(3).toString("hex")}`;
      const tally = new Tally(fake, TEXT);
      await store.addBulletin(bulletin(`bench-failover-${k}`, TEXT), { requestedBy: ADMIN, lang: "it" });
      await until(() => tally.update() >= o.subscribers * 0.4, 120_000, "40% delivered");
      // Alternate which one dies, so that neither the first nor the second to start is favoured.
      const victim = k % 2 === 0 ? a : b;
      victim.child.kill("SIGKILL");
      const killedAt = Date.now();
      await victim.exited;
      await until(() => tally.update() >= o.subscribers, 60_000, "every subscriber served after the kill");
      const ms = Date.now() - killedAt;
      r.finishedMs.push(ms);
      r.duplicates.push(tally.duplicates());
      r.lost += o.subscribers - tally.copies.size;
      r.tooManyRequests += fake.stats.tooManyRequests;
      r.peakPerSecond = Math.max(r.peakPerSecond, tally.peak());
      log(`  kill ${k + 1}/${o.kills}: finished ${ms} ms after kill -9, ${tally.duplicates()} duplicates`);
    } finally {
      await cleanups.run();
    }
  }
  return r;
}

export interface StoreRow {
  store: "SQLite" | "PostgreSQL";
  subscribers: number;
  elapsedS: number;
  pace: number;
  cpuS: number;
  lost: number;
  duplicates: number;
}

/**
 * The same paid push from one instance on each store, the fake with no latency and no limits: the
 * bulletin is stored before the instance starts, which then sends what is pending; timed from the
 * first send to the last.
 */
export async function runStores(o: { subscribers: number }, log: (l: string) => void): Promise<StoreRow[]> {
  const rows: StoreRow[] = [];
  for (const kind of ["SQLite", "PostgreSQL"] as const) {
    const cleanups = new Cleanups();
    try {
      const fake = await FakeTelegram.start({ token: TOKEN });
      cleanups.push(() => fake.close());
      let env: Record<string, string>;
      const TEXT = `Affluenza finale ${randomBytes(3).toString("hex")}`;
      const seed = async (store: PostgresStore | SqliteStore) => {
        await store.subscribeMany(subscriberEntries(o.subscribers));
        await store.addBulletin(bulletin("bench-stores", TEXT), { requestedBy: null, lang: "it" });
      };
      if (kind === "SQLite") {
        const tmp = await tempDir("bench-cluster-");
        cleanups.push(() => tmp.remove());
        const file = path.join(tmp.dir, "bot.sqlite");
        const store = new SqliteStore(file);
        await seed(store);
        await store.close();
        env = { DATABASE_PATH: file };
      } else {
        const url = await freshDatabase(cleanups);
        const store = await PostgresStore.open(url);
        await seed(store);
        await store.close();
        env = { DATABASE_URL: url };
      }
      const tally = new Tally(fake, TEXT);
      const inst = startInstance(cleanups, await freePort("127.0.0.1"), {
        ...env,
        TELEGRAM_API_ROOT: fake.apiRoot,
        ...rateEnv(1000, true),
      });
      await until(() => tally.update() >= o.subscribers, 120_000, `${kind}: every subscriber served`).catch(
        (err: unknown) => {
          log(inst.output().slice(-1500));
          throw err;
        },
      );
      const elapsedS = tally.span();
      const row: StoreRow = {
        store: kind,
        subscribers: o.subscribers,
        elapsedS,
        pace: tally.copies.size / elapsedS,
        cpuS: cpuSecondsOf(inst.child.pid),
        lost: o.subscribers - tally.copies.size,
        duplicates: tally.duplicates(),
      };
      log(`  ${kind}: ${row.pace.toFixed(0)} msg/s`);
      rows.push(row);
    } finally {
      await cleanups.run();
    }
  }
  return rows;
}

/** What every citizen of the rush asks, a word every right answer contains, the start of the bot's apology. */
const RUSH_TEXT = "/citta Genova";
const ANSWER_MARKER = "Marco Bucci";
const APOLOGY_MARKER = "Scusa, qualcosa è andato storto";
const HOOK_PATH = "/hook";
let updateId = 1;

/** A private chat's `/citta Genova`, as Telegram POSTs it to the webhook. */
const citizenUpdate = (chatId: number) =>
  commandUpdate({ updateId: updateId++, chatId, text: RUSH_TEXT, firstName: "Cittadino" });

const postUpdate = (port: number, update: Record<string, unknown>) =>
  postUpdateTo(port, update, { secret: SECRET, path: HOOK_PATH });

/** SEND_BUDGET: shared by demand (the default), equal shares (the earlier split), one sender. */
export type SendBudgetMode = "shared" | "equal" | "single";
export type RushRouting = "one" | "even" | "uneven";

export interface ClusterRushRow {
  mode: SendBudgetMode;
  routing: RushRouting;
  instances: number;
  subscribers: number;
  citizens: number;
  answered: number;
  apologised: number;
  duplicatedReplies: number;
  p50S: number;
  p99S: number;
  maxS: number;
  /** Push: chats served ÷ time from its first send to its last. */
  pushPace: number;
  pushS: number;
  pushLost: number;
  tooManyRequests: number;
  /** The most sendMessage calls (push and replies) in any sliding second. */
  peakPerSecond: number;
  cpuS: number[];
}

export interface IdleReplies {
  mode: SendBudgetMode;
  /** Median latency of single /citta replies, one at a time, no push running (ms): to the leader, to the other. */
  leaderP50Ms: number;
  otherP50Ms: number;
  n: number;
}

/**
 * A rush during a push at 30/s, in the three SEND_BUDGET modes: a push to `subscribers` chats starts; once
 * `afterPushSends` of it went out, `citizens` distinct chats POST `/citta Genova` to the webhook within
 * `spreadMs`, to one instance, split evenly between two, or all to one of two (the one that is not the
 * leader: with one sender, the one that hands every reply over). Each reply's latency: from its update
 * POSTed to the fake accepting the answer. One database per mode; the one-instance row runs before the
 * second instance joins (with one instance both modes are the same: it sends everything itself).
 */
export async function runClusterRush(
  o: {
    subscribers: number;
    citizens: number;
    afterPushSends: number;
    spreadMs: number;
    /** Which modes to run (default all three; the one-instance row comes with "equal"). */
    modes?: readonly SendBudgetMode[];
  },
  log: (l: string) => void,
): Promise<{ rows: ClusterRushRow[]; idle: IdleReplies[] }> {
  const rows: ClusterRushRow[] = [];
  const idle: IdleReplies[] = [];
  let nextCitizen = 80_000_000;
  for (const mode of o.modes ?? (["equal", "shared", "single"] as const)) {
    const cleanups = new Cleanups();
    try {
      const { fake, url, store } = await stage(cleanups, o.subscribers, { globalPerSecond: 30 });
      const env = { DATABASE_URL: url, TELEGRAM_API_ROOT: fake.apiRoot, SEND_RATE: "30", SEND_BUDGET: mode };
      const all: Instance[] = [];
      const join = async (n: number) => {
        while (all.length < n) all.push(startInstance(cleanups, await freePort("127.0.0.1"), env));
        await until(
          async () => {
            const hs = await Promise.all(all.map((i) => healthz(i.port)));
            return hs.every((h) => h?.instance?.instances === n) && hs.filter((h) => h?.instance?.leader).length === 1;
          },
          90_000,
          `${n} instances up, counting each other, one leading`,
        ).catch((err: unknown) => {
          for (const inst of all) log(inst.output().slice(-1500));
          throw err;
        });
        // Shared: past a newcomer's warm-up (two heartbeats). With one sender a newcomer sends nothing itself.
        if (n > 1 && mode !== "single") await sleep(4_500);
        // Each instance answers once before the rush.
        for (const inst of all) {
          const id = nextCitizen++;
          await postUpdate(inst.port, citizenUpdate(id));
          await until(() => fake.sentTo(id).length > 0, 30_000, "a first answer");
        }
      };
      const leaderIndex = async () => {
        const hs = await Promise.all(all.map((i) => healthz(i.port)));
        return hs.findIndex((h) => h?.instance?.leader);
      };
      const plan: { routing: RushRouting; instances: number }[] =
        mode === "equal"
          ? [
              { routing: "one", instances: 1 },
              { routing: "even", instances: 2 },
              { routing: "uneven", instances: 2 },
            ]
          : [
              { routing: "even", instances: 2 },
              { routing: "uneven", instances: 2 },
            ];
      /** One reply at a time to `inst`, no push running: its latency, ms. */
      const oneReply = async (inst: Instance) => {
        const id = nextCitizen++;
        const t = Date.now();
        await postUpdate(inst.port, citizenUpdate(id));
        await until(() => fake.sentTo(id).length > 0, 30_000, "an idle answer");
        return fake.sentTo(id)[0]!.at - t;
      };
      for (const [k, step] of plan.entries()) {
        await join(step.instances);
        const leader = await leaderIndex();
        if (step.instances === 2 && step.routing === "even") {
          // The hop's cost alone: replies one at a time to the leader and to the other, nothing else sent.
          const n = 15;
          const lat: number[][] = [[], []];
          for (let i = 0; i < n; i++) for (const w of [0, 1]) lat[w]!.push(await oneReply(all[w]!));
          const other = leader === 0 ? 1 : 0;
          idle.push({
            mode,
            leaderP50Ms: summarize(lat[leader]!).p50,
            otherP50Ms: summarize(lat[other]!).p50,
            n,
          });
        }
        const target = (i: number): Instance => {
          if (step.routing === "one") return all[0]!;
          if (step.routing === "even") return all[i % 2]!;
          return all[leader === 0 ? 1 : 0]!; // all on the one that is not the leader
        };
        const TEXT = `Rush ${mode} ${k} ${randomBytes(3).toString("hex")}`;
        const tally = new Tally(fake, TEXT);
        const from = fake.sent.length;
        const tmr0 = fake.stats.tooManyRequests;
        const cpu0 = all.map((i) => cpuSecondsOf(i.child.pid));
        await store.addBulletin(bulletin(`bench-cluster-rush-${mode}-${k}`, TEXT), { requestedBy: null, lang: "it" });
        await until(() => tally.update() >= o.afterPushSends, 60_000, "the push under way");
        const citizens = Array.from({ length: o.citizens }, () => nextCitizen++);
        const postedAt = new Map<number, number>();
        const posts: Promise<unknown>[] = [];
        const batches = 20;
        const per = Math.ceil(citizens.length / batches);
        for (let b = 0; b < batches; b++) {
          if (b) await sleep(o.spreadMs / batches);
          for (const [j, id] of citizens.slice(b * per, (b + 1) * per).entries()) {
            postedAt.set(id, Date.now());
            posts.push(postUpdate(target(b * per + j).port, citizenUpdate(id)).catch(() => 0));
          }
        }
        await Promise.all(posts);
        const postedAll = Date.now();
        const settled = (id: number) =>
          fake.sentTo(id).some((m) => m.plain.includes(ANSWER_MARKER) || m.plain.startsWith(APOLOGY_MARKER));
        // A reply waiting past REPLY_MAX_WAIT (60 s) is dropped unanswered: after 70 s none is still coming.
        const budgetMs = 90_000 + (o.citizens + o.subscribers) * (1000 / 30);
        await until(
          () => tally.update() >= o.subscribers && (citizens.every(settled) || Date.now() - postedAll > 70_000),
          budgetMs,
          "every citizen answered and the push done",
        ).catch(() => log(`  ${mode} ${step.routing}: not everything settled within ${budgetMs / 1000} s`));
        tally.update();
        const cpuS = all.map((inst, i) => cpuSecondsOf(inst.child.pid) - (cpu0[i] ?? 0));
        const latencies: number[] = [];
        let ok = 0;
        let apologised = 0;
        let dup = 0;
        for (const id of citizens) {
          const answers = fake.sentTo(id).filter((m) => m.plain.includes(ANSWER_MARKER));
          if (answers.length) {
            ok++;
            latencies.push(answers[0]!.at - postedAt.get(id)!);
          }
          if (answers.length > 1) dup++;
          if (fake.sentTo(id).some((m) => m.plain.startsWith(APOLOGY_MARKER))) apologised++;
        }
        const l = summarize(latencies);
        const sendsAt = fake.sent.slice(from).flatMap((m) => (m.method === "sendMessage" ? [m.at] : []));
        const row: ClusterRushRow = {
          mode,
          routing: step.routing,
          instances: step.instances,
          subscribers: o.subscribers,
          citizens: o.citizens,
          answered: ok,
          apologised,
          duplicatedReplies: dup,
          p50S: l.p50 / 1000,
          p99S: l.p99 / 1000,
          maxS: l.max / 1000,
          pushPace: tally.copies.size / tally.span(),
          pushS: tally.span(),
          pushLost: o.subscribers - tally.copies.size,
          tooManyRequests: fake.stats.tooManyRequests - tmr0,
          peakPerSecond: peakPerSecond(sendsAt),
          cpuS,
        };
        log(
          `  rush ${mode}, ${step.instances} instance(s) ${step.routing}: ${ok}/${o.citizens} answered, p50 ${row.p50S.toFixed(1)} s, p99 ${row.p99S.toFixed(1)} s, push ${row.pushPace.toFixed(1)}/s, ${row.tooManyRequests} × 429, peak ${row.peakPerSecond}/s`,
        );
        rows.push(row);
      }
    } finally {
      await cleanups.run();
    }
  }
  return { rows, idle };
}

export { summarize };
