import { DirectExecutor } from "../src/graphql/direct-executor";
import { loadConfig } from "../src/config";
import { operationRules } from "../src/graphql/operation-cache";
import { buildSubgraph } from "../src/graphql/schema";
import { buildAccount, buildTeam } from "./support/factories";
import { databaseEnv, TEST_DB } from "./support/test-database";
import { startTestService, type TestService } from "./support/test-service";

// Two services on one database, identical but for GRAPHQL_DIRECT_EXECUTION: every request must get
// the same status, content type and body from both, whether the direct path answers it or hands
// it to Apollo.
describe("direct execution answers exactly as Apollo does", () => {
  let direct: TestService;
  let apollo: TestService;
  const limits = { GRAPHQL_INTROSPECTION: "false", GRAPHQL_MAX_DEPTH: "6" };

  beforeAll(async () => {
    const shared = databaseEnv();
    direct = await startTestService({ ...shared, ...limits, GRAPHQL_DIRECT_EXECUTION: "true" });
    // SQLite: the second service opens the same file; MariaDB: the same shared database.
    apollo = await startTestService({ ...shared, ...limits, GRAPHQL_DIRECT_EXECUTION: "false", ...(TEST_DB === "sqlite" ? { DB_MIGRATE: "false" } : {}) });
  });
  afterAll(async () => {
    await apollo?.close();
    await direct?.close();
  });

  async function both(user: string, body: unknown, headers: Record<string, string> = {}) {
    const answers = [];
    for (const service of [direct, apollo]) {
      const response = await fetch(service.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await service.token(user)}`, ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      answers.push({ status: response.status, type: response.headers.get("content-type"), cache: response.headers.get("cache-control"), body: await response.text() });
    }
    return answers as [(typeof answers)[0], (typeof answers)[0]];
  }

  it("for results, resolver errors, partial data, request errors and protocol edge cases", async () => {
    const team = await buildTeam(direct);
    const account = await buildAccount(direct, { workspaceId: team.workspace.id, owner: team.member });
    const cases: Array<[string, unknown, Record<string, string>?]> = [
      ["a query", { query: "query V { viewer { userId workspaces { id name viewerRole } } }" }],
      ["a query with variables", { query: "query ($id: ID!) { workspace(id: $id) { id name } }", variables: { id: team.workspace.id } }],
      ["a resolver error (NOT_FOUND)", { query: "query ($id: ID!) { account(id: $id) { id } }", variables: { id: "00000000-0000-7000-8000-000000000000" } }],
      ["a mutation refused by the matrix", { query: "mutation ($id: ID!) { readAccountCredentials(accountId: $id) { fields { name } } }", variables: { id: account.id } }],
      ["a named operation among several", { query: "query A { viewer { userId } } query B { __typename }", operationName: "B" }],
      ["an unknown operation name", { query: "query A { viewer { userId } }", operationName: "Nope" }],
      ["two operations and no name", { query: "query A { viewer { userId } } query B { __typename }" }],
      ["a syntax error", { query: "{ viewer { " }],
      ["an unknown field", { query: "{ viewr { userId } }" }],
      ["introspection while it is off", { query: "{ __schema { queryType { name } } }" }],
      ["a query past the depth limit", { query: "{ viewer { workspaces { members { workspace { members { workspace { members { id } } } } } } } }" }],
      ["fragments doubling at every level (2^26 fields)", { query: `query { viewer { ...F26 } } fragment F0 on Viewer { userId } ${Array.from({ length: 26 }, (_, i) => `fragment F${i + 1} on Viewer { ...F${i} ...F${i} }`).join(" ")}` }],
      ["aliases of __typename past the alias limit", { query: `{ viewer { ${Array.from({ length: 31 }, (_, i) => `t${i}: __typename`).join(" ")} } }` }],
      ["a query past the token cap", { query: `{ viewer { ${"userId ".repeat(3000)}} }` }],
      ["a variable of the wrong type", { query: "query ($id: ID!) { workspace(id: $id) { id } }", variables: { id: { not: "an id" } } }],
      ["a missing variable", { query: "query ($id: ID!) { workspace(id: $id) { id } }" }],
      ["variables as a string", { query: "{ __typename }", variables: "{}" }],
      ["a batched body", [{ query: "{ __typename }" }]],
      ["a persisted-query extension", { query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }],
      ["no query", { variables: {} }],
      ["a subscription over HTTP", { query: `subscription ($ws: ID!) { accountEvents(workspaceId: $ws) { seq } }`, variables: { ws: team.workspace.id } }],
      ["a client that wants graphql-response+json", { query: "{ viewer { userId } }" }, { accept: "application/graphql-response+json" }],
      ["a client that accepts nothing we serve", { query: "{ viewer { userId } }" }, { accept: "text/html" }],
    ];
    for (const [name, body, headers] of cases) {
      const [viaDirect, viaApollo] = await both(team.member.userId, body, headers);
      expect({ name, ...viaDirect }).toEqual({ name, ...viaApollo });
    }
  });
});

describe("the direct path's choice", () => {
  it("answers well-formed queries and mutations itself, and hands every other request to Apollo", async () => {
    const schema = await buildSubgraph();
    const graphql = loadConfig({ GRAPHQL_INTROSPECTION: "false", GRAPHQL_MAX_DEPTH: "6" }).graphql;
    const executor = new DirectExecutor(schema, operationRules(graphql), graphql, (f) => f);
    const context = () => ({ principal: null });
    const plain = {};
    expect(await executor.execute({ query: "{ __typename }" }, plain, context)).toEqual({
      status: 200,
      contentType: "application/json; charset=utf-8",
      body: '{"data":{"__typename":"Query"}}\n',
      operationName: undefined,
      operationType: "query",
      outcome: "OK",
    });
    expect(await executor.execute({ query: "mutation { __typename }", variables: null, operationName: null }, { accept: "*/*" }, context)).not.toBeNull();
    const toApollo: Array<[unknown, Record<string, string>]> = [
      [{ query: "{ __typename" }, plain],
      [{ query: "{ __schema { types { name } } }" }, plain],
      [{ query: "{ nope }" }, plain],
      [{ query: "{ __typename }", extensions: {} }, plain],
      [{ query: "{ __typename }", variables: [] }, plain],
      [{ query: "{ __typename }", operationName: 7 }, plain],
      [{ query: "{ __typename }" }, { "apollo-federation-include-trace": "ftv1" }],
      [{ query: "{ __typename }" }, { accept: "application/graphql-response+json" }],
      [[{ query: "{ __typename }" }], plain],
      ["{ __typename }", plain],
      [{ query: "query ($n: Int!) { __typename }", variables: { n: "x" } }, plain],
    ];
    for (const [body, headers] of toApollo) expect(await executor.execute(body, headers, context)).toBeNull();
  });
});
