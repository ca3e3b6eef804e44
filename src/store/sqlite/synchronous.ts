/**
 * The SQLite repositories answer synchronously (better-sqlite3 is synchronous): each one implements its
 * contract's methods with the promises taken off. The facade (../sqlite.ts) wraps them in the async
 * contract and runs the ambient transaction.
 */
export type Synchronous<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : T[K];
};
