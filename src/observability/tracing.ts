import type { IncomingHttpHeaders } from "node:http";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";

/**
 * OpenTelemetry traces. The code uses `@opentelemetry/api` only; the SDK and the OTLP/HTTP exporter
 * are started by `startTracing` when the standard `OTEL_*` variables ask for it (config.ts reads
 * them). Off, `inSpan` calls its function directly: no span objects, no context switch.
 *
 * What spans carry: names and outcome classes, the app's slug, the statement kind of SQL, the
 * GraphQL operation's name and type. Never a document, variables, a URL (tokens travel in query
 * strings at some apps), a header or an id a person typed.
 */

/** The tracing settings config.ts derives from the OTEL_* variables. */
export interface TracingSettings {
  enabled: boolean;
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  tracesUrl: string;
  serviceName: string;
}

let tracer: Tracer | null = null;
let provider: BasicTracerProvider | null = null;

/** Whether spans are being recorded in this process. */
export const tracingEnabled = (): boolean => tracer !== null;

/**
 * Starts the SDK for this process (once; a second instance in the same process shares it).
 * `exporter` replaces the OTLP exporter (the bench's dropping exporter).
 */
export function startTracing(settings: TracingSettings, exporter?: SpanExporter): void {
  if (!settings.enabled || provider) return;
  provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter ?? new OTLPTraceExporter({ url: settings.tracesUrl }))],
  });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  tracer = trace.getTracer("connected-accounts");
}

/** Sends the spans still buffered (at shutdown, and in tests). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** The trace id of the active span (for log lines), if tracing is on. */
export function activeTraceId(): string | undefined {
  if (!tracer) return undefined;
  const span = trace.getActiveSpan();
  return span?.spanContext().traceId;
}

/** The active span, to name or annotate (undefined when tracing is off). */
export function activeSpan(): Span | undefined {
  return tracer ? trace.getActiveSpan() : undefined;
}

/**
 * Runs `fn` inside a span named `name` (a child of the active one). An exception marks the span
 * as an error with the error's `code` (never its message, which may quote a provider) and is
 * rethrown. Tracing off: just `fn()`.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (!tracer) return fn(undefined);
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute("error.type", errorType(error));
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs an incoming request's work in a SERVER span that continues the caller's W3C trace
 * (`traceparent` from a router). Tracing off: just `fn()`.
 */
export function inServerSpan<T>(name: string, headers: IncomingHttpHeaders, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!tracer) return fn(undefined);
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  return context.with(parent, () => inSpan(name, attributes, fn, SpanKind.SERVER));
}

/** Ends a span by hand (spans whose end is not a promise's). */
export function startSpan(name: string, attributes: Attributes, kind: SpanKind = SpanKind.INTERNAL): Span | undefined {
  return tracer?.startSpan(name, { kind, attributes });
}

// A closed set: the error's code when it has one of ours, else its class name.
function errorType(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^[A-Z_]{2,40}$/.test(code)) return code;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" && /^[A-Za-z]{1,40}$/.test(name) ? name : "Error";
}

export { SpanKind };
