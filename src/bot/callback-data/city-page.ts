/** The ◀ / ▶ buttons under the list of comuni: `p:<page>`, zero-based. */
import { createCallbackData } from "./create.js";

export const cityPageData = createCallbackData<{ page: number }>("p", {
  encode: ({ page }) => String(page),
  decode: (payload) => {
    const page = Number(payload);
    return Number.isInteger(page) && page >= 0 ? { page } : undefined;
  },
});
