/**
 * Requests through an account stay below the app's API base URL, whatever the encoding of the
 * path (docs/api/credentials.md, "Requests through an account"), through `sendAccountRequest` and through HTTP
 * request steps (`testStep`), including values of `{{env.X}}` substituted into a path. The app's
 * base URL here ends in `/v1`, so `/v1evil` is the sibling that a prefix check without a segment
 * boundary let through.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { AddStepDocument, ConnectKeyAccountDocument, CreateWorkflowDocument, SendAccountRequestDocument, SetEnvironmentVariableDocument, TestStepDocument } from "../operations/generated";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { StepEntity } from "../src/modules/workflows/workflow.entity";
import { isUnderPath } from "../src/modules/proxy/proxy-request";
import { callTokenEndpoint, TokenEndpointError } from "../src/modules/oauth/token-endpoint";
import { buildAccount, buildTeam, newStepRow } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { codesOf, dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
let app: FakeApp;
beforeAll(async () => {
  app = await new FakeApp((req) => ({ status: 200, body: { path: req.url } })).start();
  service = await startTestService({
    APP_BASE_URL_OVERRIDES: JSON.stringify({ "asana-token": `${app.url}/v1`, pipedrive: `${app.url}/v1`, cloudinary: `${app.url}/v1_1` }),
  });
});
afterAll(async () => {
  await service?.close();
  await app?.stop();
});

const pipedriveToken = () => Array.from({ length: 40 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");

/** Paths that leave `/v1` (or would, on a server that decodes once more): every one is refused. */
const ESCAPING_PATHS = [
  "/../v1evil",
  "/..",
  "/../",
  "/./../v1evil",
  "/x/../../v1evil",
  "/%2e%2e/v1evil",
  "/%2E%2E/v1evil",
  "/%2e./v1evil",
  "/.%2E/v1evil",
  "/%2E.",
  "/..%2fv1evil",
  "/..%2Fv1evil",
  "/x/..%2f..%2fv1evil",
  "/%2e%2e%2fv1evil",
  "/x/..%5cv1evil",
  "/%252e%252e/v1evil",
  "/%25252e%25252e/v1evil",
  "/..;/v1evil",
  "/%2e%2e;x=1/v1evil",
  "/%c0%ae%c0%ae/v1evil",
  "/.",
  "/x/%2e",
  "/x%00",
  "/x%0d%0aHost:%20evil.example",
];

/** Paths below `/v1` that must keep working, and where they arrive. */
const KEPT_PATHS: Array<[string, string]> = [
  ["/users/me", "/v1/users/me"],
  ["/", "/v1/"],
  ["/projects/group%2Fproject", "/v1/projects/group%2Fproject"],
  ["/a..b/c.d/.well-known/...x", "/v1/a..b/c.d/.well-known/...x"],
  ["/search?q=../x", "/v1/search?q=../x"],
];

describe("sendAccountRequest stays below the app's base path", () => {
  it("refuses dot segments in every encoding and sends nothing, while paths below the base path keep working", async () => {
    const team = await buildTeam(service);
    const token = pipedriveToken();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, appSlug: "pipedrive", credentials: { api_token: token }, grants: [WORKSPACE_GRANTEE] });
    app.requests.length = 0;
    for (const path of ESCAPING_PATHS) {
      const result = await service.call(team.member.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path } });
      expect([path, codesOf(result), result.errors?.[0]?.extensions?.details]).toEqual([path, ["BAD_USER_INPUT"], { field: "path" }]);
      expect(result.text).not.toContain(token);
    }
    expect(app.requests.map((r) => r.url)).toEqual([]);
    // Encoded slashes and dots inside names stay.
    for (const [path, arrives] of KEPT_PATHS) {
      app.requests.length = 0;
      const result = dataOf(await service.call(team.member.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path } }));
      expect([path, result.sendAccountRequest.status]).toEqual([path, 200]);
      expect(new URL(app.requests[0]!.url, "http://x").pathname).toBe(new URL(arrives, "http://x").pathname);
    }
  });

  it("checks the prefix at a segment boundary", () => {
    expect(isUnderPath("/v1evil", "/v1")).toBe(false);
    expect(isUnderPath("/v1", "/v1")).toBe(true);
    expect(isUnderPath("/v1/", "/v1/")).toBe(true);
    expect(isUnderPath("/v1/x", "/v1")).toBe(true);
    expect(isUnderPath("/v2/x", "/v1")).toBe(false);
    expect(isUnderPath("/anything", "")).toBe(true);
    expect(isUnderPath("/api/1.0x", "/api/1.0")).toBe(false);
  });
});

describe("HTTP request steps stay below the app's base path", () => {
  async function setUp() {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, appSlug: "asana-token", credentials: { token: `asana-${Math.random().toString(36).slice(2)}` } });
    const flow = dataOf(await service.call(team.owner.userId, CreateWorkflowDocument, { workspaceId: team.workspace.id, name: "paths" })).createWorkflow;
    return { team, account, flow };
  }

  it("refuses escaping paths when a step is stored, and runs one stored before that to an error without sending it", async () => {
    const { team, account, flow } = await setUp();
    app.requests.length = 0;
    for (const [index, path] of ESCAPING_PATHS.entries()) {
      const refused = await service.call(team.owner.userId, AddStepDocument, {
        input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "asana-token", accountId: account.id, http: { method: "GET", path } },
      });
      expect([path, codesOf(refused), refused.errors?.[0]?.extensions?.details]).toEqual([path, ["BAD_USER_INPUT"], { field: "http.path" }]);
      const stored = newStepRow({ workflowId: flow.id, workspaceId: team.workspace.id, position: index, accountId: account.id, appSlug: "asana-token" });
      await service.dataSource.getRepository(StepEntity).insert(Object.assign(stored, { kind: "HTTP_REQUEST", http: JSON.stringify({ method: "GET", path }) }));
      const run = dataOf(await service.call(team.owner.userId, TestStepDocument, { stepId: stored.id })).testStep;
      expect([path, run.status, run.error]).toEqual([path, "ERROR", expect.stringMatching(/path/)]);
    }
    expect(app.requests.map((r) => r.url)).toEqual([]);
  });

  it("puts {{env.X}} values into the path as one encoded segment: no climbing out, no query or fragment injected", async () => {
    const { team, account, flow } = await setUp();
    const step = dataOf(await service.call(team.owner.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "asana-token", accountId: account.id, http: { method: "GET", path: "/items/{{env.ITEM}}", query: { keep: "1" } } },
    })).addStep;
    const runWith = async (value: string) => {
      dataOf(await service.call(team.admin.userId, SetEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "ITEM", value, secret: false } }));
      app.requests.length = 0;
      const run = dataOf(await service.call(team.member.userId, TestStepDocument, { stepId: step.id })).testStep;
      return { run, urls: app.requests.map((r) => r.url) };
    };
    for (const value of ["..", "../../v1evil", "%2e%2e", "x/../../../v1evil", "..;", "."]) {
      const { run, urls } = await runWith(value);
      expect([value, run.status, urls]).toEqual([value, "ERROR", []]);
    }
    for (const [value, arrives] of [
      ["a?admin=1#frag", "/v1/items/a%3Fadmin%3D1%23frag?keep=1"],
      ["a/b", "/v1/items/a%2Fb?keep=1"],
      ["a b&c", "/v1/items/a%20b%26c?keep=1"],
      ["plain-42", "/v1/items/plain-42?keep=1"],
    ] as const) {
      const { run, urls } = await runWith(value);
      expect([value, run.status, urls]).toEqual([value, "SUCCESS", [arrives]]);
    }
  });

  it("fills an app's test path from credential fields encoded, and refuses values that would leave the base path", async () => {
    const team = await buildTeam(service);
    app.requests.length = 0;
    const connect = (cloudName: string) =>
      service.call(team.owner.userId, ConnectKeyAccountDocument, {
        input: { workspaceId: team.workspace.id, appSlug: "cloudinary", verify: true, credentials: [{ name: "cloud_name", value: cloudName }, { name: "api_key", value: "key-1234" }, { name: "api_secret", value: "secret-5678" }] },
      });
    for (const cloudName of ["..", "%2e%2e", "."]) {
      const refused = await connect(cloudName);
      expect([cloudName, codesOf(refused), refused.errors?.[0]?.extensions?.details]).toEqual([cloudName, ["BAD_USER_INPUT"], { field: "credentials" }]);
    }
    expect(app.requests).toEqual([]);
    dataOf(await connect("my cloud/x?y"));
    expect(app.requests.map((r) => r.url)).toEqual(["/v1_1/my%20cloud%2Fx%3Fy/usage"]);
  });
});

describe("failures say what happened", () => {
  let failing: TestService;
  let hanging: FakeApp;
  let closedUrl: string;
  beforeAll(async () => {
    hanging = await new FakeApp(() => ({ status: 200, hang: true })).start();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    failing = await startTestService({
      PROVIDER_TIMEOUT_MS: "500",
      APP_BASE_URL_OVERRIDES: JSON.stringify({
        pipedrive: `${closedUrl}/v1`,
        "asana-token": "http://connected-accounts-test.invalid/v1",
        sendgrid: hanging.url,
        trello: `${app.url}/1`,
      }),
    });
  });
  afterAll(async () => {
    await failing?.close();
    await hanging?.stop();
  });

  async function send(appSlug: string, credentials: Record<string, string>, input: Record<string, unknown>) {
    const team = await buildTeam(failing);
    const account = await buildAccount(failing, { workspaceId: team.workspace.id, owner: team.owner, appSlug, credentials });
    return failing.call(team.owner.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path: "/x", ...input } });
  }

  it("a refused connection or an unresolvable host 'could not be reached'; a hung app 'did not answer in time'; never the URL or the credential", async () => {
    const token = pipedriveToken();
    const refused = await send("pipedrive", { api_token: token }, {});
    expect(codesOf(refused)).toEqual(["PROVIDER_UNAVAILABLE"]);
    expect(refused.errors?.[0]?.message).toBe("Pipedrive could not be reached.");
    expect(refused.text).not.toContain(token);
    expect(refused.text).not.toContain(closedUrl);

    const unresolvable = await send("asana-token", { token: "asana-token-value" }, {});
    expect(codesOf(unresolvable)).toEqual(["PROVIDER_UNAVAILABLE"]);
    expect(unresolvable.errors?.[0]?.message).toMatch(/could not be reached/);
    expect(unresolvable.text).not.toContain(".invalid");

    const hung = await send("sendgrid", { api_key: "SG.hung-key-value-0123456789" }, {});
    expect(codesOf(hung)).toEqual(["PROVIDER_UNAVAILABLE"]);
    expect(hung.errors?.[0]?.message).toMatch(/did not answer in time/);
  });

  it("a credential check against an app that cannot be reached says so", async () => {
    const team = await buildTeam(failing);
    const result = await failing.call(team.owner.userId, ConnectKeyAccountDocument, {
      input: { workspaceId: team.workspace.id, appSlug: "pipedrive", verify: true, credentials: [{ name: "api_token", value: pipedriveToken() }] },
    });
    expect(codesOf(result)).toEqual(["PROVIDER_UNAVAILABLE"]);
    expect(result.errors?.[0]?.message).toMatch(/could not be reached/);
  });

  it("a token endpoint that refuses the connection or does not answer is told apart", async () => {
    const client = { clientId: "id", clientSecret: "secret" };
    const unreachable = await callTokenEndpoint({ tokenUrl: `${closedUrl}/token`, tokenAuthMethod: "client_secret_post" }, client, { grant_type: "refresh_token", refresh_token: "r" }, 1000).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(TokenEndpointError);
    expect([(unreachable as TokenEndpointError).transient, (unreachable as TokenEndpointError).summary]).toEqual(["unreachable", "The provider could not be reached"]);
    const timeout = await callTokenEndpoint({ tokenUrl: `${hanging.url}/token`, tokenAuthMethod: "client_secret_post" }, client, { grant_type: "refresh_token", refresh_token: "r" }, 300).catch((e: unknown) => e);
    expect([(timeout as TokenEndpointError).transient, (timeout as TokenEndpointError).summary]).toEqual(["timeout", "The provider did not answer in time"]);
  });

  it("a caller's bad header name, CR/LF/NUL in a header value, or a non-string header or query value is the caller's BAD_USER_INPUT, and nothing is sent", async () => {
    app.requests.length = 0;
    const credentials = { api_key: "trello-key-0123456789", token: "trello-token-0123456789" };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["header name with a space", { headers: { "Bad Name": "x" } }, "headers"],
      ["header name with a colon", { headers: { "X-A:b": "x" } }, "headers"],
      ["empty header name", { headers: { "": "x" } }, "headers"],
      ["CRLF in a header value", { headers: { "X-Ok": "a\r\nInjected: 1" } }, "headers"],
      ["LF in a header value", { headers: { "X-Ok": "a\nb" } }, "headers"],
      ["NUL in a header value", { headers: { "X-Ok": "a\u0000b" } }, "headers"],
      ["a header value beyond Latin-1", { headers: { "X-Ok": "€" } }, "headers"],
      ["a number as a header value", { headers: { "X-Num": 5 } }, "headers"],
      ["an object as a header value", { headers: { "X-Obj": { a: 1 } } }, "headers"],
      ["null as a header value", { headers: { "X-Null": null } }, "headers"],
      ["a number as a query value", { query: { n: 5 } }, "query"],
      ["an array as a query value", { query: { n: ["a", "b"] } }, "query"],
      ["an unknown method", { method: "TRACE" }, "method"],
    ];
    for (const [label, input, field] of cases) {
      const result = await send("trello", credentials, input);
      expect([label, codesOf(result), result.errors?.[0]?.extensions?.details]).toEqual([label, ["BAD_USER_INPUT"], { field }]);
    }
    expect(app.requests).toEqual([]);
    // A tab is a legal header character; the request goes out.
    dataOf(await send("trello", credentials, { headers: { "X-Ok": "a\tb" } }));
    expect(app.requests).toHaveLength(1);
  });
});
