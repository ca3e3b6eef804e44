/** The wire protocol's pieces: Telegram's error answers, and reading parameters the way the Bot API accepts them. */

/** A call's parameters, from the query string and the body. */
export type Params = Record<string, unknown>;

/** A file part of a multipart/form-data request (an upload). */
export class UploadedFile {
  constructor(
    readonly filename: string,
    readonly data: Buffer,
  ) {}
}

/** An error answer: HTTP status and error_code `code`, Telegram's description and parameters. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

/** 400 "Bad Request: …". */
export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

/** Success answer carrying Telegram's optional "description" field. */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

/** 429 with parameters.retry_after, as Telegram's flood control answers. */
export function tooMany(retryAfter: number): ApiError {
  const s = Math.max(1, Math.ceil(retryAfter));
  return new ApiError(429, `Too Many Requests: retry after ${s}`, { retry_after: s });
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Telegram accepts JSON-serialized objects in any parameter; normalize. */
export function jsonParam(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

export function intParam(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

export function boolParam(v: unknown): boolean {
  return v === true || v === "true" || v === 1 || v === "1";
}

export function stringParam(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}
