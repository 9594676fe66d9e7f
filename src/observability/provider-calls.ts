import { metrics, secondsSince, type ProviderCallKind } from "./metrics";
import { inSpan, SpanKind, tracingEnabled } from "./tracing";

/**
 * Runs one call to an app or OAuth provider, measured (`ca_provider_calls_total`,
 * `ca_provider_call_duration_seconds`) and, with tracing on, in a CLIENT span `provider <kind>`
 * carrying the app's slug and the outcome, never the URL (tokens travel in query strings at some
 * apps) nor anything of the request or answer. `ok` says whether an answer counts as a success.
 */
export function observeProviderCall<T>(app: string, kind: ProviderCallKind, call: () => Promise<T>, ok: (result: T) => boolean = () => true): Promise<T> {
  if (!metrics.enabled && !tracingEnabled()) return call();
  const start = performance.now();
  return inSpan(
    `provider ${kind}`,
    { "ca.app": app, "ca.provider.call": kind },
    async (span) => {
      let succeeded = false;
      try {
        const result = await call();
        succeeded = ok(result);
        return result;
      } finally {
        metrics.providerCall(app, kind, succeeded, secondsSince(start));
        span?.setAttribute("ca.outcome", succeeded ? "ok" : "error");
      }
    },
    SpanKind.CLIENT,
  );
}
