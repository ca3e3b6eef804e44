/** The newsroom's button that releases a comune held by the anomaly gate: `fr:<gate key>` ("fr:1t:050901160"). */
import { createCallbackData } from "./create.js";

export const feedReleaseData = createCallbackData<{ key: string }>("fr", {
  encode: ({ key }) => key,
  decode: (payload) => (/^[12]t:\d{9}$/.test(payload) ? { key: payload } : undefined),
});
