import { isIPv4, isIPv6 } from "node:net";
import path from "node:path";
import { KeyRing } from "./crypto/key-ring";
import type { TracingSettings } from "./observability/tracing";

/** Which database the service runs on. */
export type DatabaseConfig =
  | { kind: "sqlite"; path: string }
  | { kind: "mariadb"; url: string; poolSize: number };

/** The validated configuration of one service instance. */
export interface Config {
  production: boolean;
  host: string;
  port: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  dataDir: string;
  database: DatabaseConfig & {
    connectTimeoutMs: number;
    acquireTimeoutMs: number;
    queryTimeoutMs: number;
    migrate: boolean;
  };
  auth: {
    issuer?: string;
    audience: string;
    jwksUrl?: string;
    publicKey?: string;
    clockToleranceSec: number;
    devTokens: boolean;
    devKeyPath: string;
  };
  /** The key ring spec (`kid:base64,...`, current key first); unset outside production means a dev ring file. */
  encryptionKeys?: string;
  devEncryptionKeyPath: string;
  /** Deadline of every call to a provider or app (credential checks, token endpoints). */
  providerTimeoutMs: number;
  oauth: {
    /** The service's public base URL; the callback registered at providers is `${publicUrl}/oauth/callback`. */
    publicUrl: string;
    /** The service's default OAuth client per app slug. */
    clients: Record<string, { clientId: string; clientSecret: string }>;
    /** Return URLs (by prefix) a connect flow may redirect to at the end. */
    returnUrls: string[];
    stateTtlSec: number;
    /** Refresh this long before expiry (on use and in the background). */
    refreshAheadSec: number;
    /** Tokens without a known expiry are refreshed this long after they were obtained. */
    fallbackLifetimeSec: number;
    /** How long a refresh lease lasts; longer than the provider deadline. */
    leaseMs: number;
    /** Background refresher period (0 = off) and parallelism. */
    refresherIntervalMs: number;
    refresherConcurrency: number;
    /** Consecutive transient failures that raise an auth-failure alert. */
    authFailureThreshold: number;
  };
  /** Realtime: Redis for events across instances (unset: in-process), and WebSocket limits. */
  realtime: {
    redisUrl?: string;
    /** How often this instance reads the heads of the logs its subscribers follow (0: never); bounds delivery when a notice is lost or Redis is down. */
    eventPollMs: number;
    initTimeoutMs: number;
    maxMessageBytes: number;
    maxSubscriptionsPerConnection: number;
    maxConnectionsPerUser: number;
    maxBufferedBytes: number;
    /** How long a client over `maxBufferedBytes` has to drain before it is disconnected. */
    drainTimeoutMs: number;
    /** How often connections opened with API tokens re-check them (revocations from other instances arrive sooner through Redis). */
    tokenRecheckMs: number;
  };
  /** A JSON file of extra app definitions (private or in-house apps), validated like the catalog. */
  appCatalogExtraFile?: string;
  /** Prometheus metrics: off unless a port or a token is set (docs/observability.md). */
  metrics: {
    enabled: boolean;
    /** A listener of its own for /metrics (null: none). */
    port: number | null;
    host: string;
    /** A bearer token that opens /metrics on the public port (and is required on the metrics port too). */
    token?: string;
    /** GraphQL operation names that get a label of their own, beside the committed ones. */
    operationNames: string[];
    /** How often the accounts-per-health gauge is recounted. */
    accountCountIntervalMs: number;
  };
  /** OpenTelemetry traces, from the standard OTEL_* variables. */
  tracing: TracingSettings;
  /** Webhook delivery (docs/api/webhooks.md). */
  webhooks: {
    /** How often an instance looks for endpoints with events to deliver (0: this instance delivers none). */
    pollMs: number;
    /** Deadline of one attempt. */
    timeoutMs: number;
    /** How long an instance holds an endpoint; longer than an attempt. */
    leaseMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    /** An endpoint failing continuously this long is disabled. */
    retryWindowMs: number;
    /** Endpoints an instance delivers to at once. */
    concurrency: number;
    /** Outside production only: receivers on loopback and private addresses, and plain http. */
    allowPrivate: boolean;
  };
  /** How long records are kept, and the background purge that deletes older ones (docs/operations.md#retention). */
  retention: {
    /** Days step run records are kept (0: forever). */
    stepRunDays: number;
    /** Days audit entries are kept (0: forever). */
    auditDays: number;
    /** Days webhook delivery records are kept (0: forever). */
    webhookDeliveryDays: number;
    /** Days the event log keeps events: the window a client or webhook endpoint can resume in. */
    eventDays: number;
    /** How often this instance purges (0: never). */
    purgeIntervalMs: number;
    /** Rows deleted per statement, each batch its own short transaction. */
    batchSize: number;
  };
  /** Deleting a workspace (docs/operations.md#deleting-a-workspace). */
  deletion: {
    /** How long one instance holds a deletion before another may take it over (renewed at every batch). */
    leaseMs: number;
    /** Rows per DELETE statement while a workspace's rows are removed. */
    batchSize: number;
    /** Provider revocations in flight at once per deletion. */
    revocationConcurrency: number;
    /** How often each instance looks for interrupted deletions to finish, first at start (0: never). */
    sweepMs: number;
    /** How long deleteWorkspace waits for the deletion to finish before answering DELETING. */
    answerWithinMs: number;
  };
  /** Non-production only: API base URLs to use instead of the catalog's (tests point apps at local servers). */
  appBaseUrlOverrides: Record<string, string>;
  /** Non-production only: loopback servers standing in for app hosts, by host pattern (tests of tenant apps). */
  appHostOverrides: Record<string, string>;
  graphql: {
    introspection: boolean;
    maxDepth: number;
    maxAliases: number;
    maxCost: number;
    /** Lexical tokens (and comments) per document, counted while parsing: bounds all later work. */
    maxTokens: number;
    /** Directives on one field (or fragment spread, inline fragment, operation). */
    maxDirectives: number;
    maxBodyBytes: number;
    /** Execute well-formed POSTs on graphql-js directly (Apollo answers the rest); off: Apollo answers everything. */
    directExecution: boolean;
  };
  shutdownGraceMs: number;
  /** On SIGTERM: how long to keep serving (answering /readyz 503) before the listener closes, so load balancers stop sending first. */
  shutdownDelayMs: number;
  /** CIDR ranges the service calls apps from (shown to users to allow-list; informational). */
  egressIpRanges: string[];
  /** Browser origins that may call `/graphql` and `/v1/*` (CORS), serialized as browsers send them; `["*"]` (never in production) allows any; empty: none. */
  corsOrigins: string[];
}

/** A configuration problem; the message names the variable so the operator can fix it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, "must be a URL");
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(" or ")}`);
  }
  return raw;
}

function cidrList(env: Env, name: string): string[] {
  const ranges = (str(env, name) ?? "").split(",").map((r) => r.trim()).filter(Boolean);
  for (const range of ranges) {
    const [address, prefix, ...rest] = range.split("/");
    const bits = !address || address.includes("%") ? 0 : isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
    if (!bits || rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) {
      throw new ConfigError(name, `has a bad CIDR range "${range}" (expected e.g. 203.0.113.0/24 or 2001:db8::/32)`);
    }
  }
  return ranges;
}

// Exact origins only (what a browser sends in `Origin`): a path, a wildcard or `null` here would be
// a misunderstanding that silently matches nothing, or too much. "https://app.example.com/" is fine.
function originList(env: Env, name: string): string[] {
  const entries = (str(env, name) ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  if (entries.includes("*")) {
    if (entries.length > 1) throw new ConfigError(name, 'is "*" (any origin) or a list of origins, not both');
    return ["*"];
  }
  return entries.map((entry) => {
    const problem = `has "${entry}", which is not an origin: scheme://host[:port], without path, query or wildcard (e.g. https://app.example.com)`;
    let parsed: URL;
    try {
      parsed = new URL(entry);
    } catch {
      throw new ConfigError(name, problem);
    }
    const bare = entry.endsWith("/") ? entry.slice(0, -1) : entry;
    if (entry.includes("*") || (parsed.protocol !== "https:" && parsed.protocol !== "http:") || parsed.origin.toLowerCase() !== bare.toLowerCase()) {
      throw new ConfigError(name, problem);
    }
    return parsed.origin;
  });
}

function keyRing(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  try {
    KeyRing.parse(raw);
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
  return raw;
}

function oauthClients(env: Env, name: string): Record<string, { clientId: string; clientSecret: string }> {
  const raw = str(env, name);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'must be JSON: {"app-slug": {"clientId": "...", "clientSecret": "..."}}');
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new ConfigError(name, "must be a JSON object keyed by app slug");
  for (const [slug, value] of Object.entries(parsed as Record<string, unknown>)) {
    const client = value as { clientId?: unknown; clientSecret?: unknown } | null;
    if (!client || typeof client.clientId !== "string" || typeof client.clientSecret !== "string" || !client.clientId || !client.clientSecret) {
      throw new ConfigError(name, `needs clientId and clientSecret for ${slug}`);
    }
  }
  return parsed as Record<string, { clientId: string; clientSecret: string }>;
}

// A JSON object setting (`what` says what it maps, for the error), or {} when unset.
function jsonObject(env: Env, name: string, what: string): Record<string, unknown> {
  const raw = str(env, name);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, `must be a JSON object of ${what}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new ConfigError(name, `must be a JSON object of ${what}`);
  return parsed as Record<string, unknown>;
}

function baseUrlOverrides(env: Env, name: string): Record<string, string> {
  const parsed = jsonObject(env, name, "app slug to URL");
  for (const [slug, value] of Object.entries(parsed)) {
    if (typeof value !== "string" || !/^https?:\/\/[^/]+/.test(value)) throw new ConfigError(name, `has a bad URL for ${slug}`);
  }
  return parsed as Record<string, string>;
}

// NODE_ENV decides production mode, so it is read strictly: any case, but only a known value.
// ("Production" or "prod" silently meaning development would turn dev tokens on in production.)
function nodeEnv(env: Env): "production" | "development" | "test" {
  const raw = str(env, "NODE_ENV")?.toLowerCase();
  if (raw === undefined) return "development";
  if (raw === "production" || raw === "development" || raw === "test") return raw;
  throw new ConfigError("NODE_ENV", `must be production, development or test (any case), got "${str(env, "NODE_ENV")}"`);
}

// APP_HOST_OVERRIDES: {"*.myshopify.com": "http://127.0.0.1:4567"}: loopback servers only.
function hostOverrides(env: Env, name: string): Record<string, string> {
  const parsed = jsonObject(env, name, "host pattern to loopback origin");
  for (const [pattern, value] of Object.entries(parsed)) {
    if (!/^(\*\.)?[a-z0-9.-]+$/.test(pattern)) throw new ConfigError(name, `has a bad host pattern "${pattern}"`);
    if (typeof value !== "string" || !/^http:\/\/(127\.0\.0\.1|localhost):\d+$/.test(value)) throw new ConfigError(name, `must send ${pattern} to a loopback origin (http://127.0.0.1:port)`);
  }
  return parsed as Record<string, string>;
}

function metricsSettings(env: Env): Config["metrics"] {
  const port = str(env, "METRICS_PORT") === undefined ? null : int(env, "METRICS_PORT", 0, 0, 65535);
  const token = str(env, "METRICS_TOKEN");
  if (token !== undefined && token.length < 16) throw new ConfigError("METRICS_TOKEN", "must be at least 16 characters");
  const operationNames = (str(env, "METRICS_OPERATION_NAMES") ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of operationNames) {
    if (!/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name)) throw new ConfigError("METRICS_OPERATION_NAMES", `has a name that is not a GraphQL name: ${name.slice(0, 40)}`);
  }
  if (operationNames.length > 500) throw new ConfigError("METRICS_OPERATION_NAMES", "lists more than 500 names (each is a label value)");
  return {
    enabled: port !== null || token !== undefined,
    port,
    host: str(env, "METRICS_HOST") ?? str(env, "HOST") ?? "127.0.0.1",
    token,
    operationNames,
    accountCountIntervalMs: int(env, "ACCOUNT_COUNT_INTERVAL_MS", 60_000, 1000, 3_600_000),
  };
}

// The OpenTelemetry SDK's standard switches: on when an OTLP endpoint is set (or the exporter is
// named otlp), off with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. The exporter reads the
// rest of its standard variables (headers, timeout, compression) itself.
function tracingSettings(env: Env): TracingSettings {
  const disabled = bool(env, "OTEL_SDK_DISABLED", false);
  const exporter = (str(env, "OTEL_TRACES_EXPORTER") ?? "").trim().toLowerCase();
  if (exporter !== "" && exporter !== "otlp" && exporter !== "none") throw new ConfigError("OTEL_TRACES_EXPORTER", "must be otlp or none (traces go out over OTLP/HTTP)");
  const tracesEndpoint = url(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ["https:", "http:"]);
  const endpoint = url(env, "OTEL_EXPORTER_OTLP_ENDPOINT", ["https:", "http:"]);
  const tracesUrl = tracesEndpoint ?? (endpoint ? `${endpoint.replace(/\/+$/, "")}/v1/traces` : "http://localhost:4318/v1/traces");
  return {
    enabled: !disabled && exporter !== "none" && (exporter === "otlp" || tracesEndpoint !== undefined || endpoint !== undefined),
    tracesUrl,
    serviceName: str(env, "OTEL_SERVICE_NAME") ?? "connected-accounts",
  };
}

/**
 * Reads the configuration from environment variables and validates all of it up front, so that a
 * bad value stops the service at start with the variable's name rather than failing later.
 */
export function loadConfig(env: Env = process.env): Config {
  const production = nodeEnv(env) === "production" || bool(env, "CA_PRODUCTION", false);
  const dataDir = path.resolve(str(env, "DATA_DIR") ?? "data");

  const databaseUrl = url(env, "DATABASE_URL", ["mysql:", "mariadb:"]);
  const database: DatabaseConfig = databaseUrl
    ? { kind: "mariadb", url: databaseUrl, poolSize: int(env, "DB_POOL_SIZE", 10, 1, 500) }
    : { kind: "sqlite", path: path.resolve(str(env, "SQLITE_PATH") ?? path.join(dataDir, "connected-accounts.sqlite")) };

  const jwksUrl = url(env, "AUTH_JWKS_URL", ["https:", "http:"]);
  const publicKey = str(env, "AUTH_PUBLIC_KEY");
  if (jwksUrl && publicKey) throw new ConfigError("AUTH_PUBLIC_KEY", "cannot be set together with AUTH_JWKS_URL");
  if (publicKey && !publicKey.includes("BEGIN PUBLIC KEY")) {
    throw new ConfigError("AUTH_PUBLIC_KEY", "must be a PEM-encoded SPKI public key");
  }

  const config: Config = {
    production,
    host: str(env, "HOST") ?? "127.0.0.1",
    port: int(env, "PORT", 4000, 0, 65535),
    logLevel: oneOf(env, "LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const, "info"),
    dataDir,
    database: {
      ...database,
      connectTimeoutMs: int(env, "DB_CONNECT_TIMEOUT_MS", 5000, 100, 120000),
      acquireTimeoutMs: int(env, "DB_ACQUIRE_TIMEOUT_MS", 5000, 100, 120000),
      queryTimeoutMs: int(env, "DB_QUERY_TIMEOUT_MS", 10000, 100, 600000),
      migrate: bool(env, "DB_MIGRATE", true),
    },
    auth: {
      issuer: str(env, "AUTH_ISSUER"),
      audience: str(env, "AUTH_AUDIENCE") ?? "connected-accounts",
      jwksUrl,
      publicKey,
      clockToleranceSec: int(env, "AUTH_CLOCK_TOLERANCE_SEC", 5, 0, 300),
      devTokens: bool(env, "DEV_TOKENS", !production),
      devKeyPath: path.resolve(str(env, "DEV_KEY_PATH") ?? path.join(dataDir, "dev-signing-key.json")),
    },
    encryptionKeys: keyRing(env, "ENCRYPTION_KEYS"),
    devEncryptionKeyPath: path.resolve(str(env, "DEV_ENCRYPTION_KEY_PATH") ?? path.join(dataDir, "dev-encryption-keys")),
    appBaseUrlOverrides: baseUrlOverrides(env, "APP_BASE_URL_OVERRIDES"),
    appHostOverrides: hostOverrides(env, "APP_HOST_OVERRIDES"),
    providerTimeoutMs: int(env, "PROVIDER_TIMEOUT_MS", 10000, 100, 120000),
    oauth: {
      publicUrl: (url(env, "PUBLIC_URL", ["https:", "http:"]) ?? `http://localhost:${int(env, "PORT", 4000, 0, 65535)}`).replace(/\/+$/, ""),
      clients: oauthClients(env, "OAUTH_CLIENTS"),
      returnUrls: (str(env, "OAUTH_RETURN_URLS") ?? "").split(",").map((u) => u.trim()).filter(Boolean),
      stateTtlSec: int(env, "OAUTH_STATE_TTL_SEC", 600, 30, 3600),
      refreshAheadSec: int(env, "TOKEN_REFRESH_AHEAD_SEC", 300, 0, 86400),
      fallbackLifetimeSec: int(env, "TOKEN_FALLBACK_LIFETIME_SEC", 3600, 60, 30 * 86400),
      leaseMs: int(env, "REFRESH_LEASE_MS", 30000, 1000, 600000),
      refresherIntervalMs: int(env, "REFRESHER_INTERVAL_MS", 15000, 0, 3600000),
      refresherConcurrency: int(env, "REFRESHER_CONCURRENCY", 8, 1, 256),
      authFailureThreshold: int(env, "AUTH_FAILURE_THRESHOLD", 3, 1, 100),
    },
    appCatalogExtraFile: str(env, "APP_CATALOG_EXTRA_FILE"),
    metrics: metricsSettings(env),
    tracing: tracingSettings(env),
    webhooks: {
      pollMs: int(env, "WEBHOOK_POLL_MS", 1000, 0, 600_000),
      timeoutMs: int(env, "WEBHOOK_TIMEOUT_MS", 10_000, 100, 60_000),
      leaseMs: int(env, "WEBHOOK_LEASE_MS", 30_000, 1000, 600_000),
      retryBaseMs: int(env, "WEBHOOK_RETRY_BASE_MS", 5000, 10, 3_600_000),
      retryMaxMs: int(env, "WEBHOOK_RETRY_MAX_MS", 6 * 3600_000, 100, 7 * 24 * 3600_000),
      retryWindowMs: int(env, "WEBHOOK_RETRY_WINDOW_MS", 72 * 3600_000, 1000, 30 * 24 * 3600_000),
      concurrency: int(env, "WEBHOOK_CONCURRENCY", 8, 1, 256),
      allowPrivate: bool(env, "WEBHOOK_ALLOW_PRIVATE", !production),
    },
    realtime: {
      redisUrl: url(env, "REDIS_URL", ["redis:", "rediss:"]),
      eventPollMs: int(env, "EVENT_POLL_MS", 1000, 0, 60_000),
      initTimeoutMs: int(env, "WS_INIT_TIMEOUT_MS", 3000, 100, 60000),
      maxMessageBytes: int(env, "WS_MAX_MESSAGE_BYTES", 64 * 1024, 1024, 10_000_000),
      maxSubscriptionsPerConnection: int(env, "WS_MAX_SUBSCRIPTIONS", 20, 1, 1000),
      maxConnectionsPerUser: int(env, "WS_MAX_CONNECTIONS_PER_USER", 20, 1, 10000),
      maxBufferedBytes: int(env, "WS_MAX_BUFFERED_BYTES", 1_000_000, 1024, 1_000_000_000),
      drainTimeoutMs: int(env, "WS_DRAIN_TIMEOUT_MS", 30_000, 100, 600_000),
      tokenRecheckMs: int(env, "WS_TOKEN_RECHECK_MS", 30_000, 100, 3_600_000),
    },
    retention: {
      stepRunDays: int(env, "RETENTION_STEP_RUNS_DAYS", 30, 0, 36500),
      auditDays: int(env, "RETENTION_AUDIT_DAYS", 365, 0, 36500),
      webhookDeliveryDays: int(env, "RETENTION_WEBHOOK_DELIVERIES_DAYS", 30, 0, 36500),
      eventDays: int(env, "EVENT_RETENTION_DAYS", 30, 1, 3650),
      purgeIntervalMs: int(env, "RETENTION_PURGE_INTERVAL_MS", 3_600_000, 0, 86_400_000),
      batchSize: int(env, "RETENTION_BATCH_SIZE", 1000, 1, 100_000),
    },
    deletion: {
      leaseMs: int(env, "DELETION_LEASE_MS", 60_000, 1000, 3_600_000),
      batchSize: int(env, "DELETION_BATCH_SIZE", 500, 1, 100_000),
      revocationConcurrency: int(env, "DELETION_REVOCATION_CONCURRENCY", 8, 1, 64),
      sweepMs: int(env, "DELETION_SWEEP_MS", 60_000, 0, 3_600_000),
      answerWithinMs: int(env, "DELETION_ANSWER_WITHIN_MS", 20_000, 0, 120_000),
    },
    graphql: {
      introspection: bool(env, "GRAPHQL_INTROSPECTION", !production),
      maxDepth: int(env, "GRAPHQL_MAX_DEPTH", 12, 2, 100),
      maxAliases: int(env, "GRAPHQL_MAX_ALIASES", 30, 0, 1000),
      maxCost: int(env, "GRAPHQL_MAX_COST", 5000, 10, 1000000),
      maxTokens: int(env, "GRAPHQL_MAX_TOKENS", 3000, 100, 100_000),
      maxDirectives: int(env, "GRAPHQL_MAX_DIRECTIVES", 5, 1, 100),
      maxBodyBytes: int(env, "GRAPHQL_MAX_BODY_BYTES", 1_000_000, 1024, 50_000_000),
      directExecution: bool(env, "GRAPHQL_DIRECT_EXECUTION", true),
    },
    shutdownGraceMs: int(env, "SHUTDOWN_GRACE_MS", 10000, 0, 600000),
    shutdownDelayMs: int(env, "SHUTDOWN_DELAY_MS", 2000, 0, 600000),
    egressIpRanges: cidrList(env, "EGRESS_IP_RANGES"),
    corsOrigins: originList(env, "CORS_ORIGINS"),
  };

  if (config.providerTimeoutMs >= config.oauth.leaseMs) {
    throw new ConfigError("REFRESH_LEASE_MS", "must be longer than PROVIDER_TIMEOUT_MS (a refresh must end before its lease)");
  }
  for (const returnUrl of config.oauth.returnUrls) {
    if (!/^https?:\/\/[^/]+/.test(returnUrl)) throw new ConfigError("OAUTH_RETURN_URLS", `has a bad URL: ${returnUrl}`);
  }
  if (config.webhooks.timeoutMs >= config.webhooks.leaseMs) {
    throw new ConfigError("WEBHOOK_LEASE_MS", "must be longer than WEBHOOK_TIMEOUT_MS (an attempt must end before its lease)");
  }
  if (config.deletion.leaseMs <= config.providerTimeoutMs) {
    throw new ConfigError("DELETION_LEASE_MS", "must be longer than PROVIDER_TIMEOUT_MS (a revocation must end within the deletion's lease)");
  }
  // A pass every few milliseconds would only compete with requests for the database.
  if (config.retention.purgeIntervalMs > 0 && config.retention.purgeIntervalMs < 1000) {
    throw new ConfigError("RETENTION_PURGE_INTERVAL_MS", `must be 0 (off) or at least 1000, got ${config.retention.purgeIntervalMs}`);
  }
  if (config.metrics.port !== null && config.metrics.port === config.port && config.port !== 0) {
    throw new ConfigError("METRICS_PORT", "must differ from PORT (use METRICS_TOKEN to serve /metrics on the public port)");
  }
  if (production) refuseUnsafeDefaults(config, env);
  return config;
}

// Production must not run on conveniences meant for a laptop.
function refuseUnsafeDefaults(config: Config, env: Env): void {
  if (config.auth.devTokens) throw new ConfigError("DEV_TOKENS", "must be false in production");
  if (config.graphql.introspection) throw new ConfigError("GRAPHQL_INTROSPECTION", "must be false in production");
  if (!config.encryptionKeys) throw new ConfigError("ENCRYPTION_KEYS", "is required in production");
  if (!config.auth.jwksUrl && !config.auth.publicKey) {
    throw new ConfigError("AUTH_JWKS_URL", "(or AUTH_PUBLIC_KEY) is required in production");
  }
  if (!config.auth.issuer) throw new ConfigError("AUTH_ISSUER", "is required in production");
  if (Object.keys(config.appBaseUrlOverrides).length > 0) {
    throw new ConfigError("APP_BASE_URL_OVERRIDES", "is for tests and must be unset in production");
  }
  if (Object.keys(config.appHostOverrides).length > 0) {
    throw new ConfigError("APP_HOST_OVERRIDES", "is for tests and must be unset in production");
  }
  if (config.webhooks.allowPrivate) throw new ConfigError("WEBHOOK_ALLOW_PRIVATE", "must be false in production (webhooks to loopback and private addresses)");
  // What the service trusts or sends people to must not travel in the clear: the keys that sign
  // bearer tokens, the callback providers redirect to, the pages a connect returns to.
  if (config.auth.jwksUrl && !config.auth.jwksUrl.startsWith("https://")) throw new ConfigError("AUTH_JWKS_URL", "must use https in production");
  if (str(env, "PUBLIC_URL") && !config.oauth.publicUrl.startsWith("https://")) throw new ConfigError("PUBLIC_URL", "must use https in production");
  for (const returnUrl of config.oauth.returnUrls) {
    if (!returnUrl.startsWith("https://")) throw new ConfigError("OAUTH_RETURN_URLS", `must use https in production: ${returnUrl}`);
  }
  // Pages allowed to call with their users' tokens are trusted alike: named, and served over https.
  for (const origin of config.corsOrigins) {
    if (origin === "*") throw new ConfigError("CORS_ORIGINS", 'must list exact origins in production, not "*"');
    if (!origin.startsWith("https://")) throw new ConfigError("CORS_ORIGINS", `must use https in production: ${origin}`);
  }
}
