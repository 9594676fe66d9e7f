/**
 * A WebSocket connection lives no longer than the credentials it was opened with (SPEC §5): it is
 * closed with 4401 when its JWT expires, when its API token is revoked (on this instance or
 * another), and, should the revocation notice be lost, at the next re-check. And every error a
 * subscription gets carries its code, as over HTTP.
 */
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { ShareAccountDocument } from "../operations/generated";
import { buildAccount, buildTeam } from "./support/factories";
import { dataOf, gql } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { mintToken } from "./support/tokens";
import { ACCOUNT_EVENTS, Subscriber, settle } from "./support/ws-client";

let a: TestService;
let b: TestService;
const subscribers: Subscriber[] = [];
const open = (service: TestService, token: string, workspaceId: string) => {
  const subscriber = new Subscriber(service.url, token).subscribe(ACCOUNT_EVENTS, { workspaceId });
  subscribers.push(subscriber);
  return subscriber;
};

beforeAll(async () => {
  // No clock tolerance, so a token's end is its exp; Redis between the two instances; and a
  // re-check interval short enough to see within a test.
  const env = { AUTH_CLOCK_TOLERANCE_SEC: "0", REDIS_URL: "redis://127.0.0.1:6379", WS_TOKEN_RECHECK_MS: "60000" };
  a = await startTestService(env);
  const shared: Record<string, string> = a.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(a.dataSource.options.database) } : {};
  b = await startTestService({ ...env, ...shared });
}, 30_000);
afterAll(async () => {
  for (const s of subscribers) await s.close();
  await a?.close();
  await b?.close();
});

async function createToken(service: TestService, user: string, workspaceId: string, expiresInDays?: number): Promise<{ id: string; token: string }> {
  const result = await service.call<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    user,
    `mutation ($ws: ID!, $days: Int) { createApiToken(input: { workspaceId: $ws, name: "ws", scope: READ_ONLY, expiresInDays: $days }) { token apiToken { id } } }`,
    { ws: workspaceId, days: expiresInDays ?? null },
  );
  const created = dataOf(result).createApiToken;
  return { id: created.apiToken.id, token: created.token };
}

describe("connections end with their credentials", () => {
  it("closes a connection with 4401 'Token expired' when its JWT expires, and it received events until then", async () => {
    const team = await buildTeam(a);
    const account = await buildAccount(a, { workspaceId: team.workspace.id, owner: team.owner, grants: [WORKSPACE_GRANTEE] });
    const subscriber = open(a, await mintToken(team.member.userId, { expiresIn: 3 }), team.workspace.id);
    await settle(300);
    dataOf(await a.call(team.owner.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
    await subscriber.waitFor((s) => s.events.length === 1);
    expect(subscriber.closed).toBeNull();
    await subscriber.waitFor((s) => s.closed !== null, 6000);
    expect(subscriber.closed).toEqual({ code: 4401, reason: "Token expired" });
  });

  it("closes at once the connections of an API token revoked on another instance (through Redis)", async () => {
    const team = await buildTeam(a);
    const token = await createToken(a, team.member.userId, team.workspace.id);
    const onA = open(a, token.token, team.workspace.id);
    const onB = open(b, token.token, team.workspace.id);
    const sameUserJwt = open(b, await b.token(team.member.userId), team.workspace.id);
    await settle(300);
    expect([onA.closed, onB.closed]).toEqual([null, null]);
    dataOf(await a.call(team.member.userId, `mutation ($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: token.id }));
    await onA.waitFor((s) => s.closed !== null, 2000);
    await onB.waitFor((s) => s.closed !== null, 2000);
    expect(onA.closed).toEqual({ code: 4401, reason: "Token revoked" });
    expect(onB.closed).toEqual({ code: 4401, reason: "Token revoked" });
    // The same user's session is untouched.
    await settle(200);
    expect(sameUserJwt.closed).toBeNull();
  });

  it("refuses a connection opened with an expired or revoked token with 4403 and says why", async () => {
    const team = await buildTeam(a);
    const expired = open(a, await mintToken(team.member.userId, { expiresIn: -60 }), team.workspace.id);
    await expired.waitFor((s) => s.closed !== null);
    expect(expired.closed).toEqual({ code: 4403, reason: "The token has expired." });
    const token = await createToken(a, team.member.userId, team.workspace.id);
    dataOf(await a.call(team.member.userId, `mutation ($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: token.id }));
    const revoked = open(a, token.token, team.workspace.id);
    await revoked.waitFor((s) => s.closed !== null);
    expect(revoked.closed).toEqual({ code: 4403, reason: "The API token has been revoked." });
  });
});

describe("a lost revocation notice is made up by the re-check", () => {
  let c: TestService;
  let d: TestService;
  beforeAll(async () => {
    // No Redis: the two instances never hear of each other's revocations.
    const env = { WS_TOKEN_RECHECK_MS: "300" };
    c = await startTestService(env);
    const shared: Record<string, string> = c.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(c.dataSource.options.database) } : {};
    d = await startTestService({ ...env, ...shared });
  });
  afterAll(async () => {
    await c?.close();
    await d?.close();
  });

  it("closes the connection on the instance that missed the notice within the re-check interval, and for a member who left", async () => {
    const team = await buildTeam(c);
    const token = await createToken(c, team.member.userId, team.workspace.id);
    const onD = open(d, token.token, team.workspace.id);
    await settle(500);
    expect(onD.closed).toBeNull();
    dataOf(await c.call(team.member.userId, `mutation ($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: token.id }));
    await onD.waitFor((s) => s.closed !== null, 3000);
    expect(onD.closed).toEqual({ code: 4401, reason: "Token no longer accepted" });

    const admin = await createToken(c, team.admin.userId, team.workspace.id);
    const adminOnD = open(d, admin.token, team.workspace.id);
    await settle(500);
    expect(adminOnD.closed).toBeNull();
    dataOf(await c.call(team.owner.userId, `mutation ($id: ID!) { removeMember(input: { memberId: $id }) { memberId } }`, { id: team.admin.id }));
    await adminOnD.waitFor((s) => s.closed !== null, 3000);
    expect(adminOnD.closed).toEqual({ code: 4401, reason: "Token no longer accepted" });
  });
});

describe("errors over graphql-ws carry their codes", () => {
  const ask = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const subscriber = new Subscriber(a.url, token).subscribe(query, variables);
    subscribers.push(subscriber);
    await subscriber.waitFor((s) => s.errors.length > 0);
    await subscriber.close();
    // graphql-ws hands an `error` message's errors to the sink as one array.
    return subscriber.errors.flat() as Array<{ message: string; extensions?: { code?: string } }>;
  };

  it("gives NOT_FOUND from a subscription's resolver, BAD_USER_INPUT for bad variables, and a code on every validation error", async () => {
    const token = await mintToken("ws-codes");
    const notFound = await ask(token, ACCOUNT_EVENTS, { workspaceId: "00000000-0000-4000-8000-000000000000" });
    expect(notFound.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
    expect(notFound[0]!.message).toBe("Workspace not found.");
    const badVariable = await ask(token, ACCOUNT_EVENTS, { workspaceId: 5, kinds: ["NOPE"] });
    expect(badVariable.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(badVariable[0]!.message).toMatch(/Variable "\$kinds"/);
    expect((await ask(token, "subscription { nope }")).map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect((await ask(token, "subscription {")).map((e) => e.extensions?.code)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    const query = await ask(token, '{ workspace(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(query.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
  });

  it("answers a query over the socket as over HTTP", async () => {
    const token = await mintToken("ws-codes");
    const http = await gql(a.url, '{ workspace(id: "00000000-0000-4000-8000-000000000000") { id } }', undefined, { token });
    const ws = await ask(token, '{ workspace(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(ws.map((e) => ({ message: e.message, code: e.extensions?.code }))).toEqual(http.errors!.map((e) => ({ message: e.message, code: e.extensions?.code })));
  });
});

describe("errors over graphql-ws in production", () => {
  let production: TestService;
  beforeAll(async () => {
    production = await startTestService({
      NODE_ENV: "production",
      ENCRYPTION_KEYS: "k1:" + Buffer.alloc(32, 7).toString("base64"),
      GRAPHQL_INTROSPECTION: "false",
      GRAPHQL_MAX_DEPTH: "6",
    });
  });
  afterAll(async () => {
    await production?.close();
  });

  it("keeps the limit's QUERY_TOO_COMPLEX, a validation error's code and message without hints, and NOT_FOUND", async () => {
    const token = await mintToken("ws-production");
    const ask = async (query: string, variables: Record<string, unknown> = {}) => {
      const subscriber = new Subscriber(production.url, token).subscribe(query, variables);
      subscribers.push(subscriber);
      await subscriber.waitFor((s) => s.errors.length > 0);
      await subscriber.close();
      return subscriber.errors.flat() as Array<{ message: string; extensions?: { code?: string } }>;
    };
    const deep = await ask("{ viewer { workspaces { members { workspace { members { workspace { members { id } } } } } } } }");
    expect(deep.map((e) => e.extensions?.code)).toEqual(["QUERY_TOO_COMPLEX"]);
    const misspelled = await ask('{ workspac(id: "x") { id } }');
    expect(misspelled.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(misspelled[0]!.message).not.toMatch(/Did you mean/);
    const introspection = await ask("{ __schema { types { name } } }");
    expect(introspection.length).toBeGreaterThan(0);
    expect(new Set(introspection.map((e) => e.extensions?.code))).toEqual(new Set(["GRAPHQL_VALIDATION_FAILED"]));
    const missing = await ask(ACCOUNT_EVENTS, { workspaceId: "00000000-0000-4000-8000-000000000000" });
    expect(missing.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
  });
});
