/** The stale clock: since when a comune's figures have not moved while counting is open ("dati fermi dalle 01:10"). */

/**
 * Minutes without any change, while counting is open, after which a comune's card says
 * "dati fermi dalle …". 20: the feed is polled every minute or so, and a comune that is counting
 * moves every few minutes as its sections are entered, so 20 quiet polls are worth saying; a
 * comune with two or three sections may legitimately rest that long between them, and the card then
 * says something true (nothing has changed since that time), not that something is wrong.
 */
export const DEFAULT_STALE_MINUTES = 20;

/**
 * Since when a comune's figures have not changed, if that is worth saying: while counting is open
 * and for at least `thresholdMinutes` (default {@link DEFAULT_STALE_MINUTES}); otherwise undefined.
 * The card says "dati fermi dalle 01:10" from the instant returned (formatTime, Europe/Rome).
 *
 * `lastChangeAt` is when the figures last changed (the gate's `changedAt`); before any figure has
 * arrived, pass the close of the polls, so that a count that never starts is also said. Exactly
 * `thresholdMinutes` is stale; a `lastChangeAt` in the future (clocks apart) is not.
 */
export function staleSince(
  lastChangeAt: string | Date | undefined,
  now: string | Date,
  countingOpen: boolean,
  thresholdMinutes: number = DEFAULT_STALE_MINUTES,
): Date | undefined {
  if (!(thresholdMinutes > 0) || !Number.isFinite(thresholdMinutes)) {
    throw new RangeError(`soglia di dati fermi non valida: ${thresholdMinutes} minuti`);
  }
  if (!countingOpen || lastChangeAt === undefined) return undefined;
  const since = new Date(lastChangeAt);
  const at = new Date(now);
  if (Number.isNaN(since.getTime()) || Number.isNaN(at.getTime())) return undefined;
  return at.getTime() - since.getTime() >= thresholdMinutes * 60_000 ? since : undefined;
}
