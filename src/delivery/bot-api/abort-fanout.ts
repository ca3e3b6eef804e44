/**
 * One AbortSignal shared by hundreds of requests in flight, listened to once. The engine gives every
 * send the same signal (aborted when it stops); handing it to each request made each one add and remove
 * a listener on it, and an EventTarget's listener list is walked on every add: with 500 requests in
 * flight that was the single most expensive function of the send path in the profile. Each request gets
 * a signal of its own here instead (one listener slot, O(1)), and the shared signal's one listener
 * aborts those in flight.
 */

/** A request's own abort signal, as much of an EventTarget as undici uses (addEventListener, aborted, reason). */
export class RequestSignal {
  aborted = false;
  reason: unknown;
  private listener: (() => void) | undefined;

  addEventListener(_type: "abort", listener: () => void): void {
    this.listener = listener;
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    if (this.listener === listener) this.listener = undefined;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const l = this.listener;
    this.listener = undefined;
    l?.();
  }
}

export class AbortFanOut {
  private readonly inFlight = new WeakMap<AbortSignal, Set<RequestSignal>>();

  /** A signal for one request that aborts when `shared` does; give it back with `release` once settled. */
  take(shared: AbortSignal): RequestSignal {
    const own = new RequestSignal();
    if (shared.aborted) {
      own.abort(shared.reason);
      return own;
    }
    let set = this.inFlight.get(shared);
    if (!set) {
      const requests = new Set<RequestSignal>();
      set = requests;
      this.inFlight.set(shared, requests);
      shared.addEventListener(
        "abort",
        () => {
          for (const r of requests) r.abort(shared.reason);
          requests.clear();
        },
        { once: true },
      );
    }
    set.add(own);
    return own;
  }

  release(shared: AbortSignal, own: RequestSignal): void {
    this.inFlight.get(shared)?.delete(own);
  }
}
