/**
 * Tenant apps end to end (issue 16): each catalog app whose URLs are the customer's own is
 * connected through the real service against one loopback server standing in for every provider
 * host (APP_HOST_OVERRIDES dials `*.myshopify.com` and the rest to it, with the host the service
 * meant in `x-forwarded-host`). For each: the parameter is asked and checked, the authorize URL
 * is built on the tenant's host, the code exchange and learning calls go to the right hosts,
 * the learned values are stored and shown, a request through the account reaches the tenant's
 * API with the app's auth, and a refresh that says a new value moves later requests there.
 * Then the refused-value class: parameters, learned values and stored values that would take a
 * connection off the app's hosts are refused before anything is sent, for connect, refresh,
 * requests through an account, steps and imports alike.
 */
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { loadAppCatalog } from "../src/modules/apps/app-catalog";
import { OAuthFlowEntity } from "../src/modules/oauth/oauth-flow.entity";
import {
  AccountDocument,
  AddStepDocument,
  AppDocument,
  ConnectKeyAccountDocument,
  CreateWorkflowDocument,
  ImportLegacyAccountsDocument,
  SendAccountRequestDocument,
  StartOAuthConnectDocument,
  StartOAuthReconnectDocument,
  TestStepDocument,
} from "../operations/generated";
import { buildTeam } from "./support/factories";

type Team = Awaited<ReturnType<typeof buildTeam>>;
import { FakeApp, type ReceivedRequest } from "./support/fake-app";
import { codesOf, dataOf } from "./support/graphql-client";
import { browserGet, freePort, readCallback } from "./support/oauth-harness";
import { startTestService, type TestService } from "./support/test-service";

const CLIENT_SECRET = "tenant-client-secret-7d6c5b4a";
const UUID_A = "1324a887-45db-1bf4-1e99-ef0ff456d421";
const UUID_B = "45e4708e-d862-4111-ab3a-dd8cd03913e1";

/** One tenant OAuth app, connected and used end to end. */
interface OAuthCase {
  slug: string;
  parameters?: Record<string, string>;
  /** Extra query parameters of the provider's redirect back (QuickBooks' realmId). */
  callback?: Record<string, string>;
  /** The authorize endpoint the browser is sent to (origin and path). */
  authorize: string;
  /** The token endpoint the code goes to (host and path). */
  token: string;
  /** Extra fields of the token answer (and of the refresh answer). */
  tokenAnswer?: Record<string, unknown>;
  refreshAnswer?: Record<string, unknown>;
  /** JSON answers by host and path (identity, learning requests). */
  answers?: Record<string, unknown>;
  learned: Record<string, string>;
  identity?: { id: string; displayName: string | null };
  /** A request through the account: its path, and where it must arrive (host and path). */
  request: { path: string; arrives: string; header?: [string, string] };
  /** After a refresh: the learned values and where the same request arrives. */
  afterRefresh?: { learned: Record<string, string>; arrives: string };
}

const OAUTH_CASES: OAuthCase[] = [
  {
    slug: "salesforce",
    authorize: "https://login.salesforce.com/services/oauth2/authorize",
    token: "login.salesforce.com/services/oauth2/token",
    tokenAnswer: { instance_url: "https://acme.my.salesforce.com", id: "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA" },
    refreshAnswer: { instance_url: "https://acme2.my.salesforce.com", id: "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA" },
    answers: { "login.salesforce.com/id/00D000000000001AAA/005000000000001AAA": { user_id: "005000000000001AAA", username: "alice@acme.example" } },
    learned: { instance_url: "https://acme.my.salesforce.com", identity_url: "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA" },
    identity: { id: "005000000000001AAA", displayName: "alice@acme.example" },
    request: { path: "/services/data/v62.0/sobjects/Account/001", arrives: "acme.my.salesforce.com/services/data/v62.0/sobjects/Account/001", header: ["authorization", "Bearer at-1"] },
    afterRefresh: {
      learned: { instance_url: "https://acme2.my.salesforce.com", identity_url: "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA" },
      arrives: "acme2.my.salesforce.com/services/data/v62.0/sobjects/Account/001",
    },
  },
  {
    slug: "salesforce",
    parameters: { login_host: "test.salesforce.com" },
    authorize: "https://test.salesforce.com/services/oauth2/authorize",
    token: "test.salesforce.com/services/oauth2/token",
    tokenAnswer: { instance_url: "https://acme--dev.sandbox.my.salesforce.com", id: "https://test.salesforce.com/id/00D000000000002AAA/005000000000002AAA" },
    learned: { instance_url: "https://acme--dev.sandbox.my.salesforce.com", identity_url: "https://test.salesforce.com/id/00D000000000002AAA/005000000000002AAA" },
    request: { path: "/services/data/v62.0/limits", arrives: "acme--dev.sandbox.my.salesforce.com/services/data/v62.0/limits" },
  },
  {
    slug: "shopify",
    parameters: { shop: "acme-store.myshopify.com" },
    authorize: "https://acme-store.myshopify.com/admin/oauth/authorize",
    token: "acme-store.myshopify.com/admin/oauth/access_token",
    answers: { "acme-store.myshopify.com/admin/api/2026-10/shop.json": { shop: { id: 548380009, name: "Acme Store" } } },
    learned: {},
    identity: { id: "548380009", displayName: "Acme Store" },
    request: { path: "/products.json", arrives: "acme-store.myshopify.com/admin/api/2026-10/products.json", header: ["x-shopify-access-token", "at-1"] },
  },
  {
    slug: "zendesk",
    parameters: { subdomain: "acme" },
    authorize: "https://acme.zendesk.com/oauth/authorizations/new",
    token: "acme.zendesk.com/oauth/tokens",
    answers: { "acme.zendesk.com/api/v2/users/me.json": { user: { id: 35436, email: "agent@acme.example" } } },
    learned: {},
    identity: { id: "35436", displayName: "agent@acme.example" },
    request: { path: "/tickets.json", arrives: "acme.zendesk.com/api/v2/tickets.json" },
  },
  {
    slug: "mailchimp",
    authorize: "https://login.mailchimp.com/oauth2/authorize",
    token: "login.mailchimp.com/oauth2/token",
    answers: { "login.mailchimp.com/oauth2/metadata": { dc: "us21", accountname: "Acme", login: { login_id: 42 } } },
    learned: { dc: "us21" },
    identity: { id: "42", displayName: "Acme" },
    request: { path: "/lists", arrives: "us21.api.mailchimp.com/3.0/lists" },
  },
  {
    slug: "jira",
    authorize: "https://auth.atlassian.com/authorize",
    token: "auth.atlassian.com/oauth/token",
    answers: { "api.atlassian.com/oauth/token/accessible-resources": [{ id: UUID_A, url: "https://acme.atlassian.net", name: "acme" }, { id: UUID_B, url: "https://other.atlassian.net", name: "other" }] },
    learned: { cloud_id: UUID_A, site_url: "https://acme.atlassian.net" },
    request: { path: "/ex/jira/{{cloud_id}}/rest/api/3/issue/KEY-1", arrives: `api.atlassian.com/ex/jira/${UUID_A}/rest/api/3/issue/KEY-1` },
  },
  {
    slug: "okta",
    parameters: { okta_domain: "acme.okta.com" },
    authorize: "https://acme.okta.com/oauth2/v1/authorize",
    token: "acme.okta.com/oauth2/v1/token",
    answers: { "acme.okta.com/oauth2/v1/userinfo": { sub: "00u1", preferred_username: "alice@acme.example" } },
    learned: {},
    identity: { id: "00u1", displayName: "alice@acme.example" },
    request: { path: "/groups", arrives: "acme.okta.com/api/v1/groups" },
  },
  {
    slug: "auth0",
    parameters: { auth0_domain: "acme.eu.auth0.com" },
    authorize: "https://acme.eu.auth0.com/authorize",
    token: "acme.eu.auth0.com/oauth/token",
    learned: {},
    request: { path: "/api/v2/users", arrives: "acme.eu.auth0.com/api/v2/users" },
  },
  {
    slug: "servicenow",
    parameters: { instance: "acme" },
    authorize: "https://acme.service-now.com/oauth_auth.do",
    token: "acme.service-now.com/oauth_token.do",
    learned: {},
    request: { path: "/table/incident", arrives: "acme.service-now.com/api/now/table/incident" },
  },
  {
    slug: "outlook",
    parameters: { tenant: "contoso.onmicrosoft.com" },
    authorize: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
    token: "login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
    learned: {},
    request: { path: "/v1.0/me/messages", arrives: "graph.microsoft.com/v1.0/me/messages" },
  },
  {
    slug: "zoho-crm",
    parameters: { data_centre: "eu" },
    authorize: "https://accounts.zoho.eu/oauth/v2/auth",
    token: "accounts.zoho.eu/oauth/v2/token",
    learned: {},
    request: { path: "/crm/v8/Leads", arrives: "www.zohoapis.eu/crm/v8/Leads", header: ["authorization", "Zoho-oauthtoken at-1"] },
  },
  {
    slug: "intercom",
    parameters: { region: "eu" },
    authorize: "https://app.intercom.com/oauth",
    token: "api.intercom.io/auth/eagle/token",
    learned: {},
    request: { path: "/contacts", arrives: "api.eu.intercom.io/contacts" },
  },
  {
    slug: "quickbooks",
    parameters: { environment: "sandbox" },
    callback: { realmId: "9130347596837216" },
    authorize: "https://appcenter.intuit.com/connect/oauth2",
    token: "oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
    learned: { realm_id: "9130347596837216" },
    request: { path: "/v3/company/{{realm_id}}/query", arrives: "sandbox-quickbooks.api.intuit.com/v3/company/9130347596837216/query" },
  },
  {
    slug: "xero",
    authorize: "https://login.xero.com/identity/connect/authorize",
    token: "identity.xero.com/connect/token",
    answers: { "api.xero.com/connections": [{ tenantId: UUID_B, tenantName: "Acme Ltd" }] },
    learned: { tenant_id: UUID_B },
    request: { path: "/api.xro/2.0/Invoices", arrives: "api.xero.com/api.xro/2.0/Invoices", header: ["xero-tenant-id", UUID_B] },
  },
  {
    slug: "docusign",
    parameters: { environment: "developer" },
    authorize: "https://account-d.docusign.com/oauth/auth",
    token: "account-d.docusign.com/oauth/token",
    answers: {
      "account-d.docusign.com/oauth/userinfo": {
        sub: "u-1",
        email: "alice@acme.example",
        accounts: [
          { account_id: UUID_B, is_default: false, base_uri: "https://eu.docusign.net" },
          { account_id: UUID_A, is_default: true, base_uri: "https://demo.docusign.net" },
        ],
      },
    },
    learned: { account_id: UUID_A, base_uri: "https://demo.docusign.net" },
    identity: { id: "u-1", displayName: "alice@acme.example" },
    request: { path: "/envelopes", arrives: `demo.docusign.net/restapi/v2.1/accounts/${UUID_A}/envelopes` },
  },
  {
    slug: "pipedrive-oauth",
    authorize: "https://oauth.pipedrive.com/oauth/authorize",
    token: "oauth.pipedrive.com/oauth/token",
    tokenAnswer: { api_domain: "https://acme.pipedrive.com" },
    refreshAnswer: { api_domain: "https://acme-eu.pipedrive.com" },
    answers: { "acme.pipedrive.com/api/v1/users/me": { data: { id: 77, name: "Alice" } } },
    learned: { api_domain: "https://acme.pipedrive.com" },
    identity: { id: "77", displayName: "Alice" },
    request: { path: "/deals", arrives: "acme.pipedrive.com/api/v1/deals" },
    afterRefresh: { learned: { api_domain: "https://acme-eu.pipedrive.com" }, arrives: "acme-eu.pipedrive.com/api/v1/deals" },
  },
  {
    slug: "webflow",
    parameters: { region: "eu" },
    authorize: "https://eu.webflow.com/oauth/authorize",
    token: "api.eu.webflow.com/oauth/access_token",
    learned: {},
    request: { path: "/sites", arrives: "api.eu.webflow.com/v2/sites" },
  },
  {
    slug: "workday",
    parameters: { auth_host: "wd3.myworkday.com", services_host: "wd3-services1.myworkday.com", tenant: "acme" },
    authorize: "https://wd3.myworkday.com/acme/authorize",
    token: "wd3-services1.myworkday.com/ccx/oauth2/acme/token",
    learned: {},
    request: { path: "/workers", arrives: "wd3-services1.myworkday.com/ccx/api/v1/acme/workers" },
  },
  {
    slug: "notion",
    authorize: "https://api.notion.com/v1/oauth/authorize",
    token: "api.notion.com/v1/oauth/token",
    tokenAnswer: { workspace_id: UUID_A, workspace_name: "Acme HQ" },
    learned: { workspace_id: UUID_A, workspace_name: "Acme HQ" },
    request: { path: "/v1/search", arrives: "api.notion.com/v1/search" },
  },
];

/** One tenant key app, connected and used end to end. */
interface KeyCase {
  slug: string;
  parameters?: Record<string, string>;
  credentials: Record<string, string>;
  answers?: Record<string, unknown>;
  learned: Record<string, string>;
  request: { path: string; arrives: string };
}

const MAILCHIMP_KEY = `${"0123456789abcdef".repeat(2)}-us6`;
const KEY_CASES: KeyCase[] = [
  { slug: "freshdesk", parameters: { domain: "acme" }, credentials: { api_key: "fd-key-123" }, learned: {}, request: { path: "/tickets", arrives: "acme.freshdesk.com/api/v2/tickets" } },
  {
    slug: "zendesk-api-token",
    parameters: { subdomain: "acme" },
    credentials: { email: "agent@acme.example", api_token: "zd-token-123" },
    learned: {},
    request: { path: "/tickets.json", arrives: "acme.zendesk.com/api/v2/tickets.json" },
  },
  { slug: "mailchimp-api-key", credentials: { api_key: MAILCHIMP_KEY }, learned: { dc: "us6" }, request: { path: "/lists", arrives: "us6.api.mailchimp.com/3.0/lists" } },
  { slug: "okta-api-token", parameters: { okta_domain: "acme.oktapreview.com" }, credentials: { api_token: "00abc-okta" }, learned: {}, request: { path: "/users", arrives: "acme.oktapreview.com/api/v1/users" } },
  {
    slug: "servicenow-basic",
    parameters: { instance: "acme" },
    credentials: { username: "integration", password: "sn-pass-123" },
    learned: {},
    request: { path: "/table/incident", arrives: "acme.service-now.com/api/now/table/incident" },
  },
  {
    slug: "twilio",
    parameters: { region: "ie1" },
    credentials: { account_sid: `AC${"0".repeat(32)}`, auth_token: "tw-token-123" },
    learned: {},
    request: { path: "/2010-04-01/Accounts.json", arrives: "api.dublin.ie1.twilio.com/2010-04-01/Accounts.json" },
  },
  { slug: "sendgrid", parameters: { region: "eu" }, credentials: { api_key: "SG.key-123" }, learned: {}, request: { path: "/v3/mail/send", arrives: "api.eu.sendgrid.com/v3/mail/send" } },
  { slug: "mailgun", parameters: { region: "eu" }, credentials: { api_key: "mg-key-123" }, learned: {}, request: { path: "/v3/domains", arrives: "api.eu.mailgun.net/v3/domains" } },
  {
    slug: "workday-isu",
    parameters: { services_host: "wd5-services1.myworkday.com", tenant: "acme" },
    credentials: { username: "isu_reports", password: "wd-pass-123" },
    learned: {},
    request: { path: "/service/customreport2/acme/isu/Workers?format=json", arrives: "wd5-services1.myworkday.com/ccx/service/customreport2/acme/isu/Workers?format=json" },
  },
];

const catalog = loadAppCatalog();
const TESTED = [...new Set([...OAUTH_CASES.map((c) => c.slug), ...KEY_CASES.map((c) => c.slug)])];

let service: TestService;
let provider: FakeApp;
/** JSON answers by host and path; tokens numbered per code exchange and refresh. */
let answers: Record<string, unknown> = {};
let tokenAnswer: Record<string, unknown> = {};
let refreshAnswer: Record<string, unknown> = {};
let tokens = 0;

const where = (request: ReceivedRequest) => `${String(request.headers["x-forwarded-host"])}${request.url}`;
const pathOf = (request: ReceivedRequest) => `${String(request.headers["x-forwarded-host"])}${request.url.split("?")[0]}`;

beforeAll(async () => {
  provider = await new FakeApp((request) => {
    const key = pathOf(request);
    if (request.method === "POST" && /grant_type=(authorization_code|refresh_token)/.test(request.body)) {
      tokens += 1;
      const refresh = request.body.includes("grant_type=refresh_token");
      return {
        status: 200,
        body: { access_token: `at-${tokens}`, refresh_token: `rt-${tokens}`, token_type: "Bearer", expires_in: 3600, ...(refresh ? refreshAnswer : tokenAnswer) },
      };
    }
    if (key in answers) return { status: 200, body: answers[key] };
    return { status: 200, body: { ok: true } };
  }).start();
  // Every host of the tested apps dials the stand-in.
  const hosts = new Set(TESTED.flatMap((slug) => catalog.bySlug(slug)!.hosts ?? []));
  const port = await freePort();
  service = await startTestService({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    APP_HOST_OVERRIDES: JSON.stringify(Object.fromEntries([...hosts].map((host) => [host, provider.url]))),
    OAUTH_CLIENTS: JSON.stringify(Object.fromEntries(OAUTH_CASES.map((c) => [c.slug, { clientId: `client-${c.slug}`, clientSecret: CLIENT_SECRET }]))),
    REFRESHER_INTERVAL_MS: "0",
    PROVIDER_TIMEOUT_MS: "2000",
  });
});
afterAll(async () => {
  await service?.close();
  await provider?.stop();
});

const accounts = () => service.dataSource.getRepository(AccountEntity);
const valuesOf = (pairs: ReadonlyArray<{ name: string; value: string }>) => Object.fromEntries(pairs.map((p) => [p.name, p.value]));
const pairsOf = (values: Record<string, string> = {}) => Object.entries(values).map(([name, value]) => ({ name, value }));

function reset(c: { answers?: Record<string, unknown>; tokenAnswer?: Record<string, unknown>; refreshAnswer?: Record<string, unknown> }) {
  answers = c.answers ?? {};
  tokenAnswer = c.tokenAnswer ?? {};
  refreshAnswer = c.refreshAnswer ?? {};
  tokens = 0;
  provider.requests.length = 0;
}

/** The browser's part: the start URL, the provider's redirect back with a code (its consent page is not the point here). */
async function connectInBrowser(authorizationUrl: string, callback: Record<string, string> = {}) {
  const start = await browserGet(authorizationUrl);
  const location = start.headers.get("location");
  if (start.status !== 302 || !location) return { authorize: null, result: (await readCallback(start)).result };
  const authorize = new URL(location);
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const back = new URL(`${service.baseUrl}/oauth/callback`);
  back.searchParams.set("code", "code-1");
  back.searchParams.set("state", authorize.searchParams.get("state") ?? "");
  for (const [name, value] of Object.entries(callback)) back.searchParams.set(name, value);
  const result = (await readCallback(await browserGet(back.href, cookie))).result;
  return { authorize, result };
}

async function startConnect(team: Team, slug: string, parameters?: Record<string, string>) {
  return service.call(team.member.userId, StartOAuthConnectDocument, { input: { workspaceId: team.workspace.id, appSlug: slug, parameters: parameters ? pairsOf(parameters) : null } });
}

async function sendThrough(team: Team, accountId: string, path: string, headers?: Record<string, string>) {
  return service.call(team.member.userId, SendAccountRequestDocument, { input: { accountId, method: "GET", path, headers: headers ?? null } });
}

describe("tenant OAuth apps, end to end against a loopback stand-in", () => {
  it.each(OAUTH_CASES.map((c) => [`${c.slug}${c.parameters ? ` ${JSON.stringify(c.parameters)}` : ""}`, c] as const))("%s: parameter, URLs, learned values, requests and refresh", async (_name, c) => {
    const team = await buildTeam(service);
    reset(c);
    const started = dataOf(await startConnect(team, c.slug, c.parameters)).startOAuthConnect;
    const { authorize, result } = await connectInBrowser(started.authorizationUrl, c.callback);
    expect(result).toMatchObject({ status: "success" });
    expect(`${authorize!.origin}${authorize!.pathname}`).toBe(c.authorize);
    expect(authorize!.searchParams.get("client_id")).toBe(`client-${c.slug}`);

    // The code went to the tenant's token endpoint, with the app's extra token parameters.
    const exchange = provider.requests.find((r) => r.method === "POST" && r.body.includes("grant_type=authorization_code"))!;
    expect(pathOf(exchange)).toBe(c.token);
    const extra = catalog.bySlug(c.slug)!.oauth!.extraTokenParams ?? {};
    for (const [name, value] of Object.entries(extra)) expect(new URLSearchParams(exchange.body).get(name)).toBe(value);
    // Nothing was sent anywhere but the app's own hosts.
    const hosts = catalog.bySlug(c.slug)!.hosts ?? [];
    for (const request of provider.requests) expect(hosts.some((h) => (h.startsWith("*.") ? String(request.headers["x-forwarded-host"]).endsWith(h.slice(1)) : request.headers["x-forwarded-host"] === h))).toBe(true);

    const accountId = result!.accountId!;
    const account = dataOf(await service.call(team.member.userId, AccountDocument, { id: accountId })).account;
    expect(valuesOf(account.parameters)).toEqual(expect.objectContaining(c.parameters ?? {}));
    expect(valuesOf(account.learnedValues)).toEqual(c.learned);
    if (c.identity) expect(account.externalIdentity).toEqual(c.identity);

    provider.requests.length = 0;
    const sent = dataOf(await sendThrough(team, accountId, c.request.path)).sendAccountRequest;
    expect(sent.status).toBe(200);
    expect(provider.requests.map(where)).toEqual([c.request.arrives]);
    if (c.request.header) expect(provider.requests[0]!.headers[c.request.header[0]]).toBe(c.request.header[1]);

    // A refresh goes to the same tenant's token endpoint, and what it says anew is learned.
    await accounts().update({ id: accountId }, { expiresAt: new Date(Date.now() - 60_000), nextRefreshAt: new Date(Date.now() - 60_000) });
    provider.requests.length = 0;
    await service.services.tokens.getAccessToken(accountId);
    const refresh = provider.requests.find((r) => r.body.includes("grant_type=refresh_token"))!;
    expect(pathOf(refresh)).toBe(c.token);
    const after = c.afterRefresh ?? { learned: c.learned, arrives: c.request.arrives };
    expect(valuesOf(dataOf(await service.call(team.member.userId, AccountDocument, { id: accountId })).account.learnedValues)).toEqual(after.learned);
    provider.requests.length = 0;
    dataOf(await sendThrough(team, accountId, c.request.path));
    expect(provider.requests.map(where)).toEqual([after.arrives]);
  });

  it("keeps the account's parameters on a reconnect, and refuses new ones", async () => {
    const team = await buildTeam(service);
    reset({});
    const started = dataOf(await startConnect(team, "zendesk", { subdomain: "acme" })).startOAuthConnect;
    const { result } = await connectInBrowser(started.authorizationUrl);
    const accountId = result!.accountId!;
    const again = dataOf(await service.call(team.member.userId, StartOAuthReconnectDocument, { input: { accountId } })).startOAuthReconnect;
    const { authorize } = await connectInBrowser(again.authorizationUrl);
    expect(authorize!.host).toBe("acme.zendesk.com");
    const refused = await service.call(team.member.userId, `mutation ($input: StartOAuthReconnectInput!) { startOAuthReconnect(input: $input) { authorizationUrl } }`, {
      input: { accountId, parameters: [{ name: "subdomain", value: "other" }] },
    });
    expect(codesOf(refused)).toEqual(["BAD_USER_INPUT"]);
  });

  it("lets a request send its own value of a header made of connection values (another Xero organisation), never its own credentials", async () => {
    const team = await buildTeam(service);
    const xero = OAUTH_CASES.find((c) => c.slug === "xero")!;
    reset(xero);
    const { result } = await connectInBrowser(dataOf(await startConnect(team, "xero")).startOAuthConnect.authorizationUrl);
    provider.requests.length = 0;
    dataOf(await sendThrough(team, result!.accountId!, "/api.xro/2.0/Invoices", { "xero-tenant-id": UUID_A, authorization: "Bearer stolen" }));
    expect(provider.requests[0]!.headers["xero-tenant-id"]).toBe(UUID_A);
    expect(provider.requests[0]!.headers.authorization).toBe("Bearer at-" + String(tokens));
  });
});

describe("tenant key apps, end to end", () => {
  it.each(KEY_CASES.map((c) => [c.slug, c] as const))("%s: parameters and learned values on the account, requests on the tenant's host", async (_name, c) => {
    const team = await buildTeam(service);
    reset(c);
    const connected = await service.call(team.member.userId, ConnectKeyAccountDocument, {
      input: { workspaceId: team.workspace.id, appSlug: c.slug, parameters: pairsOf(c.parameters), credentials: pairsOf(c.credentials), verify: true },
    });
    const account = dataOf(await service.call(team.member.userId, AccountDocument, { id: dataOf(connected).connectKeyAccount.id })).account;
    expect(valuesOf(account.parameters)).toEqual(expect.objectContaining(c.parameters ?? {}));
    expect(valuesOf(account.learnedValues)).toEqual(c.learned);
    // The credential check went to the tenant's host too (where the app has one).
    const base = c.request.arrives.split("/")[0]!;
    for (const request of provider.requests) expect(request.headers["x-forwarded-host"]).toBe(base);
    provider.requests.length = 0;
    dataOf(await sendThrough(team, account.id, c.request.path));
    expect(provider.requests.map(where)).toEqual([c.request.arrives]);
    // The learned value is the key's suffix, never the key.
    expect(JSON.stringify(account.learnedValues)).not.toContain(Object.values(c.credentials).find((v) => v.length > 20) ?? "\u0000");
  });

  it("runs a step's request through a tenant account on the tenant's host", async () => {
    const team = await buildTeam(service);
    reset({});
    const account = dataOf(await service.call(team.member.userId, ConnectKeyAccountDocument, {
      input: { workspaceId: team.workspace.id, appSlug: "freshdesk", parameters: [{ name: "domain", value: "acme" }], credentials: [{ name: "api_key", value: "fd-key-123" }], verify: false },
    })).connectKeyAccount;
    const flow = dataOf(await service.call(team.member.userId, CreateWorkflowDocument, { workspaceId: team.workspace.id, name: "Tickets" })).createWorkflow;
    const step = dataOf(await service.call(team.member.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "freshdesk", accountId: account.id, http: { method: "GET", path: "/tickets" } },
    })).addStep;
    provider.requests.length = 0;
    const run = dataOf(await service.call(team.member.userId, TestStepDocument, { stepId: step.id })).testStep;
    expect(run.status).toBe("SUCCESS");
    expect(provider.requests.map(where)).toEqual(["acme.freshdesk.com/api/v2/tickets"]);
  });

  it("describes parameters and learned values in the catalog API", async () => {
    const team = await buildTeam(service);
    const shopify = dataOf(await service.call(team.member.userId, AppDocument, { slug: "shopify" })).app!;
    expect(shopify.hosts).toEqual(["*.myshopify.com"]);
    expect(shopify.parameters).toEqual([expect.objectContaining({ name: "shop", optional: false, example: "acme-store.myshopify.com", choices: null })]);
    const mailgun = dataOf(await service.call(team.member.userId, AppDocument, { slug: "mailgun" })).app!;
    expect(mailgun.parameters[0]!.choices!.map((c) => c.value)).toEqual(["us", "eu"]);
    expect(mailgun.parameters[0]!.default).toBe("us");
    const mailchimp = dataOf(await service.call(team.member.userId, AppDocument, { slug: "mailchimp" })).app!;
    expect(mailchimp.learnedValues).toEqual([{ name: "dc", label: "Data centre" }]);
  });
});

/** Values that would take a connection off the app's hosts, each in the form a parameter takes. */
function badValues(example: string, inPath: boolean): string[] {
  const label = example.split(".")[0]!;
  return [
    `evil.com#.${example}`,
    // A domain is a fine value in a path segment (Microsoft's tenant: contoso.onmicrosoft.com).
    ...(inPath ? [] : [`${example}.evil.com`]),
    `evil.com/${example}`,
    `user@${example}`,
    `${example}:8443`,
    `${example}?x=1`,
    "127.0.0.1",
    "[::1]",
    `${label.replace(/^./, "а")}${example.slice(label.length)}`, // a Cyrillic "а" looks like "a"
    `${example.replace(label, "xn--80ak6aa92e")}`, // an IDN look-alike, spelled in punycode
    `%2e%2e`,
    `${label}/../evil`,
    `${label}\\evil`,
    "",
  ];
}

const FREE_PARAMETERS = TESTED.flatMap((slug) => (catalog.bySlug(slug)!.parameters ?? []).filter((p) => !p.values).map((p) => ({ slug, parameter: p })));

describe("values that would leave an app's hosts are refused", () => {
  it.each(FREE_PARAMETERS.map((f) => [`${f.slug}.${f.parameter.name}`, f] as const))("%s: every look-alike, path, userinfo, port, IP and IDN refused before anything is sent", async (_name, { slug, parameter }) => {
    const team = await buildTeam(service);
    reset({});
    const app = catalog.bySlug(slug)!;
    const others = Object.fromEntries((app.parameters ?? []).filter((p) => p.name !== parameter.name).map((p) => [p.name, p.example]));
    // This workspace's flows only: on the shared MariaDB test database other files start flows too.
    const flowsOf = () => service.dataSource.getRepository(OAuthFlowEntity).countBy({ workspaceId: team.workspace.id });
    const flows = await flowsOf();
    const inPath = [app.apiBaseUrl, app.oauth?.authorizationUrl ?? ""].every((url) => !new RegExp(`//[^/]*\\{\\{${parameter.name}\\}\\}`).test(url));
    for (const value of badValues(parameter.example, inPath)) {
      const parameters = pairsOf({ ...others, [parameter.name]: value });
      const result =
        app.authType === "OAUTH2"
          ? await startConnect(team, slug, { ...others, [parameter.name]: value })
          : await service.call(team.member.userId, ConnectKeyAccountDocument, {
              input: { workspaceId: team.workspace.id, appSlug: slug, parameters, credentials: pairsOf(Object.fromEntries(app.fields.map((f) => [f.name, f.pattern ? MAILCHIMP_KEY : "value-123"]))), verify: true },
            });
      expect([value, codesOf(result)]).toEqual([value, ["BAD_USER_INPUT"]]);
      // The message names the parameter and never shows the value.
      if (value.length > 3) expect(JSON.stringify(result.errors)).not.toContain(value);
    }
    expect(provider.requests).toEqual([]);
    expect(await accounts().countBy({ workspaceId: team.workspace.id })).toBe(0);
    expect(await flowsOf()).toBe(flows);
  });

  const EVIL_URLS = [
    "https://evil.com#.salesforce.com",
    "https://acme.my.salesforce.com.evil.com",
    "https://evil.com/acme.my.salesforce.com",
    "https://user@acme.my.salesforce.com",
    "https://acme.my.salesforce.com:8443",
    "https://127.0.0.1",
    "https://xn--acme-9ua.my.salesforce.com",
    "http://acme.my.salesforce.com",
    "https://acme.my.salesforce.com/../../evil",
  ];

  it("a learned URL off the app's hosts fails the connect with nothing stored, and a refresh keeps the value it had", async () => {
    const team = await buildTeam(service);
    const salesforce = OAUTH_CASES[0]!;
    for (const evil of EVIL_URLS) {
      reset({ ...salesforce, tokenAnswer: { ...salesforce.tokenAnswer, instance_url: evil } });
      const { result } = await connectInBrowser(dataOf(await startConnect(team, "salesforce")).startOAuthConnect.authorizationUrl);
      expect([evil, result?.status, result?.error]).toEqual([evil, "error", "PROVIDER_ERROR"]);
      expect(JSON.stringify(result)).not.toContain(evil);
    }
    expect(await accounts().countBy({ workspaceId: team.workspace.id })).toBe(0);

    reset(salesforce);
    const { result } = await connectInBrowser(dataOf(await startConnect(team, "salesforce")).startOAuthConnect.authorizationUrl);
    const accountId = result!.accountId!;
    for (const evil of EVIL_URLS) {
      reset({ ...salesforce, refreshAnswer: { instance_url: evil } });
      await accounts().update({ id: accountId }, { expiresAt: new Date(Date.now() - 60_000), nextRefreshAt: new Date(Date.now() - 60_000) });
      await service.services.tokens.getAccessToken(accountId);
      provider.requests.length = 0;
      dataOf(await sendThrough(team, accountId, "/services/data"));
      expect([evil, provider.requests.map(where)]).toEqual([evil, ["acme.my.salesforce.com/services/data"]]);
    }
  });

  it("a learned value from a follow-up call off its pattern fails the connect (Mailchimp's data centre, a DocuSign base URI)", async () => {
    const team = await buildTeam(service);
    for (const dc of ["evil.com#", "us1.evil", "us1/..", "", "US1 "]) {
      reset({ answers: { "login.mailchimp.com/oauth2/metadata": { dc } } });
      const { result } = await connectInBrowser(dataOf(await startConnect(team, "mailchimp")).startOAuthConnect.authorizationUrl);
      expect([dc, result?.error]).toEqual([dc, "PROVIDER_ERROR"]);
    }
    reset({ answers: { "account.docusign.com/oauth/userinfo": { accounts: [{ account_id: UUID_A, is_default: true, base_uri: "https://demo.docusign.net.evil.com" }] } } });
    const { result } = await connectInBrowser(dataOf(await startConnect(team, "docusign")).startOAuthConnect.authorizationUrl);
    expect(result?.error).toBe("PROVIDER_ERROR");
    expect(provider.requests.some((r) => String(r.headers["x-forwarded-host"]).includes("evil"))).toBe(false);
    expect(await accounts().countBy({ workspaceId: team.workspace.id })).toBe(0);
  });

  it("a callback value off its pattern (QuickBooks' realmId) fails the connect", async () => {
    const team = await buildTeam(service);
    for (const realmId of ["1/../2", "123?x=1", "abc", ""]) {
      reset({});
      const { result } = await connectInBrowser(dataOf(await startConnect(team, "quickbooks")).startOAuthConnect.authorizationUrl, { realmId });
      expect([realmId, result?.error]).toEqual([realmId, "PROVIDER_ERROR"]);
    }
    expect(await accounts().countBy({ workspaceId: team.workspace.id })).toBe(0);
  });

  it("a stored value that no longer passes (a row changed behind the service's back) is refused at use, for requests and steps alike", async () => {
    const team = await buildTeam(service);
    reset({});
    const account = dataOf(await service.call(team.member.userId, ConnectKeyAccountDocument, {
      input: { workspaceId: team.workspace.id, appSlug: "zendesk-api-token", parameters: [{ name: "subdomain", value: "acme" }], credentials: pairsOf({ email: "a@acme.example", api_token: "zd-token-123" }), verify: false },
    })).connectKeyAccount;
    const flow = dataOf(await service.call(team.member.userId, CreateWorkflowDocument, { workspaceId: team.workspace.id, name: "Tickets" })).createWorkflow;
    const step = dataOf(await service.call(team.member.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "zendesk-api-token", accountId: account.id, http: { method: "GET", path: "/tickets.json" } },
    })).addStep;
    for (const subdomain of ["evil.com#", "evil.com/x", "a@evil.com", "xn--80ak6aa92e"]) {
      await accounts().update({ id: account.id }, { connection: JSON.stringify({ parameters: { subdomain }, learned: {} }) });
      provider.requests.length = 0;
      expect([subdomain, codesOf(await sendThrough(team, account.id, "/tickets.json"))]).toEqual([subdomain, ["BAD_USER_INPUT"]]);
      const run = dataOf(await service.call(team.member.userId, TestStepDocument, { stepId: step.id })).testStep;
      expect([subdomain, run.status]).toEqual([subdomain, "ERROR"]);
      expect(provider.requests).toEqual([]);
    }
  });

  it("an import brings learned values only if each passes as if learned now", async () => {
    const team = await buildTeam(service);
    const importOne = (learned: Record<string, string>) =>
      service.call(team.owner.userId, ImportLegacyAccountsDocument, {
        input: { workspaceId: team.workspace.id, accounts: [{ appSlug: "pipedrive-oauth", nickname: "Pipedrive", credentials: [{ name: "oauth_access_token", value: "at-legacy" }], learned: pairsOf(learned) }] },
      });
    for (const api_domain of ["https://evil.com#.pipedrive.com", "https://acme.pipedrive.com.evil.com", "https://a@acme.pipedrive.com", "http://acme.pipedrive.com"]) {
      expect([api_domain, codesOf(await importOne({ api_domain }))]).toEqual([api_domain, ["BAD_USER_INPUT"]]);
    }
    expect(codesOf(await importOne({}))).toEqual(["BAD_USER_INPUT"]);
    expect(await accounts().countBy({ workspaceId: team.workspace.id })).toBe(0);
    const imported = dataOf(await importOne({ api_domain: "https://acme.pipedrive.com" })).importLegacyAccounts[0]!;
    const account = dataOf(await service.call(team.owner.userId, AccountDocument, { id: imported.id })).account;
    expect(valuesOf(account.learnedValues)).toEqual({ api_domain: "https://acme.pipedrive.com" });
  });
});
