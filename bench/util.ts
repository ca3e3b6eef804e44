/** Shared helpers for the benchmarks: memory and CPU sampling, percentiles, audiences, child processes. */
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { UserFromGetMe } from "grammy/types";
import { pino } from "pino";
import { botUser } from "../test/support/fake-bot-api/index.js";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = path.resolve(BENCH_DIR, "..");
export const DATA_DIR = path.join(ROOT_DIR, "data");

export const silentLogger = () => pino({ level: "silent" });

export const MB = 1024 * 1024;
export const toMB = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** Samples process.memoryUsage().rss every `everyMs` (100 ms by default). */
export class RssSampler {
  readonly start = process.memoryUsage().rss;
  peak = this.start;
  samples = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(everyMs = 100) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  sample(): number {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    this.samples++;
    return rss;
  }
  stop(): { startMB: number; peakMB: number; endMB: number; samples: number } {
    clearInterval(this.timer);
    const end = this.sample();
    return { startMB: toMB(this.start), peakMB: toMB(this.peak), endMB: toMB(end), samples: this.samples };
  }
}

/**
 * Peak resident set size as the kernel counts it (VmHWM), which also sees peaks inside long
 * synchronous calls where a timer cannot sample. `resetPeakRss` starts a new peak where supported.
 */
export function kernelPeakRssMB(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

export function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

export class CpuMeter {
  private readonly start = process.cpuUsage();
  /** User + system microseconds since construction. */
  micros(): number {
    const d = process.cpuUsage(this.start);
    return d.user + d.system;
  }
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(values: number[]): { n: number; p50: number; p99: number; max: number; mean: number } {
  const sorted = Float64Array.from(values).sort();
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    n: values.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: values.length ? sum / values.length : NaN,
  };
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Audience {
  ids: number[];
  blocked: number[];
  groups: number;
}

/** N distinct chats: about `groupShare` supergroups (negative ids) and `blockedShare` that blocked the bot. */
export function makeAudience(n: number, groupShare = 0.1, blockedShare = 0.02, seed = 20170611): Audience {
  const r = rng(seed);
  const ids: number[] = [];
  const blocked: number[] = [];
  let groups = 0;
  for (let i = 0; i < n; i++) {
    const group = r() < groupShare;
    const id = group ? -1_000_000_000_000 - i : 1_000_000 + i;
    if (group) groups++;
    ids.push(id);
    if (r() < blockedShare) blocked.push(id);
  }
  return { ids, blocked, groups };
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function botInfoFor(token: string): UserFromGetMe {
  return botUser(Number(token.split(":")[0]) || 123456, "ElezioniBenchBot");
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------

/** Forks a TypeScript entry point of bench/ with the tsx loader and an IPC channel. */
export function forkTs(file: string, args: string[] = []): ChildProcess {
  return fork(path.join(BENCH_DIR, file), args, {
    execArgv: ["--import", "tsx"],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    cwd: ROOT_DIR,
  });
}

/** Runs one benchmark task in a fresh process (clean heap, its own RSS and CPU figures). */
export function runTask<T>(task: string, params: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = forkTs("worker.ts");
    let settled = false;
    child.once("message", (m: { ok: boolean; result?: T; error?: string }) => {
      settled = true;
      if (m.ok) resolve(m.result as T);
      else reject(new Error(`${task}: ${m.error}`));
      child.disconnect();
    });
    child.once("exit", (code) => {
      if (!settled) reject(new Error(`${task}: worker exited with code ${code}`));
    });
    child.send({ task, params });
  });
}

/**
 * With BENCH_CPU_PROF set to a folder, profiles the timed part of a task (V8's sampling profiler, as
 * `node --cpu-prof` but without the warm-up and set-up) and writes `<name>-<pid>.cpuprofile` there when
 * the returned function is called; summarise one with `npx tsx bench/profile-top.ts FILE`.
 * Without it, does nothing.
 */
export async function profileWindow(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return async () => undefined;
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
  };
}
