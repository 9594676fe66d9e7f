import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { ViewerDocument } from "../operations/generated";
import { mintDevToken, loadOrCreateDevKey } from "../src/auth/dev-keys";
import { codesOf, dataOf, gql } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { TEST_AUDIENCE, TEST_ISSUER, mintToken, testIssuerKeys } from "./support/tokens";
import { freshSqlitePath } from "./support/test-database";
import path from "node:path";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

const viewerAs = (token: string | undefined, headers: Record<string, string> = {}) =>
  gql(service.url, ViewerDocument, undefined, { token, headers });

describe("bearer JWT authentication over HTTP", () => {
  it("accepts a valid token and shows the caller", async () => {
    const token = await mintToken("alice", { name: "Alice", email: "alice@example.test" });
    const result = await viewerAs(token);
    expect(result.status).toBe(200);
    expect(dataOf(result).viewer).toEqual({ userId: "alice", displayName: "Alice", workspaces: [] });
  });

  it("answers a call without a token with HTTP 401 and RFC 6750's challenge, before looking at the query", async () => {
    for (const query of ["{ viewer { userId } }", "{ not valid", "{ apps { nodes { slug } } }"]) {
      const result = await gql(service.url, query);
      expect(result.status).toBe(401);
      expect(result.headers.get("www-authenticate")).toBe('Bearer realm="connected-accounts"');
      expect(result.errors).toEqual([{ message: expect.stringMatching(/Authentication is required/), extensions: { code: "UNAUTHENTICATED", details: { reason: "MISSING" } } }]);
    }
  });

  const otherKey = generateKeyPair("RS256");
  const claims = { iss: TEST_ISSUER, aud: TEST_AUDIENCE };
  const signed = async (payload: Record<string, unknown>, alg = "RS256") =>
    new SignJWT(payload).setProtectedHeader({ alg }).sign(alg === "HS256" ? new TextEncoder().encode("x".repeat(32)) : (await testIssuerKeys()).privateKey);
  const now = () => Math.floor(Date.now() / 1000);
  // Each way a presented token can be wrong, with the reason the answer gives for it.
  const rejected: Array<[string, string, () => Promise<string>]> = [
    ["expired", "EXPIRED", () => mintToken("alice", { expiresIn: -120 })],
    ["for another audience", "WRONG_AUDIENCE", () => mintToken("alice", { audience: "someone-else" })],
    ["from another issuer", "WRONG_ISSUER", () => mintToken("alice", { issuer: "https://evil.example" })],
    ["not valid yet", "NOT_YET_VALID", () => signed({ ...claims, sub: "alice", nbf: now() + 3600, exp: now() + 7200 })],
    ["without a subject", "MISSING_CLAIM", () => signed({ ...claims, exp: now() + 600 })],
    ["without an expiry", "MISSING_CLAIM", () => signed({ ...claims, sub: "alice" })],
    ["signed by another key", "INVALID_SIGNATURE", async () => mintToken("alice", { key: (await otherKey).privateKey })],
    ["signed with a shared secret (HS256)", "ALGORITHM_NOT_ALLOWED", () => signed({ ...claims, sub: "alice", exp: now() + 600 }, "HS256")],
    ["tampered", "INVALID_SIGNATURE", async () => {
      const [h, , s] = (await mintToken("alice")).split(".");
      const payload = Buffer.from(JSON.stringify({ sub: "mallory", iss: TEST_ISSUER, aud: "connected-accounts", exp: 4102444800 })).toString("base64url");
      return `${h}.${payload}.${s}`;
    }],
    ["unsigned (alg none)", "ALGORITHM_NOT_ALLOWED", async () => {
      const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
      const payload = Buffer.from(JSON.stringify({ sub: "mallory", iss: TEST_ISSUER, aud: "connected-accounts", exp: 4102444800 })).toString("base64url");
      return `${header}.${payload}.sig`;
    }],
    ["three parts of garbage", "MALFORMED", async () => "not.a.jwt"],
    ["one word", "MALFORMED", async () => "abc"],
    ["an API token of the wrong shape", "MALFORMED", async () => "cat_short"],
    ["an API token nobody issued", "UNKNOWN_TOKEN", async () => `cat_AAAAAAAA_${"A".repeat(43)}`],
  ];

  it.each(rejected)("refuses a token that is %s with HTTP 401, reason %s, invalid_token, without echoing it", async (_label, reason, make) => {
    const token = await make();
    const result = await viewerAs(token);
    expect(result.status).toBe(401);
    expect(codesOf(result)).toEqual(["UNAUTHENTICATED"]);
    expect(result.errors?.[0]?.extensions?.details).toEqual({ reason });
    expect(result.headers.get("www-authenticate")).toMatch(/^Bearer realm="connected-accounts", error="invalid_token", error_description="[^"]+"$/);
    expect(result.text).not.toContain(token);
    // The REST endpoint says the same, in its own shape.
    const rest = await fetch(`${service.baseUrl}/v1/accounts/00000000-0000-4000-8000-000000000000`, { headers: { authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(401);
    expect(rest.headers.get("www-authenticate")).toBe(result.headers.get("www-authenticate"));
    expect(await rest.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: result.errors![0]!.message, details: { reason } } });
  });

  it.each([
    ["Basic YWxpY2U6cHc=", "NOT_BEARER", /Bearer scheme/],
    ["Bearer", "MALFORMED", /no token after Bearer/],
    ["Bearer    ", "MALFORMED", /no token after Bearer/],
    ["Bearer abc", "MALFORMED", /neither a JWT .* nor an API token/],
    ["Token abc.def.ghi", "NOT_BEARER", /Bearer scheme/],
  ])("says what is wrong with the Authorization header %j", async (header, reason, message) => {
    const result = await gql(service.url, ViewerDocument, undefined, { headers: { authorization: header } });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]).toEqual({ message: expect.stringMatching(message), extensions: { code: "UNAUTHENTICATED", details: { reason } } });
  });

  it("refuses dev tokens when dev tokens are off", async () => {
    const key = await loadOrCreateDevKey(path.join(path.dirname(freshSqlitePath()), "dev.json"));
    const token = await mintDevToken(key, "connected-accounts", { sub: "dev-user" });
    const result = await viewerAs(token);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.message).toMatch(/Dev tokens are not accepted/);
  });

  it("never writes a token or Authorization header to the log", async () => {
    const token = await mintToken("log-check");
    await viewerAs(token);
    await viewerAs(token + "x");
    await gql(service.url, "{ nope }", undefined, { token });
    expect(service.logs.join("\n")).not.toContain(token.split(".")[2]);
    expect(service.logs.join("\n")).not.toMatch(/Bearer /);
  });
});

describe("dev tokens (embedded default)", () => {
  it("accepts dev tokens signed by the local dev key when dev tokens are on", async () => {
    const devKeyPath = path.join(path.dirname(freshSqlitePath()), "dev-signing-key.json");
    const dev = await startTestService({ DEV_TOKENS: "true", DEV_KEY_PATH: devKeyPath });
    try {
      const token = await mintDevToken(await loadOrCreateDevKey(devKeyPath), "connected-accounts", { sub: "dev-user", name: "Dev" });
      expect(dataOf(await gql(dev.url, ViewerDocument, undefined, { token })).viewer.userId).toBe("dev-user");
      // Tokens from the real issuer still work beside them.
      expect(dataOf(await dev.call("alice", ViewerDocument)).viewer.userId).toBe("alice");
    } finally {
      await dev.close();
    }
  });
});

describe("JWKS URL", () => {
  let jwksServer: Server;
  let jwksUrl: string;
  const pair = generateKeyPair("ES256");

  beforeAll(async () => {
    const jwk = { ...(await exportJWK((await pair).publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    jwksServer = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

  it("verifies tokens against keys fetched from the JWKS URL, and refuses unknown keys", async () => {
    const jwks = await startTestService({ AUTH_PUBLIC_KEY: "", AUTH_JWKS_URL: jwksUrl });
    try {
      const good = await mintToken("jwks-user", { key: (await pair).privateKey, alg: "ES256", kid: "k1" });
      expect(dataOf(await gql(jwks.url, ViewerDocument, undefined, { token: good })).viewer.userId).toBe("jwks-user");
      const unknown = await mintToken("jwks-user", { key: (await generateKeyPair("ES256")).privateKey, alg: "ES256", kid: "k2" });
      const result = await gql(jwks.url, ViewerDocument, undefined, { token: unknown });
      expect(result.status).toBe(401);
      expect(codesOf(result)).toEqual(["UNAUTHENTICATED"]);
      expect(result.errors?.[0]?.extensions?.details).toEqual({ reason: "UNKNOWN_KEY" });
    } finally {
      await jwks.close();
    }
  });

  it("answers 503 SERVICE_UNAVAILABLE, not 401, when the issuer's keys cannot be fetched (the token may be fine)", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks.json`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const jwks = await startTestService({ AUTH_PUBLIC_KEY: "", AUTH_JWKS_URL: deadUrl });
    try {
      const token = await mintToken("jwks-user", { key: (await pair).privateKey, alg: "ES256", kid: "k1" });
      const result = await gql(jwks.url, ViewerDocument, undefined, { token });
      expect(result.status).toBe(503);
      expect(codesOf(result)).toEqual(["SERVICE_UNAVAILABLE"]);
      expect(result.headers.get("www-authenticate")).toBeNull();
    } finally {
      await jwks.close();
    }
  });
});
