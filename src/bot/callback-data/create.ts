/**
 * Typed callback data, after the grammY bot template's `createCallbackData`: each kind of button
 * defines its prefix once, with the filter its handler is installed on and how its value is packed
 * into (and unpacked from) the 64 bytes Telegram allows. Wire format: `prefix:payload`.
 */

export interface CallbackData<T> {
  readonly prefix: string;
  /** Matches the presses of this kind of button: `composer.callbackQuery(data.filter(), …)`. */
  filter(): RegExp;
  /** The button's callback_data for a value. Throws if it would not fit Telegram's 64 bytes. */
  pack(value: T): string;
  /** The value a press carries, or undefined when the data is not this button's or no longer parses. */
  unpack(data: string): T | undefined;
}

export interface CallbackCodec<T> {
  encode(value: T): string;
  decode(payload: string): T | undefined;
}

/** Telegram's limit on callback_data. */
export const CALLBACK_DATA_MAX_BYTES = 64;

const taken = new Set<string>();

/** Defines a kind of button; a prefix may be defined only once. */
export function createCallbackData<T>(prefix: string, codec: CallbackCodec<T>): CallbackData<T> {
  // Letters, digits and "-" only: the prefix goes into a regular expression and must not contain ":".
  if (!/^[a-z0-9-]+$/.test(prefix)) throw new Error(`callback data prefix "${prefix}": use a-z, 0-9 and -`);
  if (taken.has(prefix)) throw new Error(`callback data prefix "${prefix}" is defined twice`);
  taken.add(prefix);
  const head = `${prefix}:`;
  const filter = new RegExp(`^${prefix}:`);
  return {
    prefix,
    filter: () => filter,
    pack(value) {
      const data = head + codec.encode(value);
      if (Buffer.byteLength(data, "utf8") > CALLBACK_DATA_MAX_BYTES)
        throw new Error(`callback data "${data}" is longer than ${CALLBACK_DATA_MAX_BYTES} bytes`);
      return data;
    },
    unpack: (data) => (data.startsWith(head) ? codec.decode(data.slice(head.length)) : undefined),
  };
}
