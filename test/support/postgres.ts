/**
 * PostgreSQL for tests: the run's server (see postgres-global.ts) and a schema of their own for each
 * store, so that test files running at once never see each other's rows.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** The URL of the run's PostgreSQL server. */
export function postgresUrl(): string {
  const url = inject("postgresUrl");
  if (!url)
    throw new Error(
      "no PostgreSQL server for this run: the global setup did not think this test file needs one " +
        "(it looks for support/postgres or engines.js among the test file's imports)",
    );
  return url;
}

/** A new, empty schema on the run's server; `drop()` removes it with everything in it. */
export interface FreshSchema {
  url: string;
  schema: string;
  drop(): Promise<void>;
}

async function onServer<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named schema (`test_…`) on the run's server. */
export async function freshSchema(): Promise<FreshSchema> {
  const url = postgresUrl();
  const schema = `test_${randomBytes(6).toString("hex")}`;
  await onServer(url, (c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    url,
    schema,
    drop: () => onServer(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => {}),
  };
}
