/**
 * Configuration of the Ministry's live results feed ("Eligendo"), validated with zod like the rest of the
 * environment. `ELIGENDO_DATE` switches the feed on; everything else has a default.
 *
 * The shape and its cross-field check are exported separately so that the main configuration schema can
 * include them (`z.object({...base, ...FeedConfigShape}).superRefine(refineFeedConfig)`).
 */
import { z } from "../validation.js";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const voteDate = z.iso.date({ message: "must be an existing YYYY-MM-DD date (the day of the vote)" });

/** The feed's variables: spread into an object schema. */
export const FeedConfigShape = {
  /** Day of the vote (first round): the feed is followed whenever this is set, whatever today's date. */
  ELIGENDO_DATE: z.preprocess(emptyAsUndefined, voteDate.optional()),
  /** Root of the Ministry's API; configurable because the paths are undocumented and may move. */
  ELIGENDO_API_ROOT: z.preprocess(
    emptyAsUndefined,
    z
      .url({
        protocol: /^https?$/,
        message: "must be an http(s) address, e.g. https://eleapi.interno.gov.it/siel/PX",
      })
      .default("https://eleapi.interno.gov.it/siel/PX")
      // The paths are appended with a slash: one at the end of the root would double it.
      .transform((s) => s.replace(/\/+$/, "")),
  ),
  /** Seconds between the starts of two polling cycles. */
  ELIGENDO_POLL_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ message: "must be a number of seconds" })
      .int({ message: "must be a whole number of seconds" })
      .min(1, { message: "must be at least 1 second" })
      .max(3600, { message: "must be at most 3600 seconds (an hour)" })
      .default(60),
  ),
  /** Requests per second to the Ministry, never exceeded in any second (it blocks at about 40). */
  ELIGENDO_MAX_RPS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ message: "must be a number of requests per second" })
      .positive({ message: "must be greater than zero" })
      .max(20, { message: "must be at most 20 requests per second (the Ministry blocks at about 40)" })
      .default(5),
  ),
  /** Day of the runoff, followed the same way as the first round. */
  ELIGENDO_RUNOFF_DATE: z.preprocess(
    emptyAsUndefined,
    z.iso.date({ message: "must be an existing YYYY-MM-DD date (the day of the runoff)" }).optional(),
  ),
  /** Automatic bulletins from the feed: published at once, drafted for the newsroom to review, or none. */
  ELIGENDO_BULLETINS: z.preprocess(
    (v) => (typeof v === "string" ? (emptyAsUndefined(v) as string | undefined)?.trim().toLowerCase() : v),
    z.enum(["auto", "review", "off"], { message: "must be auto, review or off" }).default("auto"),
  ),
};

const FeedConfigObject = z.object(FeedConfigShape);
/** The feed's validated variables (also a subset of the whole configuration). */
export type FeedConfigValues = z.infer<typeof FeedConfigObject>;

/** Cross-field checks: a runoff needs its first round, and comes after it. */
export function refineFeedConfig(c: FeedConfigValues, ctx: z.RefinementCtx): void {
  if (c.ELIGENDO_RUNOFF_DATE && !c.ELIGENDO_DATE) {
    ctx.addIssue({
      code: "custom",
      path: ["ELIGENDO_RUNOFF_DATE"],
      message: "needs ELIGENDO_DATE too (the day of the first round)",
    });
  }
  if (c.ELIGENDO_RUNOFF_DATE && c.ELIGENDO_DATE && c.ELIGENDO_RUNOFF_DATE <= c.ELIGENDO_DATE) {
    ctx.addIssue({
      code: "custom",
      path: ["ELIGENDO_RUNOFF_DATE"],
      message: "must come after ELIGENDO_DATE",
    });
  }
}

/** The feed's variables alone, validated (for tests and for callers that read only the feed's part). */
export const FeedConfigSchema = FeedConfigObject.superRefine(refineFeedConfig);
export type FeedConfig = z.infer<typeof FeedConfigSchema>;

/** The feed's settings, in the units the code uses; present only when the feed is switched on. */
export interface FeedSettings {
  /** First-round date, YYYY-MM-DD. */
  date: string;
  runoffDate?: string;
  apiRoot: string;
  pollMs: number;
  maxRps: number;
  bulletins: "auto" | "review" | "off";
}

/** The settings, or undefined when `ELIGENDO_DATE` is not set (the feed is off). */
export function feedSettings(c: FeedConfigValues): FeedSettings | undefined {
  if (!c.ELIGENDO_DATE) return undefined;
  return {
    date: c.ELIGENDO_DATE,
    runoffDate: c.ELIGENDO_RUNOFF_DATE,
    apiRoot: c.ELIGENDO_API_ROOT,
    pollMs: c.ELIGENDO_POLL_SECONDS * 1000,
    maxRps: c.ELIGENDO_MAX_RPS,
    bulletins: c.ELIGENDO_BULLETINS,
  };
}
