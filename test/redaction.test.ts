/**
 * Credentials an app echoes back never reach the caller (docs/api/credentials.md, "Requests through an account") or
 * the step run record every member reads (docs/api/workflows.md), in whatever common
 * encoding the app used, wherever the size limit cuts the answer, however deep the answer nests.
 */
import { AddStepDocument, CreateWorkflowDocument, SendAccountRequestDocument, SetEnvironmentVariableDocument, TestStepDocument } from "../operations/generated";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { StepRunEntity } from "../src/modules/workflows/workflow.entity";
import { makeRedactor } from "../src/modules/proxy/redact";
import { buildAccount, buildTeam } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { codesOf, dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
let app: FakeApp;
beforeAll(async () => {
  app = await new FakeApp().start();
  service = await startTestService({ APP_BASE_URL_OVERRIDES: JSON.stringify({ "asana-token": app.url, twilio: app.url }), GRAPHQL_MAX_COST: "1000000" });
});
afterAll(async () => {
  await service?.close();
  await app?.stop();
});

const MB = 1024 * 1024;
const hex4 = (code: number) => code.toString(16).padStart(4, "0");
const percentLower = (text: string) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
const htmlEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Every common way an app may echo a secret. */
const ENCODINGS: Array<[string, (secret: string) => string]> = [
  ["as is", (s) => s],
  ["upper case", (s) => s.toUpperCase()],
  ["lower case", (s) => s.toLowerCase()],
  ["hex", (s) => Buffer.from(s).toString("hex")],
  ["HEX", (s) => Buffer.from(s).toString("hex").toUpperCase()],
  ["base64", (s) => Buffer.from(s).toString("base64")],
  ["base64 without padding", (s) => Buffer.from(s).toString("base64").replace(/=+$/, "")],
  ["base64url", (s) => Buffer.from(s).toString("base64url")],
  ["base64url with padding", (s) => Buffer.from(s).toString("base64").replace(/\+/g, "-").replace(/\//g, "_")],
  ["base64 of user:secret (offset 1)", (s) => Buffer.from(`u:${s}`).toString("base64")],
  ["base64 of user:secret (offset 2)", (s) => Buffer.from(`us:${s}`).toString("base64")],
  ["base64 of user:secret (offset 0)", (s) => Buffer.from(`use:${s}`).toString("base64")],
  ["base64url of user:secret", (s) => Buffer.from(`user:${s}`).toString("base64url")],
  ["base64 with JSON-escaped slashes", (s) => Buffer.from(`x${s}`).toString("base64").replace(/\//g, "\\/")],
  ["URL-encoded", (s) => encodeURIComponent(s)],
  ["URL-encoded, lower-case hex", (s) => percentLower(s)],
  ["form-encoded (+ for space)", (s) => new URLSearchParams({ k: s }).toString().slice(2)],
  ["every byte percent-encoded", (s) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")],
  ["JSON string", (s) => JSON.stringify(s).slice(1, -1)],
  ["JSON \\u escapes of every character", (s) => [...s].map((c) => `\\u${hex4(c.charCodeAt(0))}`).join("")],
  ["JSON \\u escapes, upper-case hex", (s) => [...s].map((c) => `\\u${hex4(c.charCodeAt(0)).toUpperCase()}`).join("")],
  ["HTML-escaped", (s) => htmlEscape(s)],
  ["HTML numeric references", (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join("")],
];

// A secret with the characters encodings treat differently: space, slash, plus, query and HTML
// specials, a quote, a backslash, Latin-1 beyond ASCII.
const makeSecret = () => `Tk ${Math.random().toString(36).slice(2, 10)}/+?&="\\<>'é~${Math.random().toString(36).slice(2, 8)}`;

/** The encodings of the secret that any of these texts still shows. */
function leaks(texts: string[], secret: string): string[] {
  const found: string[] = [];
  for (const [encoding, encode] of ENCODINGS) {
    const echoed = encode(secret);
    // The secret-bearing middle counts too (an offset base64 keeps a few leading characters).
    const middle = echoed.length > 16 ? echoed.slice(8, -4) : echoed;
    if (texts.some((text) => text.includes(echoed) || text.includes(middle))) found.push(encoding);
  }
  return found;
}

/** A header echoing the value when HTTP can carry it as it is. */
const echoHeader = (value: string): Record<string, string> => (/^[\x20-\x7e]*$/.test(value) ? { "x-echo": value } : {});

describe("sendAccountRequest answers", () => {
  it("redact a credential the app echoes in any common encoding, in the body and in headers", async () => {
    const team = await buildTeam(service);
    const secret = makeSecret();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, appSlug: "asana-token", credentials: { token: secret }, grants: [WORKSPACE_GRANTEE] });
    const failures: string[] = [];
    for (const [label, encode] of ENCODINGS) {
      const echoed = encode(secret);
      app.handler = () => ({ status: 200, body: `before ${echoed} after`, headers: { "content-type": "text/plain", ...echoHeader(echoed) } });
      const result = await service.call(team.member.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path: "/echo" } });
      const answer = dataOf(result).sendAccountRequest;
      if (!/^before .*\[redacted\].* after$/.test(answer.body)) failures.push(`${label}: body ${JSON.stringify(answer.body)}`);
      const header = String((answer.headers as Record<string, unknown>)["x-echo"] ?? "");
      if (echoHeader(echoed)["x-echo"] && !header.includes("[redacted]")) failures.push(`${label}: header ${header}`);
      const leaked = leaks([result.text, answer.body, JSON.stringify(answer.headers)], secret);
      if (leaked.length) failures.push(`${label}: shows the secret ${leaked.join(", ")}`);
    }
    expect(failures).toEqual([]);
  });

  it("redact a Basic auth password echoed inside the encoded header value", async () => {
    const team = await buildTeam(service);
    const sid = `AC${"0123456789abcdef".repeat(2)}`;
    const token = `twilio-${Math.random().toString(36).slice(2)}`;
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, appSlug: "twilio", credentials: { account_sid: sid, auth_token: token } });
    // The app decodes the header and encodes it again with more around it, so the header value
    // itself is nowhere: only the password's own base64, at whatever offset it landed.
    app.handler = (req) => {
      const decoded = Buffer.from(String(req.headers.authorization).slice(6), "base64").toString();
      return { status: 200, body: { offset0: Buffer.from(`${decoded}|n`).toString("base64"), offset1: Buffer.from(`x${decoded}`).toString("base64"), offset2: Buffer.from(`xy${decoded}!`).toString("base64url") } };
    };
    const result = await service.call(team.owner.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path: "/x" } });
    const body = JSON.parse(dataOf(result).sendAccountRequest.body) as Record<string, string>;
    for (const value of Object.values(body)) expect(value).toContain("[redacted]");
    for (const [prefix, suffix] of [["", "|n"], ["x", ""], ["xy", "!"]]) {
      const whole = Buffer.from(`${prefix}${sid}:${token}${suffix}`);
      // Not even the part that encodes the token alone.
      expect(result.text).not.toContain(whole.toString("base64").slice(Math.ceil(((prefix.length + sid.length + 1) * 8) / 6) + 1, -4));
      expect(result.text).not.toContain(whole.toString("base64url").slice(Math.ceil(((prefix.length + sid.length + 1) * 8) / 6) + 1, -4));
    }
  });

  it("never show the start of a secret that straddles the 5 MB cut, in any of its encodings", async () => {
    const team = await buildTeam(service);
    const secret = makeSecret();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, appSlug: "asana-token", credentials: { token: secret } });
    for (const [label, encode] of ENCODINGS.filter(([l]) => ["as is", "hex", "base64", "URL-encoded", "JSON \\u escapes of every character"].includes(l))) {
      const echoed = encode(secret);
      for (const before of [5, Math.floor(echoed.length / 2), echoed.length - 1]) {
        app.handler = () => ({ status: 200, body: `${"a".repeat(5 * MB - before)}${echoed}${"b".repeat(1000)}`, headers: { "content-type": "text/plain" } });
        const answer = dataOf(await service.call(team.owner.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path: "/big" } })).sendAccountRequest;
        expect([label, before, answer.truncated]).toEqual([label, before, true]);
        expect(Buffer.byteLength(answer.body)).toBeLessThanOrEqual(5 * MB);
        // Nothing after the filler: not the first characters of the secret, nor of the marker.
        expect([label, before, afterFiller(answer.body)]).toEqual([label, before, ""]);
      }
    }
  }, 120_000);

  it("never cut between the bytes of one character", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, appSlug: "asana-token", credentials: { token: makeSecret() } });
    app.handler = () => ({ status: 200, body: `x${"é".repeat(3 * MB)}`, headers: { "content-type": "text/plain" } });
    const answer = dataOf(await service.call(team.owner.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path: "/big" } })).sendAccountRequest;
    expect(answer.truncated).toBe(true);
    expect(answer.body).not.toContain("\ufffd");
    expect(answer.body.endsWith("é")).toBe(true);
    expect(Buffer.byteLength(answer.body)).toBe(5 * MB - 1);
  });

  it("handle an answer nested 100,000 levels deep", async () => {
    const team = await buildTeam(service);
    const secret = makeSecret();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, appSlug: "asana-token", credentials: { token: secret } });
    const depth = 100_000;
    app.handler = () => ({ status: 200, body: `${'{"a":['.repeat(depth)}${JSON.stringify(secret)}${"]}".repeat(depth)}` });
    const result = await service.call(team.owner.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path: "/deep" } });
    expect(codesOf(result)).toEqual([]);
    expect(dataOf(result).sendAccountRequest.body).toContain('["[redacted]"]');
    expect(result.text).not.toContain(JSON.stringify(secret).slice(1, -1));
  });
});

describe("step run records", () => {
  async function httpStep(secretEnv: string) {
    const team = await buildTeam(service);
    const token = makeSecret();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, appSlug: "asana-token", credentials: { token }, grants: [WORKSPACE_GRANTEE] });
    dataOf(await service.call(team.admin.userId, SetEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "TENANT_KEY", value: secretEnv } }));
    const flow = dataOf(await service.call(team.owner.userId, CreateWorkflowDocument, { workspaceId: team.workspace.id, name: "redaction" })).createWorkflow;
    const step = dataOf(await service.call(team.owner.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "asana-token", accountId: account.id, http: { method: "POST", path: "/items/{{env.TENANT_KEY}}", headers: { "X-Tenant": "{{env.TENANT_KEY}}" }, body: "{{env.TENANT_KEY}}" } },
    })).addStep;
    return { team, token, step };
  }

  async function runAndRead(team: Awaited<ReturnType<typeof buildTeam>>, stepId: string) {
    const run = await service.call(team.member.userId, TestStepDocument, { stepId });
    const rows = await service.dataSource.getRepository(StepRunEntity).findBy({ stepId });
    return { run, texts: [run.text, JSON.stringify(rows), service.logs.join("\n")] };
  }

  it("redact the account's credential and secret variables echoed in any common encoding: exports, logs, inputs and error", async () => {
    const env = `env ${makeSecret()}`;
    const { team, token, step } = await httpStep(env);
    const failures: string[] = [];
    for (const [label, encode] of ENCODINGS) {
      app.handler = (req) => ({
        status: 500,
        body: JSON.stringify({ token: encode(token), env: encode(env), path: req.url, sent: req.body }),
        headers: echoHeader(encode(token)),
      });
      const { run, texts } = await runAndRead(team, step.id);
      const record = dataOf(run).testStep;
      const body = (record.exports as { body?: Record<string, string> }).body ?? {};
      // (An offset base64 keeps the characters that encode what came before the secret.)
      for (const key of ["token", "env", "sent"]) if (!/^[A-Za-z0-9+/\\]{0,8}\[redacted\]$/.test(body[key] ?? "")) failures.push(`${label}: exports.body.${key} is ${JSON.stringify(body[key])}`);
      if (record.status !== "ERROR" || !record.logs.join("\n").includes("POST /items/[redacted]")) failures.push(`${label}: ${record.status}, logs ${JSON.stringify(record.logs)}`);
      const shown = [JSON.stringify(record.exports), record.logs.join("\n"), JSON.stringify(record.inputs), String(record.error), ...texts];
      for (const [name, secret] of [["token", token], ["env", env]] as const) {
        const leaked = leaks(shown, secret);
        if (leaked.length) failures.push(`${label}: the ${name} shows as ${leaked.join(", ")}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("keep no part of a secret that straddles a cut: the 1 MB answer limit, or what the record keeps", async () => {
    const env = `env-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
    const { team, token, step } = await httpStep(env);
    // Where the record cuts depends on what else it holds; sweep the neighbourhood.
    const positions = [MB - 6, MB - 30, ...Array.from({ length: 12 }, (_, i) => 60_870 + i * 5)];
    for (const secret of [token, env]) {
      const echoed = Buffer.from(secret).toString("base64");
      for (const position of positions) {
        app.handler = () => ({ status: 200, body: `${"a".repeat(position)}${echoed}${"t".repeat(10_000)}`, headers: { "content-type": "text/plain" } });
        const { run, texts } = await runAndRead(team, step.id);
        const exported = dataOf(run).testStep.exports as { body: string; truncated?: boolean };
        expect([position, exported.truncated, afterFiller(exported.body)]).toEqual([position, true, expect.stringMatching(/^(\[redacted\]t*)?$/)]);
        for (const text of texts) expect([position, text.includes(echoed.slice(0, 6))]).toEqual([position, false]);
      }
    }
  }, 120_000);

  it("record an answer nested 100,000 levels deep as text, redacted, without overflowing the stack", async () => {
    const { team, token, step } = await httpStep(`env-${Math.random().toString(36).slice(2)}`);
    const depth = 100_000;
    app.handler = () => ({ status: 200, body: `${"[".repeat(depth)}${JSON.stringify(token)}${"]".repeat(depth)}` });
    const { run, texts } = await runAndRead(team, step.id);
    expect(codesOf(run)).toEqual([]);
    const record = dataOf(run).testStep;
    expect(record.status).toBe("SUCCESS");
    expect(typeof (record.exports as { body: unknown }).body).toBe("string");
    expect(record.logs.join("\n")).toMatch(/nested more than/);
    for (const text of texts) expect(text).not.toContain(JSON.stringify(token).slice(1, -1));
  });
});

describe("the redactor", () => {
  // Its speed on such an answer is a benchmark figure (npm run bench), not an assertion here.
  it("scans a 5 MB answer full of escapes with 20 secrets, and finds the encoded ones in it", () => {
    const secrets = Array.from({ length: 20 }, () => makeSecret());
    const redact = makeRedactor(secrets);
    const chunk = JSON.stringify({ id: "0123456789abcdef", url: "https://x.example/a%20b?c=d&e=f", text: "caf\\u00e9 &amp; more", b64: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=" });
    const filler = Array.from({ length: Math.ceil((2.5 * MB) / chunk.length) }, () => chunk).join(",");
    const escaped = [...secrets[0]!].map((c) => `\\u${hex4(c.charCodeAt(0))}`).join("");
    const text = `${filler}"${escaped}",${filler}"${Buffer.from(secrets[19]!).toString("hex")}"`;
    const out = redact(text);
    expect(out).toBe(`${filler}"[redacted]",${filler}"[redacted]"`);
  });
});

// What follows the leading run of "a" filler. Scanned, not matched: a regular expression over
// megabytes of "a" can exhaust V8's regexp stack (it did, once in CI).
function afterFiller(text: string): string {
  let end = 0;
  while (end < text.length && text.charCodeAt(end) === 0x61) end++;
  return text.slice(end);
}
