import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequestId } from "../observability/request-context";
import { activeTraceId } from "../observability/tracing";

/** Paths pino censors wherever they appear: credentials must never reach a log line. */
export const REDACTED_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.password",
  "*.secret",
  "*.clientSecret",
  "*.apiKey",
  "*.credentials",
  "variables",
  "*.variables",
];

/** Creates the service's JSON logger; `destination` lets tests capture lines. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "connected-accounts" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // The request being served (and its trace, when tracing is on) on every line it causes.
      mixin: requestFields,
    },
    destination,
  );
}

function requestFields(): Record<string, string> {
  const requestId = currentRequestId();
  if (requestId === undefined) return {};
  const traceId = activeTraceId();
  return traceId === undefined ? { requestId } : { requestId, traceId };
}

export type { Logger };
