import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import { ViewerDocument } from "../operations/generated";
import { mintDevToken, loadOrCreateDevKey } from "../src/auth/dev-keys";
import { codesOf, dataOf, gql } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { TEST_ISSUER, mintToken } from "./support/tokens";
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

  it("answers UNAUTHENTICATED to a call without a token", async () => {
    const result = await viewerAs(undefined);
    expect(codesOf(result)).toEqual(["UNAUTHENTICATED"]);
    expect(result.data).toBeNull();
  });

  const otherKey = generateKeyPair("RS256");
  const rejected: Array<[string, () => Promise<string>]> = [
    ["expired", () => mintToken("alice", { expiresIn: -120 })],
    ["wrong audience", () => mintToken("alice", { audience: "someone-else" })],
    ["wrong issuer", () => mintToken("alice", { issuer: "https://evil.example" })],
    ["signed by another key", async () => mintToken("alice", { key: (await otherKey).privateKey })],
    ["tampered payload", async () => {
      const [h, , s] = (await mintToken("alice")).split(".");
      const payload = Buffer.from(JSON.stringify({ sub: "mallory", iss: TEST_ISSUER, aud: "connected-accounts", exp: 4102444800 })).toString("base64url");
      return `${h}.${payload}.${s}`;
    }],
    ["unsigned (alg none)", async () => {
      const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
      const payload = Buffer.from(JSON.stringify({ sub: "mallory", iss: TEST_ISSUER, aud: "connected-accounts", exp: 4102444800 })).toString("base64url");
      return `${header}.${payload}.sig`;
    }],
    ["garbage", async () => "not.a.jwt"],
  ];

  it.each(rejected)("refuses a token that is %s with HTTP 401 UNAUTHENTICATED, without echoing it", async (_label, make) => {
    const token = await make();
    const result = await viewerAs(token);
    expect(result.status).toBe(401);
    expect(codesOf(result)).toEqual(["UNAUTHENTICATED"]);
    expect(result.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(result.text).not.toContain(token);
  });

  it("refuses an Authorization header that is not a Bearer token", async () => {
    const result = await gql(service.url, ViewerDocument, undefined, { headers: { authorization: "Basic YWxpY2U6cHc=" } });
    expect(result.status).toBe(401);
    expect(codesOf(result)).toEqual(["UNAUTHENTICATED"]);
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
    } finally {
      await jwks.close();
    }
  });
});
