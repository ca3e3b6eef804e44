/**
 * Experimental (SEND_BUDGET=single): one instance sends for the whole bot, the others hand it their
 * counted Bot API calls through the shared database and wait for its answer. See
 * delivery/relay-transformer.ts for both ends, and postgres/relay.ts for the table and LISTEN/NOTIFY.
 */

/** The send budget's class a handed-over call goes in on the sending instance. */
export type RelayClass = "reply" | "newsroom";

/** A Bot API call handed to the sending instance. `payload` is JSON (files as base64, see the transformer). */
export interface RelayedCall {
  id: number;
  cls: RelayClass;
  method: string;
  payload: unknown;
}

/** What came of a handed-over call, as the caller must see it. */
export type RelayOutcome =
  /** Telegram's answer, ok or not (the caller's client turns `ok: false` into its usual error). */
  | { kind: "response"; response: unknown }
  /** The sender's budget gave the reply up (REPLY_MAX_WAIT or its queue bound). */
  | { kind: "dropped"; reason: "waited" | "overflow"; waitedMs: number }
  /** The request itself failed (network, timeout) on the sender. */
  | { kind: "failed"; message: string };

export interface CallRelay {
  /**
   * Hands a call over and resolves with its outcome; rejects with RelayTimeout when no answer came
   * within `timeoutMs` (`taken` says whether the sender had taken it: then it may still have gone).
   */
  forward(call: Omit<RelayedCall, "id">, timeoutMs: number): Promise<RelayOutcome>;
  /** From now on this instance performs the calls handed over (those already waiting first). */
  serve(perform: (call: RelayedCall) => Promise<RelayOutcome>): Promise<void>;
  /** Stops performing them (calls in flight still answer). */
  unserve(): Promise<void>;
  close(): Promise<void>;
}

export class RelayTimeout extends Error {
  override name = "RelayTimeout";
  constructor(
    readonly taken: boolean,
    readonly waitedMs: number,
  ) {
    super(
      taken
        ? `handed-over call taken by the sender but not answered within ${waitedMs} ms`
        : `no sender took the handed-over call within ${waitedMs} ms`,
    );
  }
}
