import { WorkspaceDocument } from "../operations/generated";
import { buildTeam } from "./support/factories";
import { codesOf, gql } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { Subscriber } from "./support/ws-client";
import { ERROR_CODES } from "../src/errors/error-codes";

describe("errors and limits in production mode", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({
      NODE_ENV: "production",
      ENCRYPTION_KEYS: "k1:" + Buffer.alloc(32, 7).toString("base64"),
      GRAPHQL_INTROSPECTION: "false",
      GRAPHQL_MAX_DEPTH: "6",
      GRAPHQL_MAX_ALIASES: "3",
      GRAPHQL_MAX_COST: "400",
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("refuses introspection", async () => {
    const result = await service.call("alice", "{ __schema { types { name } } }");
    expect(codesOf(result)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("gives no 'did you mean' suggestions that would reveal the schema", async () => {
    const result = await service.call("alice", "{ workspac(id: \"x\") { id } }");
    expect(codesOf(result)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(result.text).not.toMatch(/Did you mean/i);
  });

  it("refuses queries deeper than the limit with QUERY_TOO_COMPLEX", async () => {
    const deep = `{ viewer { workspaces { members { workspace { members { workspace { members { id } } } } } } } }`;
    const result = await service.call("alice", deep);
    expect(codesOf(result)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(result.errors?.[0]?.message).toMatch(/levels deep; the limit is 6/);
  });

  it("applies the same rules over graphql-ws: no introspection, no schema hints, the depth limit", async () => {
    const ask = async (query: string) => {
      const client = new Subscriber(service.url, await service.token("alice")).subscribe(query, {});
      try {
        await client.waitFor((c) => c.errors.length > 0 || c.events.length > 0);
        return JSON.stringify(client.errors);
      } finally {
        await client.close();
      }
    };
    expect(await ask("{ __schema { types { name } } }")).toMatch(/introspection/i);
    const misspelled = await ask('{ workspac(id: "x") { id } }');
    expect(misspelled).toMatch(/Cannot query field/);
    expect(misspelled).not.toMatch(/Did you mean/i);
    expect(await ask("{ viewer { workspaces { members { workspace { members { workspace { members { id } } } } } } } }")).toMatch(/levels deep; the limit is 6/);
  });

  it("counts depth through fragments", async () => {
    const query = `
      fragment W on Workspace { members { workspace { members { workspace { id } } } } }
      { viewer { workspaces { ...W } } }`;
    expect(codesOf(await service.call("alice", query))).toEqual(["QUERY_TOO_COMPLEX"]);
  });

  it("refuses too many aliases", async () => {
    const result = await service.call("alice", "{ a: viewer { userId } b: viewer { userId } c: viewer { userId } d: viewer { userId } }");
    expect(codesOf(result)).toEqual(["QUERY_TOO_COMPLEX"]);
  });

  it("refuses queries whose estimated cost passes the limit", async () => {
    const result = await service.call("alice", "{ apps(page: { first: 100 }) { nodes { slug name authType categories fields { name } } } }");
    expect(codesOf(result)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(result.errors?.[0]?.message).toMatch(/cost/);
  });

  it("answers unexpected failures with INTERNAL and a generic message, without stack traces", async () => {
    const team = await buildTeam(service);
    // A service method that fails in a way no code path expects (a bug): the client learns nothing of it.
    const failing = await service.call(team.owner.userId, WorkspaceDocument, { id: team.workspace.id }).then(async (ok) => {
      const original = service.services.workspaces.getWorkspace.bind(service.services.workspaces);
      service.services.workspaces.getWorkspace = async () => {
        throw new Error("secret internal detail at /srv/app.ts:12");
      };
      try {
        return { ok, broken: await service.call(team.owner.userId, WorkspaceDocument, { id: team.workspace.id }) };
      } finally {
        service.services.workspaces.getWorkspace = original;
      }
    });
    expect(codesOf(failing.ok)).toEqual([]);
    expect(codesOf(failing.broken)).toEqual(["INTERNAL"]);
    expect(failing.broken.errors?.[0]?.message).toBe("Something went wrong on our side.");
    expect(failing.broken.text).not.toContain("secret internal detail");
    expect(failing.broken.text).not.toContain("stacktrace");
    expect(service.logs.some((line) => line.includes("secret internal detail"))).toBe(true);
  });

  it("applies CSRF prevention to GET requests", async () => {
    const response = await fetch(`${service.url}?query=${encodeURIComponent("{ viewer { userId } }")}`, {
      headers: { authorization: `Bearer ${await service.token("alice")}` },
    });
    expect(response.status).toBe(400);
    const ok = await fetch(`${service.url}?query=${encodeURIComponent("{ viewer { userId } }")}`, {
      headers: { authorization: `Bearer ${await service.token("alice")}`, "apollo-require-preflight": "1" },
    });
    expect(ok.status).toBe(200);
  });

  it("refuses oversized bodies with 413 and malformed JSON with BAD_REQUEST", async () => {
    const token = await service.token("alice");
    const big = await fetch(service.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ viewer { userId } }", padding: "x".repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    const bad = await gqlRaw(service.url, "{not json", token);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("refuses an anonymous body with 401 without reading it, and closes that connection", async () => {
    const big = await fetch(service.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ viewer { userId } }", padding: "x".repeat(1_100_000) }),
    });
    expect(big.status).toBe(401);
    expect(big.headers.get("connection")).toBe("close");
    expect(((await big.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("UNAUTHENTICATED");
  });

  it("only ever answers with codes from the closed set", async () => {
    const results = await Promise.all([
      service.call(null, "{ viewer { userId } }"),
      service.call("alice", "{ viewer { "),
      service.call("alice", "query ($id: ID!) { workspace(id: $id) { id } }", { id: { not: "an id" } as unknown as string }),
      service.call("alice", "query ($id: ID!) { workspace(id: $id) { id } }", {}),
      service.call("alice", WorkspaceDocument, { id: "missing" }),
    ]);
    const codes = results.flatMap((r) => codesOf(r));
    expect(codes).toEqual(["UNAUTHENTICATED", "GRAPHQL_PARSE_FAILED", "BAD_USER_INPUT", "BAD_USER_INPUT", "NOT_FOUND"]);
    for (const code of codes) expect(ERROR_CODES).toContain(code);
  });
});

async function gqlRaw(url: string, body: string, token?: string) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
  return { status: response.status, body: (await response.json()) as { errors: Array<{ extensions: { code: string } }> } };
}

describe("development mode", () => {
  it("keeps introspection on for local tooling", async () => {
    const service = await startTestService();
    try {
      const result = await gql(service.url, "{ __schema { queryType { name } } }", undefined, { token: await service.token("alice") });
      expect(result.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    } finally {
      await service.close();
    }
  });
});

describe("variable errors never echo the value", () => {
  it("describes a bad variable by path and shape, without the value it got", async () => {
    const service = await startTestService();
    try {
      const secret = "SG.variable-echo-canary-1234567890";
      const result = await service.call(
        "alice",
        `mutation ($input: ConnectKeyAccountInput!) { connectKeyAccount(input: $input) { id } }`,
        { input: { workspaceId: "w", appSlug: "sendgrid", credentials: [{ name: "api_key", value: secret, extra: 1 }] } },
      );
      expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors?.[0]?.message).toBe(
        'Variable "$input" has an invalid value at "input.credentials[0]": Field "extra" is not defined by type "CredentialFieldInput".',
      );
      expect(result.text).not.toContain(secret);
      const whole = await service.call("alice", "query ($id: ID!) { workspace(id: $id) { id } }", { id: { secret } as unknown as string });
      expect(codesOf(whole)).toEqual(["BAD_USER_INPUT"]);
      expect(whole.text).not.toContain(secret);
    } finally {
      await service.close();
    }
  });
});
