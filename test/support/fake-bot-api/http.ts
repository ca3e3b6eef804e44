/** HTTP for the fake Bot API: request parameters as the Bot API reads them (query, JSON, form, multipart) and JSON answers. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, badRequest, isRecord, type Params, UploadedFile } from "./protocol.js";

/** Telegram's limit on a request body. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * The call's parameters: the query string, then a JSON, form or multipart body over it. In a
 * multipart body (how files are uploaded) text parts are strings and file parts UploadedFile.
 */
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
        const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers["content-type"] ?? "");
        const parsed = boundary ? parseMultipart(Buffer.concat(chunks), boundary[1] ?? boundary[2]!) : undefined;
        if (!parsed) {
          reject(badRequest("can't parse multipart/form-data request body"));
          return;
        }
        resolve(Object.assign(params, parsed));
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

/** The parts of a multipart/form-data body; undefined if it does not parse. */
export function parseMultipart(body: Buffer, boundary: string): Params | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const params: Params = {};
  let at = body.indexOf(delimiter);
  if (at === -1) return undefined;
  for (;;) {
    at += delimiter.length;
    // "--" after a delimiter ends the body.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return params;
    if (body[at] === 0x0d && body[at + 1] === 0x0a) at += 2;
    const headerEnd = body.indexOf("\r\n\r\n", at);
    if (headerEnd === -1) return undefined;
    const headers = body.subarray(at, headerEnd).toString("utf8");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next === -1) return undefined;
    const data = body.subarray(headerEnd + 4, next);
    const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? "";
    const name = /(?:^|;)\s*name=(?:"([^"]*)"|([^;\s]*))/i.exec(disposition);
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(disposition);
    if (!name) return undefined;
    const key = name[1] ?? name[2] ?? "";
    params[key] = filename
      ? new UploadedFile((filename[1] ?? filename[2] ?? "").trim(), Buffer.from(data))
      : data.toString("utf8");
    at = next + 2;
  }
}
