/**
 * Behind a router (docs/api/routers.md): `@apollo/gateway` composes this subgraph with a second
 * one ("insights", which extends Account and Workspace and returns Account references), from the
 * committed schema/subgraph.graphql as production routers do, and by introspecting `_service`
 * with a token. Queries span both subgraphs with the caller's token forwarded to each, what a
 * member may not see stays NOT_FOUND, codes and details pass through, anonymous callers are
 * refused, and subscriptions (which the gateway cannot carry) go to the subgraph's socket the way
 * Apollo Router's passthrough opens it.
 */
import { buildAccount, buildTeam } from "./support/factories";
import { committedSubgraphSdl, startGateway, type Gateway, type SubgraphEndpoint } from "./support/gateway";
import { gql, type GraphQLResult } from "./support/graphql-client";
import { INSIGHTS_SDL, startInsightsSubgraph, type InsightsSubgraph } from "./support/insights-subgraph";
import { startTestService, type TestService } from "./support/test-service";
import { ACCOUNT_EVENTS, Subscriber, settle } from "./support/ws-client";

let service: TestService;
let insights: InsightsSubgraph;
let viaSdl: Gateway;
let viaIntrospection: Gateway;

const subgraphs = (): SubgraphEndpoint[] => [
  { name: "connected-accounts", url: service.url, typeDefs: committedSubgraphSdl() },
  { name: "insights", url: insights.url, typeDefs: INSIGHTS_SDL },
];

beforeAll(async () => {
  service = await startTestService();
  insights = await startInsightsSubgraph();
  viaSdl = await startGateway(subgraphs(), { compose: "sdl" });
  // Any valid token may read `_service` (it is the same for every caller): here, the router's own.
  viaIntrospection = await startGateway(subgraphs(), { compose: "introspect", introspectionToken: await service.token("router") });
}, 60_000);
afterAll(async () => {
  await viaSdl?.close();
  await viaIntrospection?.close();
  await insights?.close();
  await service?.close();
});

/** A team with an account shared with the workspace and a private one of the owner, both with usage at insights. */
async function buildWorld() {
  const team = await buildTeam(service);
  const shared = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, nickname: "Team mailer", grants: ["workspace"] });
  const hidden = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, nickname: "Owner's private mailer" });
  insights.recordUsage(team.workspace.id, hidden.id, 9);
  insights.recordUsage(team.workspace.id, shared.id, 5);
  return { team, shared, hidden };
}

const SPANNING = `query ($ws: ID!) {
  workspace(id: $ws) { name viewerRole monthlyRequests }
  busiestAccounts(workspaceId: $ws) { requests account { id nickname usageCount owner { userId } } }
}`;

type Spanning = {
  workspace: { name: string; viewerRole: string; monthlyRequests: number };
  busiestAccounts: Array<{ requests: number; account: { id: string; nickname: string; usageCount: number; owner: { userId: string } } | null }>;
};

type GatewayError = { message: string; path?: Array<string | number>; extensions?: Record<string, unknown> & { code?: string; details?: Record<string, unknown>; response?: { status: number; body: { errors: Array<{ extensions: { code: string; details?: Record<string, unknown> } }> } } } };
const errorsOf = (result: GraphQLResult<unknown>) => (result.errors ?? []) as GatewayError[];

describe("composition", () => {
  it("composes the committed SDL with a subgraph that extends Account and Workspace; introspecting _service with a token gives the same supergraph", () => {
    expect(viaSdl.supergraphSdl).toMatch(/type Account[^{]*\{[^}]*usageCount: Int!/s);
    expect(viaSdl.supergraphSdl).toMatch(/type Workspace[^{]*\{[^}]*monthlyRequests: Int!/s);
    expect(viaSdl.supergraphSdl).toMatch(/type Subscription/);
    expect(viaIntrospection.supergraphSdl).toBe(viaSdl.supergraphSdl);
  });

  it("cannot introspect without a token: _service requires a caller like every field", async () => {
    await expect(startGateway(subgraphs(), { compose: "introspect" })).rejects.toThrow(/401/);
  });
});

describe.each([
  ["composed from the committed SDL", () => viaSdl],
  ["composed by introspection", () => viaIntrospection],
])("through @apollo/gateway, %s", (_how, gateway) => {
  it("resolves a query spanning both subgraphs, with the caller's token forwarded to each", async () => {
    const { team, shared, hidden } = await buildWorld();
    const token = await service.token(team.owner.userId);
    const seen = insights.authorizations.length;
    const result = await gql<Spanning>(gateway().url, SPANNING, { ws: team.workspace.id }, { token });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      // viewerRole: connected-accounts saw the owner's token; monthlyRequests: insights did.
      workspace: { name: team.workspace.name, viewerRole: "OWNER", monthlyRequests: 14 },
      busiestAccounts: [
        { requests: 9, account: { id: hidden.id, nickname: "Owner's private mailer", usageCount: 9, owner: { userId: team.owner.userId } } },
        { requests: 5, account: { id: shared.id, nickname: "Team mailer", usageCount: 5, owner: { userId: team.owner.userId } } },
      ],
    });
    const forwarded = insights.authorizations.slice(seen);
    expect(forwarded.length).toBeGreaterThan(0);
    expect(new Set(forwarded)).toEqual(new Set([`Bearer ${token}`]));
  });

  it("answers NOT_FOUND at the reference's path for an account the member may not see, and shows the rest", async () => {
    const { team, shared, hidden } = await buildWorld();
    const result = await gql<Spanning>(gateway().url, SPANNING, { ws: team.workspace.id }, { token: await service.token(team.member.userId) });
    expect(result.data?.workspace.viewerRole).toBe("MEMBER");
    expect(result.data?.busiestAccounts).toEqual([
      { requests: 9, account: null },
      { requests: 5, account: { id: shared.id, nickname: "Team mailer", usageCount: 5, owner: { userId: team.owner.userId } } },
    ]);
    expect(errorsOf(result).map((e) => [e.path, e.extensions?.code, e.extensions?.serviceName])).toEqual([[["busiestAccounts", 0, "account"], "NOT_FOUND", "connected-accounts"]]);
    expect(result.text).not.toContain(hidden.id);
    expect(result.text).not.toContain("Owner's private mailer");
  });

  it("passes error codes and details through: FORBIDDEN with details", async () => {
    const { team, shared } = await buildWorld();
    const result = await gql(gateway().url, `mutation ($id: ID!) { shareAccount(input: { accountId: $id, memberIds: [] }) { id } }`, { id: shared.id }, {
      token: await service.token(team.member.userId),
    });
    const [error, ...others] = errorsOf(result);
    expect(others).toEqual([]);
    expect(error).toMatchObject({ path: ["shareAccount"], extensions: { code: "FORBIDDEN", details: { operation: "manageAccess" }, serviceName: "connected-accounts" } });
  });

  it("refuses an anonymous caller and a bad token: the subgraph's 401 arrives as UNAUTHENTICATED with its reason, without the challenge header", async () => {
    for (const [token, reason] of [[undefined, "MISSING"], ["not-a-token", "MALFORMED"]] as const) {
      const result = await gql(gateway().url, "{ viewer { userId } }", undefined, { token });
      expect(result.data ?? null).toBeNull();
      const [error, ...others] = errorsOf(result);
      expect(others).toEqual([]);
      expect(error!.extensions?.code).toBe("UNAUTHENTICATED");
      // The gateway reports the subgraph's HTTP answer in `extensions.response`, on its own HTTP 200, and drops WWW-Authenticate.
      expect(error!.extensions?.response?.status).toBe(401);
      expect(error!.extensions?.response?.body.errors[0]!.extensions).toMatchObject({ code: "UNAUTHENTICATED", details: { reason } });
      expect(result.status).toBe(200);
      expect(result.headers.get("www-authenticate")).toBeNull();
    }
  });

  it("refuses a subscription: @apollo/gateway cannot carry them", async () => {
    const { team } = await buildWorld();
    const result = await gql(gateway().url, ACCOUNT_EVENTS, { workspaceId: team.workspace.id }, { token: await service.token(team.owner.userId) });
    expect(result.data ?? null).toBeNull();
    expect(errorsOf(result).map((e) => e.message)).toEqual(["Execution of subscriptions not supported by gateway"]);
  });
});

describe("subscriptions behind a router", () => {
  it("accepts the socket Apollo Router's passthrough opens (connection_init {token: <Authorization>}) and delivers a change made through the gateway", async () => {
    const { team, shared } = await buildWorld();
    const token = await service.token(team.owner.userId);
    const subscriber = new Subscriber(service.url, null, { connectionParams: { token: `Bearer ${token}` } }).subscribe(ACCOUNT_EVENTS, {
      workspaceId: team.workspace.id,
      kinds: ["ACCOUNT_ACCESS_CHANGED"],
    });
    try {
      await settle(300);
      const member = team.member.id;
      const shared2 = await gql(viaSdl.url, `mutation ($id: ID!, $m: [ID!]) { shareAccount(input: { accountId: $id, memberIds: $m }) { id } }`, { id: shared.id, m: [member] }, { token });
      expect(shared2.errors).toBeUndefined();
      await subscriber.waitFor((s) => s.events.length > 0 || s.errors.length > 0 || s.closed !== null);
      expect(subscriber.closed).toBeNull();
      expect(subscriber.errors).toEqual([]);
      expect(subscriber.events.map((e) => [e.kind, e.accountId])).toEqual([["ACCOUNT_ACCESS_CHANGED", shared.id]]);
    } finally {
      await subscriber.close();
    }
  });
});
