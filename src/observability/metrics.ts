import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The service's Prometheus metrics (docs/observability.md explains each one).
 *
 * One registry per process, as prom-client intends: the call sites record through `metrics`, which
 * does nothing until `enableMetrics` is called (METRICS_PORT or METRICS_TOKEN set), so a service
 * without metrics pays one empty method call per event. Several instances started in one process
 * (tests) share the registry.
 *
 * Labels never carry ids, user data or secrets: every label value comes from a closed set (the
 * catalog's slugs, the committed operation names, the error codes, fixed outcome classes), and
 * anything else collapses to `other`. test/metrics.test.ts checks this after a run with many
 * accounts and users.
 */

/** How a refresh ended, for `ca_refreshes_total` (SPEC §4's failure classes). */
export type RefreshOutcome = "ok" | "invalid_grant" | "invalid_client" | "rejected" | "timeout" | "unreachable" | "5xx" | "429" | "malformed" | "interrupted";
/** What a provider call was for. */
export type ProviderCallKind = "exchange" | "refresh" | "identity" | "revocation" | "request" | "check" | "learn";
/** How a credential read was served. */
export type CredentialReadOutcome = "fresh" | "refreshed" | "refused";
/** Why a database statement or acquire hit its deadline. */
export type DeadlineKind = "query" | "acquire";

const OTHER = "other";
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PROVIDER_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What the call sites record. `NO_METRICS` implements it with empty methods. */
export interface MetricsRecorder {
  readonly enabled: boolean;
  graphqlOperation(name: string | null | undefined, type: string | undefined, outcome: string, seconds: number): void;
  httpRequest(route: string, method: string | undefined, status: number, seconds: number): void;
  wsConnections(delta: number): void;
  wsSubscriptions(delta: number): void;
  wsClientPaused(): void;
  wsClientDropped(): void;
  credentialRead(app: string, outcome: CredentialReadOutcome): void;
  accountRequest(app: string, status: number | null): void;
  refresh(app: string, outcome: RefreshOutcome): void;
  providerCall(app: string, kind: ProviderCallKind, ok: boolean, seconds: number): void;
  leaseWait(seconds: number): void;
  healthChanged(to: string, app: string): void;
  alertRaised(kind: string): void;
  eventsAppended(kind: string, count?: number): void;
  eventPublished(): void;
  eventDelivered(lagSeconds: number): void;
  databaseDeadline(kind: DeadlineKind): void;
  auditWriteFailed(entries: number): void;
  webhookDelivery(outcome: string, seconds: number): void;
  webhookEndpointDisabled(): void;
}

const noop = () => undefined;
/** Metrics off: every method does nothing. */
export const NO_METRICS: MetricsRecorder = {
  enabled: false,
  graphqlOperation: noop,
  httpRequest: noop,
  wsConnections: noop,
  wsSubscriptions: noop,
  wsClientPaused: noop,
  wsClientDropped: noop,
  credentialRead: noop,
  accountRequest: noop,
  refresh: noop,
  providerCall: noop,
  leaseWait: noop,
  healthChanged: noop,
  alertRaised: noop,
  eventsAppended: noop,
  eventPublished: noop,
  eventDelivered: noop,
  databaseDeadline: noop,
  auditWriteFailed: noop,
  webhookDelivery: noop,
  webhookEndpointDisabled: noop,
};

/** The closed sets labels are drawn from. */
export interface LabelSets {
  /** App slugs (the catalog's, and the extra apps file's). */
  apps: Iterable<string>;
  /** Operation names worth a label of their own (the committed operations, METRICS_OPERATION_NAMES). */
  operations: Iterable<string>;
  /** Error codes a GraphQL outcome may carry. */
  codes: Iterable<string>;
  /** Health states and event kinds. */
  healthStates: Iterable<string>;
  eventKinds: Iterable<string>;
}

/** Values read at scrape time: each must be cheap (no table scan per scrape). */
export interface Collectors {
  /** Database pool: connections in use, idle, and callers waiting for one (null on SQLite). */
  pool?: () => { inUse: number; idle: number; waiting: number; max: number } | null;
  /** Audit entries queued for the next batch write. */
  auditQueueDepth?: () => number;
  /** Accounts per health state, as last counted (a background count, not one per scrape). */
  accountsByHealth?: () => ReadonlyMap<string, number>;
}

const HTTP_ROUTES = new Set(["/graphql", "/v1/accounts/:id", "/oauth/start", "/oauth/callback", "/healthz", "/readyz", "/metrics"]);
const HTTP_METHODS = new Set(["GET", "POST", "OPTIONS", "HEAD", "PUT", "PATCH", "DELETE"]);
const OPERATION_TYPES = new Set(["query", "mutation", "subscription"]);
const WEBHOOK_OUTCOMES = new Set(["ok", "error", "1xx", "3xx", "4xx", "5xx"]);

function statusClass(status: number | null): string {
  if (status === null) return "error";
  if (status >= 100 && status < 600) return `${Math.floor(status / 100)}xx`;
  return "error";
}

class PromMetrics implements MetricsRecorder {
  readonly enabled = true;
  readonly registry = new Registry();
  private readonly apps: Set<string>;
  private readonly operations: Set<string>;
  private readonly codes: Set<string>;
  private readonly healthStates: Set<string>;
  private readonly eventKinds: Set<string>;

  private readonly operationsTotal: Counter<"operation" | "type" | "outcome">;
  private readonly operationSeconds: Histogram<"operation" | "type">;
  private readonly httpTotal: Counter<"route" | "method" | "status_class">;
  private readonly httpSeconds: Histogram<"route">;
  private readonly wsOpen: Gauge;
  private readonly wsSubs: Gauge;
  private readonly wsPaused: Counter;
  private readonly wsDropped: Counter;
  private readonly credentialReads: Counter<"app" | "outcome">;
  private readonly accountRequests: Counter<"app" | "status_class">;
  private readonly refreshes: Counter<"app" | "outcome">;
  private readonly providerCalls: Counter<"app" | "kind" | "outcome">;
  private readonly providerSeconds: Histogram<"app" | "kind">;
  private readonly leaseWaits: Histogram;
  private readonly healthTransitions: Counter<"to" | "app">;
  private readonly alerts: Counter<"kind">;
  private readonly appended: Counter<"kind">;
  private readonly published: Counter;
  private readonly delivered: Counter;
  private readonly deliveryLag: Histogram;
  private readonly deadlines: Counter<"kind">;
  private readonly auditFailures: Counter;
  private readonly webhookAttempts: Counter<"outcome">;
  private readonly webhookSeconds: Histogram;
  private readonly webhookDisabled: Counter;
  private collectors: Collectors = {};

  constructor(labels: LabelSets) {
    this.apps = new Set(labels.apps);
    this.operations = new Set(labels.operations);
    this.codes = new Set(labels.codes);
    this.healthStates = new Set(labels.healthStates);
    this.eventKinds = new Set(labels.eventKinds);
    const registers = [this.registry];
    // The gauges' collect() runs with the gauge as `this`: these reach the instance's readers.
    const current = () => this.collectors;
    const healthStates = this.healthStates;

    this.operationsTotal = new Counter({ name: "ca_graphql_operations_total", help: "GraphQL operations by name (committed names only, others collapse to `other`), type and outcome (OK or the first error's code).", labelNames: ["operation", "type", "outcome"], registers });
    this.operationSeconds = new Histogram({ name: "ca_graphql_operation_duration_seconds", help: "Time to answer a GraphQL operation over HTTP, or to start a subscription.", labelNames: ["operation", "type"], buckets: LATENCY_BUCKETS, registers });
    this.httpTotal = new Counter({ name: "ca_http_requests_total", help: "HTTP requests by route, method and status class.", labelNames: ["route", "method", "status_class"], registers });
    this.httpSeconds = new Histogram({ name: "ca_http_request_duration_seconds", help: "Time to answer an HTTP request, by route.", labelNames: ["route"], buckets: LATENCY_BUCKETS, registers });
    this.wsOpen = new Gauge({ name: "ca_ws_connections", help: "Open graphql-ws connections.", registers });
    this.wsSubs = new Gauge({ name: "ca_ws_subscriptions", help: "Active subscriptions.", registers });
    this.wsPaused = new Counter({ name: "ca_ws_clients_paused_total", help: "Times delivery to a slow client paused (its buffer was full).", registers });
    this.wsDropped = new Counter({ name: "ca_ws_clients_dropped_total", help: "Slow clients disconnected because they did not drain in time.", registers });
    this.credentialReads = new Counter({ name: "ca_credential_reads_total", help: "Credential reads by app and how they were served: fresh, refreshed on the read's path, or refused.", labelNames: ["app", "outcome"], registers });
    this.accountRequests = new Counter({ name: "ca_account_requests_total", help: "Requests sent through accounts (sendAccountRequest, steps) by app and the app's status class (error: no answer).", labelNames: ["app", "status_class"], registers });
    this.refreshes = new Counter({ name: "ca_refreshes_total", help: "Token refreshes that called the provider, by app and outcome class.", labelNames: ["app", "outcome"], registers });
    this.providerCalls = new Counter({ name: "ca_provider_calls_total", help: "Calls to apps and OAuth providers by app, purpose and outcome (ok: an answer was received and accepted).", labelNames: ["app", "kind", "outcome"], registers });
    this.providerSeconds = new Histogram({ name: "ca_provider_call_duration_seconds", help: "Latency of calls to apps and OAuth providers, by app and purpose.", labelNames: ["app", "kind"], buckets: PROVIDER_BUCKETS, registers });
    this.leaseWaits = new Histogram({ name: "ca_refresh_lease_wait_seconds", help: "Time a read with no valid token waited for a refresh another caller or instance was running.", buckets: PROVIDER_BUCKETS, registers });
    this.healthTransitions = new Counter({ name: "ca_account_health_transitions_total", help: "Accounts entering a health state, by app.", labelNames: ["to", "app"], registers });
    this.alerts = new Counter({ name: "ca_alerts_raised_total", help: "Alert events raised (ACCOUNT_AUTH_FAILED, ACCOUNT_RECONNECT_REQUIRED).", labelNames: ["kind"], registers });
    this.appended = new Counter({ name: "ca_events_appended_total", help: "Events appended to the durable log, by kind.", labelNames: ["kind"], registers });
    this.published = new Counter({ name: "ca_events_published_total", help: "Notices published after commit (one per workspace and transaction).", registers });
    this.delivered = new Counter({ name: "ca_events_delivered_total", help: "Events sent to subscribers (one per subscriber).", registers });
    this.deliveryLag = new Histogram({ name: "ca_event_delivery_lag_seconds", help: "From an event's commit to its send on a subscriber's socket.", buckets: LAG_BUCKETS, registers });
    this.deadlines = new Counter({ name: "ca_db_deadlines_total", help: "Database statements (query) and connection acquires (acquire) that hit their deadline.", labelNames: ["kind"], registers });
    this.webhookAttempts = new Counter({ name: "ca_webhook_attempts_total", help: "Webhook delivery attempts by outcome (ok: a 2xx; 4xx, 5xx, 3xx: the receiver's answer; error: no answer, refused address, timeout).", labelNames: ["outcome"], registers });
    this.webhookSeconds = new Histogram({ name: "ca_webhook_attempt_duration_seconds", help: "Time of one webhook delivery attempt, to the receiver's answer or the deadline.", buckets: PROVIDER_BUCKETS, registers });
    this.webhookDisabled = new Counter({ name: "ca_webhook_endpoints_disabled_total", help: "Webhook endpoints disabled by the service (410 Gone, or failing for the whole retry window).", registers });
    this.auditFailures = new Counter({ name: "ca_audit_write_failures_total", help: "Audit entries whose batch write failed (kept and retried).", registers });

    new Gauge({
      name: "ca_db_pool_connections",
      help: "Database pool connections in use and idle, callers waiting for one, and the pool's size (max) (MariaDB).",
      labelNames: ["state"],
      registers,
      collect() {
        const pool = current().pool?.();
        if (!pool) return;
        this.set({ state: "in_use" }, pool.inUse);
        this.set({ state: "idle" }, pool.idle);
        this.set({ state: "waiting" }, pool.waiting);
        this.set({ state: "max" }, pool.max);
      },
    });
    new Gauge({
      name: "ca_audit_queue_depth",
      help: "Audit entries queued for the next batch write.",
      registers,
      collect() {
        this.set(current().auditQueueDepth?.() ?? 0);
      },
    });
    new Gauge({
      name: "ca_accounts",
      help: "Accounts per health state, as last counted in the background (ACCOUNT_COUNT_INTERVAL_MS).",
      labelNames: ["health"],
      registers,
      collect() {
        const counts = current().accountsByHealth?.();
        if (!counts) return;
        for (const state of healthStates) this.set({ health: state }, counts.get(state) ?? 0);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Adds an instance's closed sets (a second instance in one process may know more apps). */
  allow(labels: LabelSets): void {
    for (const [set, values] of [
      [this.apps, labels.apps],
      [this.operations, labels.operations],
      [this.codes, labels.codes],
      [this.healthStates, labels.healthStates],
      [this.eventKinds, labels.eventKinds],
    ] as const) {
      for (const value of values) set.add(value);
    }
  }

  /** Adds the scrape-time readers of one instance. */
  watch(collectors: Collectors): void {
    this.collectors = { ...this.collectors, ...collectors };
  }

  private app(slug: string): string {
    return this.apps.has(slug) ? slug : OTHER;
  }

  graphqlOperation(name: string | null | undefined, type: string | undefined, outcome: string, seconds: number): void {
    const operation = name && this.operations.has(name) ? name : OTHER;
    const kind = type && OPERATION_TYPES.has(type) ? type : "unknown";
    this.operationsTotal.inc({ operation, type: kind, outcome: outcome === "OK" || this.codes.has(outcome) ? outcome : OTHER });
    this.operationSeconds.observe({ operation, type: kind }, seconds);
  }

  httpRequest(route: string, method: string | undefined, status: number, seconds: number): void {
    const r = HTTP_ROUTES.has(route) ? route : OTHER;
    this.httpTotal.inc({ route: r, method: method && HTTP_METHODS.has(method) ? method : OTHER, status_class: statusClass(status) });
    this.httpSeconds.observe({ route: r }, seconds);
  }

  wsConnections(delta: number): void {
    this.wsOpen.inc(delta);
  }
  wsSubscriptions(delta: number): void {
    this.wsSubs.inc(delta);
  }
  wsClientPaused(): void {
    this.wsPaused.inc();
  }
  wsClientDropped(): void {
    this.wsDropped.inc();
  }
  credentialRead(app: string, outcome: CredentialReadOutcome): void {
    this.credentialReads.inc({ app: this.app(app), outcome });
  }
  accountRequest(app: string, status: number | null): void {
    this.accountRequests.inc({ app: this.app(app), status_class: statusClass(status) });
  }
  refresh(app: string, outcome: RefreshOutcome): void {
    this.refreshes.inc({ app: this.app(app), outcome });
  }
  providerCall(app: string, kind: ProviderCallKind, ok: boolean, seconds: number): void {
    const label = this.app(app);
    this.providerCalls.inc({ app: label, kind, outcome: ok ? "ok" : "error" });
    this.providerSeconds.observe({ app: label, kind }, seconds);
  }
  leaseWait(seconds: number): void {
    this.leaseWaits.observe(seconds);
  }
  healthChanged(to: string, app: string): void {
    this.healthTransitions.inc({ to: this.healthStates.has(to) ? to : OTHER, app: this.app(app) });
  }
  alertRaised(kind: string): void {
    this.alerts.inc({ kind: this.eventKinds.has(kind) ? kind : OTHER });
  }
  eventsAppended(kind: string, count = 1): void {
    this.appended.inc({ kind: this.eventKinds.has(kind) ? kind : OTHER }, count);
  }
  eventPublished(): void {
    this.published.inc();
  }
  eventDelivered(lagSeconds: number): void {
    this.delivered.inc();
    this.deliveryLag.observe(Math.max(0, lagSeconds));
  }
  databaseDeadline(kind: DeadlineKind): void {
    this.deadlines.inc({ kind });
  }
  auditWriteFailed(entries: number): void {
    this.auditFailures.inc(entries);
  }
  webhookDelivery(outcome: string, seconds: number): void {
    this.webhookAttempts.inc({ outcome: WEBHOOK_OUTCOMES.has(outcome) ? outcome : OTHER });
    this.webhookSeconds.observe(seconds);
  }
  webhookEndpointDisabled(): void {
    this.webhookDisabled.inc();
  }
}

let active: PromMetrics | null = null;

/** Where the call sites record: no-ops until `enableMetrics`. */
export let metrics: MetricsRecorder = NO_METRICS;

/**
 * Turns metrics on for this process (idempotent: a second instance in the same process adds its
 * collectors to the same registry) and returns the registry to serve.
 */
export function enableMetrics(labels: LabelSets, collectors: Collectors): Registry {
  if (active) active.allow(labels);
  else active = new PromMetrics(labels);
  active.watch(collectors);
  metrics = active;
  return active.registry;
}

/** Seconds since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
