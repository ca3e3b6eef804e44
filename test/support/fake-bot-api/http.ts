/** HTTP for the fake Bot API: request parameters as the Bot API reads them (query, JSON, form) and JSON answers. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, badRequest, isRecord, type Params } from "./protocol.js";

/** Telegram's limit on a request body. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** The call's parameters: the query string, then a JSON or form body over it. Multipart is refused. */
export function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  return new Promise<Params>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new ApiError(413, "Request Entity Too Large"));
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", (err) => {
      if (!failed) {
        failed = true;
        reject(err);
      }
    });
    req.on("end", () => {
      if (failed) return;
      if (contentType.startsWith("multipart/form-data")) {
        reject(badRequest("multipart/form-data requests are not supported by this fake server; send JSON"));
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      if (body.trim() === "") {
        resolve(params);
        return;
      }
      if (contentType.startsWith("application/json") || contentType === "") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          reject(badRequest("can't parse JSON request body"));
          return;
        }
        if (!isRecord(parsed)) {
          reject(badRequest("JSON request body must be an object"));
          return;
        }
        resolve(Object.assign(params, parsed));
        return;
      }
      if (contentType.startsWith("application/x-www-form-urlencoded")) {
        for (const [k, v] of new URLSearchParams(body)) params[k] = v;
        resolve(params);
        return;
      }
      reject(badRequest(`unsupported Content-Type "${contentType}"`));
    });
  });
}

/** Writes a JSON answer, unless the response is already gone or answered. */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.writableEnded || res.headersSent) return;
  const data = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(data),
  });
  res.end(data);
}
