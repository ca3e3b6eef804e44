/**
 * What the poller tells: change events to its listeners (a listener that throws stops no other), the
 * latest warnings for /stato, and trouble on a path logged once while it stays the same.
 */
import type { Logger } from "pino";
import type { FeedWarning } from "../parse.js";
import type { FeedEvent, FeedListener } from "./types.js";

export class Notices {
  private readonly listeners = new Set<FeedListener>();
  private readonly recentWarnings: FeedWarning[] = [];
  /** Last message logged per path: the same trouble on the same path is logged once. */
  private readonly logged = new Map<string, string>();

  constructor(private readonly log?: Logger) {}

  /** Listens to the change events; returns the function that stops listening. */
  on(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: FeedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log?.error({ err, event: event.type }, "feed: an event listener threw");
      }
    }
  }

  /** Keeps a warning for /stato (the latest 100). */
  remember(w: FeedWarning): void {
    this.recentWarnings.push(w);
    if (this.recentWarnings.length > 100) this.recentWarnings.shift();
  }

  /** The latest warnings, newest last. */
  warnings(): FeedWarning[] {
    return [...this.recentWarnings];
  }

  /** A warning about an answer: logged once per path while it stays the same, kept for /stato, emitted. */
  trouble(path: string, w: FeedWarning, msg: string, level: "warn" | "error" = "warn"): void {
    if (this.logOnce(path, JSON.stringify(w), level, { warning: w }, msg)) {
      this.remember(w);
      this.emit({ type: "warning", warning: w });
    }
  }

  /** Logs unless `what` is what was last logged for the path; true when logged. */
  logOnce(path: string, what: string, level: "warn" | "error", obj: object, msg: string): boolean {
    if (this.logged.get(path) === what) return false;
    this.logged.set(path, what);
    this.log?.[level](obj, msg);
    return true;
  }

  /** A good answer on a path: the next trouble on it is news. */
  good(path: string): void {
    this.logged.delete(path);
  }
}
