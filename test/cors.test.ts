/**
 * CORS for browser callers (docs/api/calling.md, "From a browser"): preflights of `/graphql` and
 * `/v1/*` answered for the origins of CORS_ORIGINS only, every answer to them (errors included)
 * carrying the CORS headers, CSRF prevention unchanged, and WebSocket handshakes from other
 * origins refused. Over real HTTP and WebSocket.
 */
import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { ConfigError, loadConfig } from "../src/config";
import { AccountSecretEntity } from "../src/modules/accounts/account-secret.entity";
import { buildAccount, buildTeam } from "./support/factories";
import { startTestService, type TestService } from "./support/test-service";

const APP = "https://app.example.com";
const DEV = "http://localhost:5173";
const EVIL = "https://evil.example";

let service: TestService;
let closed: TestService;
beforeAll(async () => {
  service = await startTestService({ CORS_ORIGINS: `${APP}/, ${DEV}`, ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}` });
  closed = await startTestService();
});
afterAll(async () => {
  await service?.close();
  await closed?.close();
});

const preflight = (target: TestService, path: string, origin: string, method = "POST") =>
  fetch(`${target.baseUrl}${path}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": "authorization,content-type" },
  });

const post = (target: TestService, body: string, headers: Record<string, string>) =>
  fetch(target.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

const VIEWER = JSON.stringify({ query: "{ viewer { userId } }" });

/** The CORS headers of an answer (all that start with access-control-). */
const corsHeadersOf = (response: Response) => [...response.headers.keys()].filter((name) => name.startsWith("access-control-"));

function expectAllowed(response: Response, origin: string): void {
  expect(response.headers.get("access-control-allow-origin")).toBe(origin);
  expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
  expect(response.headers.get("access-control-expose-headers")).toMatch(/www-authenticate/i);
  expect(response.headers.get("access-control-allow-credentials")).toBeNull();
}

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const PRODUCTION = {
  NODE_ENV: "production",
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}`,
  AUTH_JWKS_URL: "https://issuer.example/.well-known/jwks.json",
  AUTH_ISSUER: "https://issuer.example",
  DEV_TOKENS: "false",
  GRAPHQL_INTROSPECTION: "false",
};

describe("CORS_ORIGINS", () => {
  it("takes exact origins, as browsers send them, and nothing else", () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: "https://App.Example.com/, http://localhost:5173" }).corsOrigins).toEqual([APP, DEV]);
    expect(loadConfig({ CORS_ORIGINS: "*" }).corsOrigins).toEqual(["*"]);
    for (const bad of ["https://app.example.com/connect", "https://app.example.com?x=1", "https://*.example.com", "null", "app.example.com", "ftp://files.example", `*,${APP}`]) {
      const error = configError({ CORS_ORIGINS: bad });
      expect(error.variable).toBe("CORS_ORIGINS");
      expect(error.message).toContain("CORS_ORIGINS");
    }
  });

  it('refuses "*" and plain-http origins in production', () => {
    expect(loadConfig({ ...PRODUCTION, CORS_ORIGINS: APP }).corsOrigins).toEqual([APP]);
    expect(configError({ ...PRODUCTION, CORS_ORIGINS: "*" }).message).toMatch(/CORS_ORIGINS must list exact origins in production/);
    expect(configError({ ...PRODUCTION, CORS_ORIGINS: `${APP},http://app.example.com` }).message).toMatch(/CORS_ORIGINS must use https/);
  });
});

describe("CORS preflights", () => {
  it("answers an allowed origin's preflight of /graphql with 204, before any token is asked for", async () => {
    const response = await preflight(service, "/graphql", APP);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    const allowed = response.headers.get("access-control-allow-headers")!.split(/,\s*/);
    for (const header of ["authorization", "content-type", "apollo-require-preflight", "x-apollo-operation-name", "apollographql-client-name", "x-request-id"]) {
      expect(allowed).toContain(header);
    }
    expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("www-authenticate")).toBeNull();
    expect(await response.text()).toBe("");
  });

  it("answers /v1/* preflights with the methods REST takes", async () => {
    const response = await preflight(service, "/v1/accounts/00000000-0000-4000-8000-000000000000", DEV, "GET");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(DEV);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, OPTIONS");
  });

  it("refuses a preflight from another origin with 403 and no CORS headers", async () => {
    for (const path of ["/graphql", "/v1/accounts/x"]) {
      const response = await preflight(service, path, EVIL);
      expect(response.status).toBe(403);
      expect(corsHeadersOf(response)).toEqual([]);
      expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
      const body = (await response.json()) as { errors?: Array<{ extensions: { code: string } }>; error?: { code: string } };
      expect(body.errors?.[0]?.extensions.code ?? body.error?.code).toBe("FORBIDDEN");
    }
    // Nearly allowed is not allowed: the match is exact.
    expect((await preflight(service, "/graphql", `${APP}:8443`)).status).toBe(403);
    expect((await preflight(service, "/graphql", "http://app.example.com")).status).toBe(403);
  });

  it("refuses every preflight when CORS_ORIGINS is unset", async () => {
    const response = await preflight(closed, "/graphql", APP);
    expect(response.status).toBe(403);
    expect(corsHeadersOf(response)).toEqual([]);
  });

  it("leaves other paths alone", async () => {
    const health = await fetch(`${service.baseUrl}/healthz`, { headers: { origin: APP } });
    expect(health.status).toBe(200);
    expect(corsHeadersOf(health)).toEqual([]);
    expect(health.headers.get("vary")).toBeNull();
  });
});

describe("CORS on answers", () => {
  it("puts the allowed origin on a success, and not on another origin's or a server's request", async () => {
    const token = await service.token("cors-reader");
    const ok = await post(service, VIEWER, { origin: APP, authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expectAllowed(ok, APP);
    expect(await ok.json()).toEqual({ data: { viewer: { userId: "cors-reader" } } });

    // CORS decides what a browser lets a page read, not what the service does: answered, unlabelled.
    const other = await post(service, VIEWER, { origin: EVIL, authorization: `Bearer ${token}` });
    expect(other.status).toBe(200);
    expect(corsHeadersOf(other)).toEqual([]);
    expect(other.headers.get("vary")).toMatch(/\bOrigin\b/);

    const server = await post(service, VIEWER, { authorization: `Bearer ${token}` });
    expect(server.status).toBe(200);
    expect(corsHeadersOf(server)).toEqual([]);
    expect(server.headers.get("vary")).toMatch(/\bOrigin\b/);

    const unset = await post(closed, VIEWER, { origin: APP, authorization: `Bearer ${await closed.token("cors-reader")}` });
    expect(unset.status).toBe(200);
    expect(corsHeadersOf(unset)).toEqual([]);
  });

  it("puts it on errors too: 401 with its readable challenge, 413, and Apollo's answers", async () => {
    const anonymous = await post(service, VIEWER, { origin: APP });
    expect(anonymous.status).toBe(401);
    expectAllowed(anonymous, APP);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);

    const refused = await post(service, VIEWER, { origin: APP, authorization: "Bearer not-a-token" });
    expect(refused.status).toBe(401);
    expectAllowed(refused, APP);
    expect(refused.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);

    const token = await service.token("cors-big");
    const big = await post(service, JSON.stringify({ query: "{ viewer { userId } }", padding: "x".repeat(1_100_000) }), { origin: APP, authorization: `Bearer ${token}` });
    expect(big.status).toBe(413);
    expectAllowed(big, APP);

    // Apollo's own answer (a validation error) keeps them as well.
    const invalid = await post(service, JSON.stringify({ query: "{ noSuchField }" }), { origin: APP, authorization: `Bearer ${token}` });
    expect(invalid.status).toBe(400);
    expectAllowed(invalid, APP);
  });

  it("puts it on REST answers and their one error shape: 200, 404 and 500", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const headers = { origin: APP, authorization: `Bearer ${await service.token(team.owner.userId)}` };

    const ok = await fetch(`${service.baseUrl}/v1/accounts/${account.id}`, { headers });
    expect(ok.status).toBe(200);
    expectAllowed(ok, APP);

    const missing = await fetch(`${service.baseUrl}/v1/no-such-endpoint`, { headers });
    expect(missing.status).toBe(404);
    expectAllowed(missing, APP);
    expect(await missing.json()).toMatchObject({ error: { code: "NOT_FOUND" } });

    // A credential that no longer opens: 500 CREDENTIALS_UNREADABLE.
    const secrets = service.dataSource.getRepository(AccountSecretEntity);
    const { envelope } = await secrets.findOneByOrFail({ accountId: account.id, field: "api_key" });
    const parts = envelope.split(".");
    const ct = Buffer.from(parts[3]!, "base64url");
    ct[0] = ct[0]! ^ 1;
    await secrets.update({ accountId: account.id, field: "api_key" }, { envelope: [...parts.slice(0, 3), ct.toString("base64url"), parts[4]].join(".") });
    const broken = await fetch(`${service.baseUrl}/v1/accounts/${account.id}?include_credentials=1`, { headers });
    expect(broken.status).toBe(500);
    expectAllowed(broken, APP);
    expect(await broken.json()).toMatchObject({ error: { code: "CREDENTIALS_UNREADABLE" } });
  });
});

describe("CSRF prevention with CORS", () => {
  it("still refuses a GET without a preflight-forcing header and a simple POST, allowed origin or not", async () => {
    const token = await service.token("cors-csrf");
    const url = `${service.url}?query=${encodeURIComponent("{ viewer { userId } }")}`;
    for (const origin of [APP, EVIL]) {
      const get = await fetch(url, { headers: { origin, authorization: `Bearer ${token}` } });
      expect(get.status).toBe(400);
      expect(await get.text()).toMatch(/CSRF/i);
      const simple = await fetch(service.url, { method: "POST", headers: { origin, authorization: `Bearer ${token}`, "content-type": "text/plain" }, body: VIEWER });
      expect(simple.status).toBe(400);
      expect(await simple.text()).toMatch(/CSRF/i);
    }
    const allowed = await fetch(url, { headers: { origin: APP, authorization: `Bearer ${token}`, "apollo-require-preflight": "true" } });
    expect(allowed.status).toBe(200);
    expectAllowed(allowed, APP);
  });
});

/** Opens a graphql-ws connection with `origin` (none when undefined): "ack", or the HTTP status that refused it. */
async function handshake(target: TestService, origin: string | undefined): Promise<"ack" | number> {
  const token = await target.token("cors-socket");
  const socket = new WebSocket(target.url.replace(/^http/, "ws"), "graphql-transport-ws", origin ? { origin } : {});
  try {
    return await new Promise<"ack" | number>((resolve, reject) => {
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } })));
      socket.on("message", (data: Buffer) => {
        if ((JSON.parse(data.toString()) as { type: string }).type === "connection_ack") resolve("ack");
      });
      socket.on("close", (code) => reject(new Error(`closed with ${code}`)));
      socket.on("error", () => undefined);
    });
  } finally {
    socket.terminate();
  }
}

describe("WebSocket handshakes", () => {
  it("refuses a page from an origin not in CORS_ORIGINS, and lets allowed pages and non-browser clients in", async () => {
    expect(await handshake(service, EVIL)).toBe(403);
    expect(await handshake(service, APP)).toBe("ack");
    expect(await handshake(service, undefined)).toBe("ack");
  });

  it("checks no origin while CORS_ORIGINS is unset", async () => {
    expect(await handshake(closed, EVIL)).toBe("ack");
  });
});
