import type { Logger } from "../logging/logger";
import { AppError } from "./app-error";
import { isDatabaseUnavailable, isMissingReference } from "./database-errors";
import { DEFAULT_MESSAGES, type ErrorCode } from "./error-codes";

/** The one place errors become client-visible: a stable code, and a safe message. */
export function toClientError(error: unknown): { code: ErrorCode; message: string; details?: AppError["details"] } {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
  if (isDatabaseUnavailable(error)) {
    return { code: "SERVICE_UNAVAILABLE", message: "The database did not answer in time; try again later." };
  }
  // The safety net of a race the services check for explicitly where they can (an account
  // deleted while a share of it was being written): stale, not a bug.
  if (isMissingReference(error)) return { code: "CONFLICT", message: "Something this request refers to was deleted meanwhile; reload and try again." };
  return { code: "INTERNAL", message: DEFAULT_MESSAGES.INTERNAL };
}

/**
 * Logs what an operator must act on: unexpected errors (INTERNAL), outages (SERVICE_UNAVAILABLE),
 * and stored credentials that no longer open (with the key id they were sealed under, never the
 * value).
 */
export function logOperationalError(logger: Logger, error: unknown, code: ErrorCode, context: Record<string, unknown> = {}): void {
  if (code === "INTERNAL" || code === "SERVICE_UNAVAILABLE") {
    logger.error({ err: error, ...context }, "operation failed");
  } else if (code === "CREDENTIALS_UNREADABLE") {
    const { kid, reason } = error as { kid?: string | null; reason?: string };
    logger.error({ kid: kid ?? null, reason: reason ?? null, ...context }, "stored credentials could not be opened");
  }
}
