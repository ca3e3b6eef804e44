/** The newsroom's buttons on a draft of an automatic bulletin (review mode): `fd:<id>:p` publishes, `fd:<id>:d` drops. */
import { createCallbackData } from "./create.js";

export type DraftAction = "publish" | "drop";

export const feedDraftData = createCallbackData<{ id: number; action: DraftAction }>("fd", {
  encode: ({ id, action }) => `${id}:${action === "publish" ? "p" : "d"}`,
  decode: (payload) => {
    const m = /^(\d{1,15}):([pd])$/.exec(payload);
    return m ? { id: Number(m[1]), action: m[2] === "p" ? "publish" : "drop" } : undefined;
  },
});
