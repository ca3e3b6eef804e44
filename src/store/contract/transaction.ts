/**
 * A unit of work across repositories. Every method of the store is asynchronous (the embedded engine
 * answers at once, a database server over the network), and a write that spans repositories (a bulletin
 * with its outbox rows and announcement keys, a draft settled together with what it published) runs in
 * `transaction`.
 *
 * The transaction is ambient: inside `fn`, calls to the same store (from any code `fn` awaits) join the
 * transaction, tracked with AsyncLocalStorage, so callers need not pass a transaction handle down. Calls
 * from elsewhere meanwhile do not see its writes until it commits; an embedded engine with one connection
 * makes them wait for it. If `fn` throws, nothing it wrote is kept. A transaction inside a transaction
 * joins the outer one.
 */
export interface UnitOfWork {
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}
