/**
 * The PostgreSQL engine's infrastructure: the connection (its ambient transaction, the password kept out
 * of errors and logs) and the schema's migrations (idempotent, safe when several instances start at once,
 * refused when the schema is newer than the code).
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PgDatabase, redactUrl, toNumber } from "../../../src/store/postgres/connection.js";
import { MIGRATIONS, migrate } from "../../../src/store/postgres/migrations.js";
import { type FreshSchema, freshSchema } from "../../support/postgres.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function open(schema?: FreshSchema, options: { max?: number } = {}): Promise<PgDatabase> {
  const s = schema ?? (await freshSchema());
  if (!schema) cleanup.push(() => s.drop());
  const db = new PgDatabase(s.url, { schema: s.schema, ...options });
  cleanup.push(() => db.close());
  return db;
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

describe("redaction", () => {
  it("redactUrl hides the password and keeps the rest", () => {
    expect(redactUrl("postgres://bot:s3cret-Pa55@db.example:6543/elezioni?sslmode=require")).toBe(
      "postgres://bot:***@db.example:6543/elezioni?sslmode=require",
    );
    expect(redactUrl("postgres://bot@db.example/elezioni")).toBe("postgres://bot@db.example/elezioni");
    expect(redactUrl("not a url s3cret")).toBe("***");
  });

  it("a refused connection names the host and port, never the password", async () => {
    const port = await closedPort();
    const url = `postgres://bot:Very-S3cret-pw%21@127.0.0.1:${port}/elezioni`;
    const lines: string[] = [];
    const logger = { warn: (o: unknown, m?: string) => lines.push(JSON.stringify(o) + m), error: () => {} };
    const db = new PgDatabase(url, { logger });
    cleanup.push(() => db.close());
    const errors: unknown[] = [];
    await db.query("SELECT 1").catch((e) => errors.push(e));
    await db.transaction(async () => 1).catch((e) => errors.push(e));
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      const text = `${(e as Error).message} ${(e as Error).stack} ${JSON.stringify(e)}`;
      expect(text).toContain(`127.0.0.1:${port}`);
      expect(text).not.toContain("Very-S3cret-pw");
      expect(text).not.toContain("S3cret");
    }
    expect(lines.join("\n")).not.toContain("S3cret");
  });

  it("a query error keeps its code and loses the password if the server quoted it", async () => {
    const db = await open();
    const err = (await db.query("SELECT * FROM no_such_table").catch((e) => e)) as Error & { code?: string };
    expect(err.code).toBe("42P01");
  });
});

describe("the pool", () => {
  it("logs an idle connection the server ended, in one line without the password, and goes on", async () => {
    const s = await freshSchema();
    cleanup.push(() => s.drop());
    const lines: { obj: unknown; msg?: string }[] = [];
    const logger = { warn: (obj: unknown, msg?: string) => lines.push({ obj, msg }), error: () => {} };
    const name = `idle-${s.schema}`;
    const db = new PgDatabase(s.url, { schema: s.schema, logger, applicationName: name });
    cleanup.push(() => db.close());
    await db.query("SELECT 1");
    const admin = new PgDatabase(s.url);
    cleanup.push(() => admin.close());
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [name]);
    await expect.poll(() => lines.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(lines[0]!.msg).toBe("postgres: an idle connection failed");
    const password = new URL(s.url).password;
    if (password) expect(JSON.stringify(lines)).not.toContain(password);
    // A new connection replaces it.
    expect(await db.one("SELECT 1 AS one")).toEqual({ one: 1 });
  });
});

describe("toNumber", () => {
  it("parses int8 and numeric, keeps null, refuses what it cannot hold exactly", () => {
    expect(toNumber("42")).toBe(42);
    expect(toNumber(7)).toBe(7);
    expect(toNumber("-1001234567890")).toBe(-1001234567890);
    expect(toNumber(null)).toBeNull();
    expect(() => toNumber("9223372036854775807")).toThrow(RangeError);
    expect(() => toNumber("abc")).toThrow(RangeError);
  });

  it("reads a count and a BIGINT chat id", async () => {
    const db = await open();
    const row = await db.one<{ n: string; id: string }>("SELECT count(*) AS n, (-1001234567890)::bigint AS id");
    expect(toNumber(row!.n)).toBe(1);
    expect(toNumber(row!.id)).toBe(-1001234567890);
  });
});

describe("ambient transaction", () => {
  async function withTable(): Promise<PgDatabase> {
    const db = await open(undefined, { max: 4 });
    await db.exec("CREATE TABLE t (v INTEGER PRIMARY KEY)");
    return db;
  }
  const values = async (db: PgDatabase) =>
    (await db.query<{ v: number }>("SELECT v FROM t ORDER BY v")).map((r) => r.v);

  it("works in its own schema", async () => {
    const s = await freshSchema();
    cleanup.push(() => s.drop());
    const db = await open(s);
    expect((await db.one<{ s: string }>("SELECT current_schema() AS s"))!.s).toBe(s.schema);
  });

  it("commits what fn wrote, from any function it awaits", async () => {
    const db = await withTable();
    const insert = (v: number) => db.query("INSERT INTO t (v) VALUES ($1)", [v]);
    const result = await db.transaction(async () => {
      await insert(1);
      await Promise.all([insert(2), insert(3)]);
      return "ok";
    });
    expect(result).toBe("ok");
    expect(await values(db)).toEqual([1, 2, 3]);
  });

  it("keeps its writes from others until it commits", async () => {
    const db = await withTable();
    let seenInside: number[] = [];
    await db.transaction(async () => {
      await db.query("INSERT INTO t (v) VALUES (1)");
      // Outside the transaction's async context: another connection of the pool.
      seenInside = await new Promise<number[]>((resolve, reject) => {
        setImmediate(() => {
          void (async () => {
            try {
              const other = new PgDatabase(db.pool.options.connectionString!, { schema: db.schema });
              try {
                resolve((await other.query<{ v: number }>("SELECT v FROM t")).map((r) => r.v));
              } finally {
                await other.close();
              }
            } catch (e) {
              reject(e);
            }
          })();
        });
      });
    });
    expect(seenInside).toEqual([]);
    expect(await values(db)).toEqual([1]);
  });

  it("rolls back everything when fn throws, and the error goes on", async () => {
    const db = await withTable();
    await db.query("INSERT INTO t (v) VALUES (0)");
    const err = await db
      .transaction(async () => {
        await db.query("INSERT INTO t (v) VALUES (1)");
        throw new Error("boom");
      })
      .catch((e) => e);
    expect((err as Error).message).toBe("boom");
    expect(await values(db)).toEqual([0]);
    // The connection went back to the pool in a usable state.
    await db.transaction(() => db.query("INSERT INTO t (v) VALUES (2)"));
    expect(await values(db)).toEqual([0, 2]);
  });

  it("rolls back after a failed statement", async () => {
    const db = await withTable();
    const err = await db
      .transaction(async () => {
        await db.query("INSERT INTO t (v) VALUES (1)");
        await db.query("INSERT INTO t (v) VALUES (1)");
      })
      .catch((e) => e);
    expect((err as { code?: string }).code).toBe("23505");
    expect(await values(db)).toEqual([]);
  });

  it("a nested transaction joins the outer one: both commit together", async () => {
    const db = await withTable();
    await db.transaction(async () => {
      await db.query("INSERT INTO t (v) VALUES (1)");
      await db.transaction(async () => {
        expect(db.inTransaction).toBe(true);
        await db.query("INSERT INTO t (v) VALUES (2)");
      });
      // Visible inside, not yet outside.
      expect(await values(db)).toEqual([1, 2]);
    });
    expect(await values(db)).toEqual([1, 2]);
  });

  it("a nested transaction that throws undoes only its own writes; the outer may go on", async () => {
    const db = await withTable();
    await db.transaction(async () => {
      await db.query("INSERT INTO t (v) VALUES (1)");
      await db
        .transaction(async () => {
          await db.query("INSERT INTO t (v) VALUES (2)");
          await db.query("INSERT INTO t (v) VALUES (2)");
        })
        .catch(() => {});
      await db.query("INSERT INTO t (v) VALUES (3)");
    });
    expect(await values(db)).toEqual([1, 3]);
  });

  it("an outer failure undoes the nested transaction's writes too", async () => {
    const db = await withTable();
    await db
      .transaction(async () => {
        await db.transaction(() => db.query("INSERT INTO t (v) VALUES (1)"));
        throw new Error("late");
      })
      .catch(() => {});
    expect(await values(db)).toEqual([]);
  });

  it("concurrent nested transactions take turns", async () => {
    const db = await withTable();
    await db.transaction(() =>
      Promise.all(
        [1, 2, 3, 4].map((v) =>
          db
            .transaction(async () => {
              await db.query("INSERT INTO t (v) VALUES ($1)", [v]);
              if (v % 2 === 0) throw new Error("even");
            })
            .catch(() => {}),
        ),
      ),
    );
    expect(await values(db)).toEqual([1, 3]);
  });

  it("two transactions at once run on two connections", async () => {
    const db = await withTable();
    await Promise.all([
      db.transaction(async () => {
        await db.query("INSERT INTO t (v) VALUES (1)");
        await new Promise((r) => setTimeout(r, 50));
        await db.query("INSERT INTO t (v) VALUES (2)");
      }),
      db.transaction(() => db.query("INSERT INTO t (v) VALUES (3)")),
    ]);
    expect(await values(db)).toEqual([1, 2, 3]);
  });
});

describe("migrations", () => {
  const version = async (db: PgDatabase) =>
    (await db.one<{ v: number }>("SELECT max(version) AS v FROM schema_migrations"))!.v;

  it("creates the current schema in an empty one, and does nothing the second time", async () => {
    const db = await open();
    expect(await migrate(db)).toBe(MIGRATIONS.length);
    expect(await migrate(db)).toBe(MIGRATIONS.length);
    expect(await version(db)).toBe(MIGRATIONS.length);
    const rows = await db.query("SELECT version FROM schema_migrations");
    expect(rows).toHaveLength(MIGRATIONS.length);
    const tables = (
      await db.query<{ t: string }>(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
      )
    ).map((r) => r.t);
    expect(tables).toEqual([
      "amendment_jobs",
      "amendments",
      "bulletins",
      "copies",
      "delivered",
      "deliveries",
      "drafts",
      "feed_announcements",
      "feed_drafts",
      "feed_state",
      "instances",
      "leases",
      "live_cards",
      "meta",
      "newsroom_messages",
      "pushes",
      "quiet_hours",
      "relayed_calls",
      "schema_migrations",
      "subscriptions",
    ]);
  });

  it("creates the schema it is given if it does not exist", async () => {
    const s = await freshSchema();
    cleanup.push(() => s.drop());
    const db = await open({ ...s, schema: `${s.schema}_new` });
    cleanup.push(async () => {
      await db.exec(`DROP SCHEMA IF EXISTS ${s.schema}_new CASCADE`);
    });
    expect(await migrate(db)).toBe(MIGRATIONS.length);
  });

  it("several instances starting at once: one migrates, the others find it done", async () => {
    const s = await freshSchema();
    cleanup.push(() => s.drop());
    const dbs = await Promise.all([1, 2, 3, 4].map(() => open(s)));
    const versions = await Promise.all(dbs.map((db) => migrate(db)));
    expect(versions).toEqual(dbs.map(() => MIGRATIONS.length));
    expect(await dbs[0]!.query("SELECT version FROM schema_migrations")).toHaveLength(MIGRATIONS.length);
  });

  it("refuses a schema newer than the code knows", async () => {
    const db = await open();
    await migrate(db);
    await db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [MIGRATIONS.length + 1]);
    await expect(migrate(db)).rejects.toThrow(
      new RegExp(`version ${MIGRATIONS.length + 1}, newer than this code knows \\(${MIGRATIONS.length}\\)`),
    );
  });

  it("upgrades a schema at version 3: its pushes count no possibly duplicated deliveries", async () => {
    const db = await open();
    // The schema as version 3 left it, with a push under way.
    await db.transaction(async () => {
      await db.exec(`CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
      for (let v = 0; v < 3; v++) {
        await db.exec(MIGRATIONS[v]!);
        await db.query("INSERT INTO schema_migrations (version) VALUES ($1)", [v + 1]);
      }
    });
    await db.query(
      "INSERT INTO bulletins (election, id, published_at, text, comuni, origin) VALUES ('e', 'b1', 'x', 't', '{}', 'newsroom')",
    );
    await db.query(
      "INSERT INTO pushes (seq, lang, started_at, total, remaining, delivered) VALUES (1, 'it', 0, 2, 1, 1)",
    );
    expect(await migrate(db)).toBe(MIGRATIONS.length);
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(4);
    expect(await version(db)).toBe(MIGRATIONS.length);
    expect(await db.one("SELECT delivered, possibly_duplicated FROM pushes WHERE seq = 1")).toEqual({
      delivered: 1,
      possibly_duplicated: 0,
    });
  });

  it("holds Telegram's chat ids and the outbox's claim", async () => {
    const db = await open();
    await migrate(db);
    await db.query(
      "INSERT INTO bulletins (election, id, published_at, text, comuni, origin) VALUES ('e', 'b1', 'x', 't', $1, 'pack')",
      [["001001"]],
    );
    await db.query(
      "INSERT INTO deliveries (seq, chat_id, lang, claimed_by, claimed_until) VALUES (1, -1001234567890123, 'it', 'a', 1765000000000)",
    );
    const row = await db.one<{ chat_id: string; claimed_until: string; comuni: string[] }>(
      "SELECT d.chat_id, d.claimed_until, b.comuni FROM deliveries d JOIN bulletins b USING (seq)",
    );
    expect(toNumber(row!.chat_id)).toBe(-1001234567890123);
    expect(toNumber(row!.claimed_until)).toBe(1765000000000);
    expect(row!.comuni).toEqual(["001001"]);
  });
});
