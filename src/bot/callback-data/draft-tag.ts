/**
 * The buttons that say which comune an ambiguous tag of a newsroom draft means (`#Castro`: BG or
 * LE): `dt:<draft id>:<comune code>`. The draft is in the store; only its author may press them.
 */
import { createCallbackData } from "./create.js";

export interface DraftTagChoice {
  id: number;
  /** The comune's code (ISTAT, or the Ministry's for a comune the index lacks). */
  code: string;
}

export const draftTagData = createCallbackData<DraftTagChoice>("dt", {
  encode: ({ id, code }) => `${id}:${code}`,
  decode: (payload) => {
    const m = /^(\d{1,15}):([a-z0-9]{1,40})$/.exec(payload);
    return m ? { id: Number(m[1]), code: m[2]! } : undefined;
  },
});
