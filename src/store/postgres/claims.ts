/**
 * Claims on the outbox's rows, so that several bot instances on one database send every message once.
 * A row (a delivery, or an edit or deletion of a delivered copy) is claimed by one instance
 * (`claimed_by`) until an instant (`claimed_until`, epoch ms on the callers' clock): a batch read claims
 * the rows it returns, the check right before a send claims the row again for the send (a fresh lease)
 * and marks it in flight (`sending`). Settling a row deletes it; postponing it releases the claim. A
 * claim that expires (its instance died, or stalled longer than the lease) may be taken by any instance.
 * A row taken over while another instance was sending it may have been sent already: that counts as an
 * attempt (so a row that keeps bringing instances down is eventually given up) and its last error says so;
 * a delivery taken over so is counted on its push too (`possibly_duplicated`, in its report), in the
 * statement that takes it over. Edits and deletions are not counted: an edit made twice leaves the message
 * as it was after the first, and a deletion made twice finds the message gone (counted as such).
 */
import type { PgDatabase } from "./connection.js";

/** How long a claim lasts unless renewed, by default: longer than a batch of sends takes to go out. */
export const DEFAULT_LEASE_MS = 30_000;

/** Who this instance is among those sharing the database, and how long its claims last. */
export interface ClaimOptions {
  /** This instance's id (default: a random one, new at every start). */
  instance?: string;
  /** How long a claim lasts (ms, default 30 s): another instance may take the rows over after it. */
  leaseMs?: number;
}

/** The last error recorded on a row taken over while another instance was sending it. */
export const TAKEN_OVER = "claim expired while another instance was sending it: it may have been sent twice";

/** Rows claimable by `$me` at `$now` (of the table aliased `t`): unclaimed, its own, or expired. */
export const claimable = (t: string) =>
  `(${t}.claimed_by IS NULL OR ${t}.claimed_by = $me OR ${t}.claimed_until <= $now)`;

/** Whether a row of `t` (its values before this claim) is in flight at another instance: a takeover. */
const takenOver = (t: string) => `${t}.sending AND ${t}.claimed_by <> $me`;

/**
 * Where a row's takeovers are counted: the column `possibly_duplicated` of `table`, the row whose `key`
 * is the claimed row's first key column (a push's `seq`).
 */
export interface Tally {
  table: string;
  key: string;
}

/**
 * A CTE `claimed`: the rows of the CTE `due` (same key columns) claimed for `$me` until `$until`,
 * returning `returning` (columns of `t`). `send`: the send's own claim, the row is now in flight; a
 * batch's claim leaves this instance's rows in flight as they are, and another's are no longer in flight.
 *
 * With a `tally`, the same statement counts the rows it takes over in flight (see Tally), so that the
 * count and the takeover commit together. `due` has locked the rows (FOR UPDATE); `taken` locks them
 * again, which returns their current values whatever committed since the statement began (the values
 * the UPDATE then sees too), and tells which were in flight at another instance. `claimed` joins
 * `taken`, so that no row is updated before `taken` read it. The tally's row is locked last, after the
 * claimed rows: the order in which a settlement takes its row and then its push (postgres/outbox.ts).
 */
export const claim = (o: {
  table: string;
  key: readonly [string, string];
  returning: string;
  send: boolean;
  tally?: Tally;
}) => {
  const match = (a: string, b: string) => o.key.map((k) => `${a}.${k} = ${b}.${k}`).join(" AND ");
  const tally = o.tally
    ? `taken AS (
         SELECT ${o.key.map((k) => `t.${k}`).join(", ")}, ${takenOver("t")} AS taken_over
         FROM ${o.table} t JOIN due ON ${match("t", "due")}
         FOR UPDATE OF t),
       tallied AS (
         UPDATE ${o.tally.table} p SET possibly_duplicated = p.possibly_duplicated + n.n
         FROM (SELECT ${o.key[0]}, count(*)::int AS n FROM taken WHERE taken_over GROUP BY ${o.key[0]}) n
         WHERE p.${o.tally.key} = n.${o.key[0]}),
       `
    : "";
  return `${tally}claimed AS (
     UPDATE ${o.table} t SET claimed_by = $me, claimed_until = $until,
       sending = ${o.send ? "true" : "t.sending AND t.claimed_by = $me"},
       attempts = t.attempts + CASE WHEN ${takenOver("t")} THEN 1 ELSE 0 END,
       last_error = CASE WHEN ${takenOver("t")} THEN '${TAKEN_OVER}' ELSE t.last_error END
     FROM ${o.tally ? "taken" : "due"} s WHERE ${match("t", "s")}
     RETURNING ${o.returning})`;
};

/** The columns that release a row's claim, for an UPDATE's SET. */
export const RELEASE = "claimed_by = NULL, claimed_until = NULL, sending = false";

/** How many times a transaction that lost a deadlock (or a serialization failure) is run again. */
const SETTLE_TRIES = 3;

/**
 * Runs `fn` in a transaction of `db`; at the top level (not inside another transaction), runs it again
 * when the server aborted it to break a deadlock or a serialization failure (it wrote nothing): instances
 * settling rows while a correction or an unsubscription moves the same ones may wait for each other.
 * Inside a transaction it joins it, and the outer one decides.
 */
export async function settling<T>(db: PgDatabase, fn: () => Promise<T>): Promise<T> {
  if (db.inTransaction) return db.transaction(fn);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= SETTLE_TRIES || (code !== "40P01" && code !== "40001")) throw e;
    }
  }
}

/**
 * SQL written with named placeholders (`$name`), numbered in the order given: the claims use some
 * parameters several times.
 */
export function named(sql: string, names: readonly string[]): string {
  return sql.replace(/\$([a-zA-Z]\w*)/g, (whole, name: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`no parameter ${whole}`);
    return `$${i + 1}`;
  });
}
