import type { ServerResponse } from "node:http";
import { DEFAULT_MESSAGES, HTTP_STATUS, type ErrorCode } from "../errors/error-codes";

/** Writes a JSON body with no caching (every answer of this service is per-caller). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

/** Writes a GraphQL-shaped error response (`{ errors: [...] }`) with the code's HTTP status. */
export function sendGraphQLError(res: ServerResponse, code: ErrorCode, message = DEFAULT_MESSAGES[code], status = HTTP_STATUS[code]): void {
  const headers: Record<string, string> = code === "UNAUTHENTICATED" ? { "www-authenticate": 'Bearer realm="connected-accounts"' } : {};
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}
