import { spawnSync } from "node:child_process";
import path from "node:path";
import { ConfigError, loadConfig } from "../src/config";

const PRODUCTION_OK = {
  NODE_ENV: "production",
  ENCRYPTION_KEYS: "k1:" + Buffer.alloc(32, 1).toString("base64"),
  AUTH_JWKS_URL: "https://issuer.example/.well-known/jwks.json",
  AUTH_ISSUER: "https://issuer.example",
  DEV_TOKENS: "false",
  GRAPHQL_INTROSPECTION: "false",
};

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("defaults to the embedded SQLite database under data/ with dev tokens on", () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe("sqlite");
    expect(config.database).toMatchObject({ path: path.resolve("data/connected-accounts.sqlite") });
    expect(config.auth.devTokens).toBe(true);
    expect(config.graphql.introspection).toBe(true);
    expect(config.port).toBe(4000);
  });

  it("uses MariaDB when DATABASE_URL is set", () => {
    const config = loadConfig({ DATABASE_URL: "mysql://root@127.0.0.1:3306/test", DB_POOL_SIZE: "7" });
    expect(config.database).toMatchObject({ kind: "mariadb", url: "mysql://root@127.0.0.1:3306/test", poolSize: 7 });
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DB_QUERY_TIMEOUT_MS: "-1" }, "DB_QUERY_TIMEOUT_MS"],
    [{ DATABASE_URL: "postgres://localhost/x" }, "DATABASE_URL"],
    [{ DATABASE_URL: "::not a url::" }, "DATABASE_URL"],
    [{ DEV_TOKENS: "maybe" }, "DEV_TOKENS"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ AUTH_JWKS_URL: "ftp://x" }, "AUTH_JWKS_URL"],
    [{ AUTH_PUBLIC_KEY: "not a pem" }, "AUTH_PUBLIC_KEY"],
  ])("names the variable of a bad value: %j", (env, variable) => {
    const error = errorOf(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it("keeps step runs 30 days, the audit trail a year, webhook deliveries and events 30 days, and purges hourly in batches of 1000", () => {
    expect(loadConfig({}).retention).toEqual({ stepRunDays: 30, auditDays: 365, webhookDeliveryDays: 30, eventDays: 30, purgeIntervalMs: 3_600_000, batchSize: 1000 });
    const set = loadConfig({
      RETENTION_STEP_RUNS_DAYS: "0",
      RETENTION_AUDIT_DAYS: "2555",
      RETENTION_WEBHOOK_DELIVERIES_DAYS: "7",
      EVENT_RETENTION_DAYS: "90",
      RETENTION_PURGE_INTERVAL_MS: "0",
      RETENTION_BATCH_SIZE: "250",
    });
    expect(set.retention).toEqual({ stepRunDays: 0, auditDays: 2555, webhookDeliveryDays: 7, eventDays: 90, purgeIntervalMs: 0, batchSize: 250 });
  });

  it.each([
    [{ RETENTION_STEP_RUNS_DAYS: "-1" }, "RETENTION_STEP_RUNS_DAYS", /whole number/],
    [{ RETENTION_STEP_RUNS_DAYS: "thirty" }, "RETENTION_STEP_RUNS_DAYS", /whole number/],
    [{ RETENTION_AUDIT_DAYS: "1.5" }, "RETENTION_AUDIT_DAYS", /whole number/],
    [{ RETENTION_AUDIT_DAYS: "99999" }, "RETENTION_AUDIT_DAYS", /between 0 and 36500/],
    [{ RETENTION_WEBHOOK_DELIVERIES_DAYS: "30d" }, "RETENTION_WEBHOOK_DELIVERIES_DAYS", /whole number/],
    [{ EVENT_RETENTION_DAYS: "0" }, "EVENT_RETENTION_DAYS", /between 1 and 3650/],
    [{ RETENTION_PURGE_INTERVAL_MS: "500" }, "RETENTION_PURGE_INTERVAL_MS", /0 \(off\) or at least 1000/],
    [{ RETENTION_PURGE_INTERVAL_MS: "100000000" }, "RETENTION_PURGE_INTERVAL_MS", /between 0 and 86400000/],
    [{ RETENTION_BATCH_SIZE: "0" }, "RETENTION_BATCH_SIZE", /between 1 and 100000/],
  ])("refuses a bad retention setting: %j", (env, variable, problem) => {
    const error = errorOf(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(problem);
  });

  it("accepts a safe production configuration", () => {
    const config = loadConfig(PRODUCTION_OK);
    expect(config.production).toBe(true);
    expect(config.auth.devTokens).toBe(false);
  });

  it.each([
    ["DEV_TOKENS", { DEV_TOKENS: "true" }],
    ["GRAPHQL_INTROSPECTION", { GRAPHQL_INTROSPECTION: "true" }],
    ["ENCRYPTION_KEYS", { ENCRYPTION_KEYS: "" }],
    ["AUTH_JWKS_URL", { AUTH_JWKS_URL: "" }],
    ["AUTH_ISSUER", { AUTH_ISSUER: "" }],
  ])("refuses the unsafe default %s in production", (variable, override) => {
    expect(errorOf({ ...PRODUCTION_OK, ...override }).variable).toBe(variable);
  });

  it.each(["Production", "PRODUCTION", " production ", "pRoDuCtIoN"])("reads NODE_ENV=%j as production, in any case", (value) => {
    expect(loadConfig({ ...PRODUCTION_OK, NODE_ENV: value }).production).toBe(true);
    // ...and so refuses what production refuses, instead of starting in development mode.
    expect(errorOf({ ...PRODUCTION_OK, NODE_ENV: value, DEV_TOKENS: "true" }).variable).toBe("DEV_TOKENS");
    expect(errorOf({ NODE_ENV: value }).variable).toBe("ENCRYPTION_KEYS");
  });

  it.each(["prod", "staging", "live", "productio"])("refuses an unknown NODE_ENV %j rather than guess", (value) => {
    const error = errorOf({ ...PRODUCTION_OK, NODE_ENV: value });
    expect(error.variable).toBe("NODE_ENV");
    expect(error.message).toMatch(/production, development or test/);
  });

  it.each(["development", "Development", "test", "TEST", ""])("runs NODE_ENV=%j outside production", (value) => {
    expect(loadConfig({ NODE_ENV: value }).production).toBe(false);
  });

  it.each([
    ["AUTH_JWKS_URL", { AUTH_JWKS_URL: "http://issuer.example/.well-known/jwks.json" }],
    ["PUBLIC_URL", { PUBLIC_URL: "http://accounts.example.com" }],
    ["OAUTH_RETURN_URLS", { OAUTH_RETURN_URLS: "https://app.example.com/done,http://app.example.com/done" }],
  ])("refuses a plain-http %s in production", (variable, override) => {
    const error = errorOf({ ...PRODUCTION_OK, ...override });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(/https/);
    // The same values are fine outside production (a laptop, a test).
    expect(() => loadConfig({ ...PRODUCTION_OK, ...override, NODE_ENV: "development", DEV_TOKENS: "false" })).not.toThrow();
  });

  it("treats CA_PRODUCTION=true like NODE_ENV=production", () => {
    // Production defaults are already safe (dev tokens and introspection off); what is missing is refused.
    expect(errorOf({ CA_PRODUCTION: "true" }).variable).toBe("ENCRYPTION_KEYS");
    expect(errorOf({ ...PRODUCTION_OK, NODE_ENV: "", CA_PRODUCTION: "true", DEV_TOKENS: "true" }).variable).toBe("DEV_TOKENS");
  });

  it("stops the service at start with a message naming the variable", () => {
    const result = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(__dirname, "..", "src", "main.ts")],
      { env: { PATH: process.env.PATH, PORT: "not-a-port" }, encoding: "utf8", timeout: 60_000 },
    );
    expect(result.status).toBe(78);
    expect(result.stderr).toContain("Invalid configuration: PORT");
  });
});
