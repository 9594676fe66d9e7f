import { DEFAULT_MESSAGES, type ErrorCode } from "./error-codes";

/** Details safe to show a client: field names, ids, reasons. Never a secret. */
export type ErrorDetails = Record<string, string | number | boolean | null | string[]>;

/**
 * An error whose code and message are safe to show the caller. Anything thrown that is not an
 * AppError is treated as unexpected and reaches clients only as INTERNAL.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = DEFAULT_MESSAGES[code],
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** The caller is not authenticated (no token, bad signature, expired, wrong audience). */
export const unauthenticated = (message?: string) => new AppError("UNAUTHENTICATED", message);
/** The caller can see the object but may not do this to it. */
export const forbidden = (message?: string, details?: ErrorDetails) =>
  new AppError("FORBIDDEN", message, details);
/** The object does not exist, or the caller may not see it (the two are indistinguishable). */
export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found.`);
/** The input fails validation; `field` names the offending argument. */
export const badInput = (message: string, field?: string) =>
  new AppError("BAD_USER_INPUT", message, field ? { field } : undefined);
/** The request conflicts with existing state (duplicate, last owner, stale version). */
export const conflict = (message: string, details?: ErrorDetails) =>
  new AppError("CONFLICT", message, details);
/** A dependency of ours (the database) missed its deadline or is down. */
export const serviceUnavailable = (message?: string) => new AppError("SERVICE_UNAVAILABLE", message);
/** A third-party provider did not answer in time, or answered with a server error. */
export const providerUnavailable = (message?: string) => new AppError("PROVIDER_UNAVAILABLE", message);
