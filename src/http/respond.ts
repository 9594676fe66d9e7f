import type { ServerResponse } from "node:http";
import type { ErrorDetails } from "../errors/app-error";
import { DEFAULT_MESSAGES, HTTP_STATUS, type ErrorCode } from "../errors/error-codes";

/** Writes a JSON body with no caching (every answer of this service is per-caller). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Readonly<Record<string, string>>): void {
  const text = JSON.stringify(body);
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.setHeader("cache-control", "no-store");
  if (headers) for (const name in headers) res.setHeader(name, headers[name]!);
  res.writeHead(status);
  res.end(text);
}

/** An error as a client sees it: a code of the closed set, a safe message, safe details. */
export interface ClientErrorBody {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

/**
 * RFC 6750's challenge on a 401: the scheme and realm, and `error="invalid_token"` with the reason
 * when a token was presented but refused (none when there was no token at all).
 */
export function challengeHeaders(error: ClientErrorBody): Record<string, string> {
  if (error.code !== "UNAUTHENTICATED") return {};
  if (error.details?.reason === "MISSING" || error.details?.reason === undefined) return { "www-authenticate": 'Bearer realm="connected-accounts"' };
  // RFC 6750 allows printable ASCII but `"` and `\` in error_description.
  const description = [...error.message].filter((c) => c >= " " && c <= "~" && c !== '"' && c !== "\\").join("");
  return { "www-authenticate": `Bearer realm="connected-accounts", error="invalid_token", error_description="${description}"` };
}

/** Writes a GraphQL-shaped error response (`{ errors: [...] }`) with the code's HTTP status. */
export function sendGraphQLError(res: ServerResponse, code: ErrorCode, message = DEFAULT_MESSAGES[code], status = HTTP_STATUS[code], details?: ErrorDetails): void {
  const error = { code, message, ...(details ? { details } : {}) };
  sendJson(res, status, { errors: [{ message, extensions: { code, ...(details ? { details } : {}) } }] }, challengeHeaders(error));
}

/** Writes the one error shape of every REST answer (`/v1/…`): `{ "error": { code, message, details? } }`. */
export function sendRestError(res: ServerResponse, error: ClientErrorBody, status = HTTP_STATUS[error.code], headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } }, { ...challengeHeaders(error), ...headers });
}
