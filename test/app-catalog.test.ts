import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  createAppCatalog,
  findCatalogDir,
  findDuplicateSlugs,
  loadAppCatalog,
  readCatalogApps,
  validateAppDefinition,
} from "../src/modules/apps/app-catalog";
import type { AppDefinition } from "../src/modules/apps/app-definition";
import { checkParameters, connectionUrls, type ConnectionUrls } from "../src/modules/apps/app-connection";

// Checks every entry of the shipped catalog with rules written out here (independently of the
// loader's own validation), spot-checks well-known entries by value, and makes sure the validator
// and the loader refuse broken definitions.

const catalog = loadAppCatalog();
const apps = catalog.all;
const KNOWN_AUTH_TYPES = ["OAUTH2", "KEYS", "BASIC", "NONE"];
const ANY_PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Every `{{...}}` name a template string uses. */
const placeholdersIn = (template: string): string[] => [...template.matchAll(ANY_PLACEHOLDER)].map((m) => m[1]!);

/** Every template of an app: header and query values, HTTP Basic parts, the test request path. */
function templatesOf(app: AppDefinition): { where: string; value: string }[] {
  const templates: { where: string; value: string }[] = [];
  for (const [name, value] of Object.entries(app.auth.headers ?? {})) templates.push({ where: `header ${name}`, value });
  for (const [name, value] of Object.entries(app.auth.query ?? {})) templates.push({ where: `query ${name}`, value });
  if (app.auth.basic) {
    templates.push({ where: "basic username", value: app.auth.basic.username });
    templates.push({ where: "basic password", value: app.auth.basic.password });
  }
  if (app.testRequest) templates.push({ where: "test request path", value: app.testRequest.path });
  return templates;
}

/** Every URL an app declares, named. */
function urlsOf(app: AppDefinition): [string, string][] {
  const urls: [string, string][] = [["apiBaseUrl", app.apiBaseUrl]];
  if (app.homepageUrl) urls.push(["homepageUrl", app.homepageUrl]);
  if (app.oauth) {
    urls.push(["authorizationUrl", app.oauth.authorizationUrl], ["tokenUrl", app.oauth.tokenUrl]);
    if (app.oauth.refreshUrl) urls.push(["refreshUrl", app.oauth.refreshUrl]);
    if (app.oauth.revocationUrl) urls.push(["revocationUrl", app.oauth.revocationUrl]);
    if (app.oauth.identity) urls.push(["identity url", app.oauth.identity.url]);
  }
  return urls;
}

/** Every URL an app may fetch, learned-value requests included. */
function fetchedUrlsOf(app: AppDefinition): [string, string][] {
  const urls = urlsOf(app).filter(([where]) => where !== "homepageUrl");
  for (const learned of app.learned ?? []) if (learned.request) urls.push([`learned ${learned.name} request`, learned.request.url]);
  return urls;
}

/** The names a connection gives an app's templates: parameters, what their choices set, learned values. */
function connectionNames(app: AppDefinition): string[] {
  return [
    ...(app.parameters ?? []).flatMap((p) => [p.name, ...Object.keys(p.values?.[0]?.set ?? {})]),
    ...(app.learned ?? []).map((l) => l.name),
  ];
}

/**
 * The value sets an app's templates are filled with here: its examples (a credential-learned
 * value is the part its pattern captures), then each other choice of every closed list.
 */
function connectionVariants(app: AppDefinition): Record<string, string>[] {
  const examples: Record<string, string> = {};
  for (const p of app.parameters ?? []) {
    examples[p.name] = p.example;
    Object.assign(examples, p.values?.find((v) => v.value === p.example)?.set ?? {});
  }
  for (const l of app.learned ?? []) examples[l.name] = l.from === "credential" ? new RegExp(l.pattern).exec(l.example)![1]! : l.example;
  const variants = [examples];
  for (const p of app.parameters ?? []) {
    for (const choice of p.values ?? []) if (choice.value !== p.example) variants.push({ ...examples, [p.name]: choice.value, ...choice.set });
  }
  return variants;
}

const fill = (template: string, values: Record<string, string>): string => template.replace(ANY_PLACEHOLDER, (whole, name: string) => values[name.trim()] ?? whole);

/** Whether a host is one of an app's host patterns (`*.` is one or more whole labels). */
const onHosts = (host: string, patterns: string[]): boolean =>
  patterns.some((pattern) => (pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern));

/** An app's URLs for a connection with these parameters (checked, defaults applied) and learned values. */
function urlsFor(slug: string, parameters: Record<string, string> = {}, learned: Record<string, string> = {}): ConnectionUrls {
  const app = catalog.bySlug(slug)!;
  const given = Object.entries(parameters).map(([name, value]) => ({ name, value }));
  return connectionUrls(app, { parameters: checkParameters(app, given), learned });
}

const isHttpsUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname.includes(".") && !/[[\]{}]/.test(value);
  } catch {
    return false;
  }
};

/** A valid KEYS definition to break in the validator tests. */
const validKeyApp = (): AppDefinition => ({
  slug: "example-keys",
  name: "Example",
  description: "An example key-based app.",
  authType: "KEYS",
  categories: ["developer-tools"],
  apiBaseUrl: "https://api.example.com/v1",
  fields: [{ name: "api_key", label: "API key", secret: true, pattern: "^ex_" }],
  auth: { headers: { Authorization: "Bearer {{api_key}}" } },
  testRequest: { method: "GET", path: "/me", identity: { idField: "id", nameField: "email" } },
});

/** A valid OAUTH2 definition to break in the validator tests. */
const validOAuthApp = (): AppDefinition => ({
  slug: "example-oauth",
  name: "Example OAuth",
  description: "An example OAuth app.",
  authType: "OAUTH2",
  categories: ["productivity"],
  apiBaseUrl: "https://api.example.com",
  oauth: {
    authorizationUrl: "https://example.com/oauth/authorize",
    tokenUrl: "https://example.com/oauth/token",
    defaultScopes: ["read"],
    scopeSeparator: " ",
    pkce: true,
    tokenAuthMethod: "client_secret_post",
    identity: { url: "https://api.example.com/me", idField: "id" },
    refreshable: true,
  },
  fields: [],
  auth: { headers: { Authorization: "Bearer {{oauth_access_token}}" } },
});

describe("the shipped app catalog", () => {
  it("has at least 200 apps: at least 100 OAUTH2 and 60 KEYS, and some BASIC and NONE", () => {
    const count = (type: string) => apps.filter((app) => app.authType === type).length;
    expect(apps.length).toBeGreaterThanOrEqual(200);
    expect(count("OAUTH2")).toBeGreaterThanOrEqual(100);
    expect(count("KEYS")).toBeGreaterThanOrEqual(60);
    expect(count("BASIC")).toBeGreaterThanOrEqual(1);
    expect(count("NONE")).toBeGreaterThanOrEqual(1);
  });

  it("has unique, well-formed slugs", () => {
    const slugs = apps.map((app) => app.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });

  it("is sorted by name (case-insensitive) then slug, and finds every app by slug", () => {
    const key = (app: AppDefinition) => [app.name.toLowerCase(), app.slug] as const;
    for (let i = 1; i < apps.length; i++) {
      const [nameA, slugA] = key(apps[i - 1]!);
      const [nameB, slugB] = key(apps[i]!);
      expect(nameA < nameB || (nameA === nameB && slugA < slugB)).toBe(true);
    }
    for (const app of apps) expect(catalog.bySlug(app.slug)).toBe(app);
    expect(catalog.bySlug("no-such-app")).toBeUndefined();
  });

  it("is loaded once per process and cannot be changed", () => {
    expect(loadAppCatalog()).toBe(catalog);
    expect(Object.isFrozen(catalog.all)).toBe(true);
    expect(Object.isFrozen(catalog.bySlug("github")!.oauth!.defaultScopes)).toBe(true);
  });

  describe.each(apps.map((app) => [app.slug, app] as const))("%s", (_slug, app) => {
    it("passes the loader's own validation", () => {
      expect(validateAppDefinition(app)).toEqual([]);
    });

    it("has a name, a description, categories and a known auth type", () => {
      expect(app.name.trim()).not.toBe("");
      expect(app.description.trim()).not.toBe("");
      expect(app.categories.length).toBeGreaterThan(0);
      expect(KNOWN_AUTH_TYPES).toContain(app.authType);
    });

    it("uses only https URLs, and an API base URL without a trailing slash", () => {
      for (const values of connectionVariants(app)) {
        for (const [where, template] of [...urlsOf(app), ...fetchedUrlsOf(app)]) {
          const url = fill(template, values);
          expect({ where, url, https: isHttpsUrl(url) }).toEqual({ where, url, https: true });
        }
      }
      expect(app.apiBaseUrl.endsWith("/")).toBe(false);
    });

    it("builds every URL it fetches from connection values on its own hosts, with nothing left unfilled", () => {
      const templated = fetchedUrlsOf(app).filter(([, url]) => placeholdersIn(url).length > 0);
      if (templated.length > 0) expect(app.hosts?.length).toBeGreaterThan(0);
      for (const values of connectionVariants(app)) {
        for (const [where, template] of fetchedUrlsOf(app)) {
          const url = fill(template, values);
          expect({ where, url, unfilled: placeholdersIn(url) }).toEqual({ where, url, unfilled: [] });
          if (app.hosts) expect({ where, url, onHosts: onHosts(new URL(url).hostname, app.hosts) }).toEqual({ where, url, onHosts: true });
        }
      }
    });

    it("declares connection parameters and learned values strictly", () => {
      const names = connectionNames(app);
      expect(new Set([...names, ...app.fields.map((f) => f.name)]).size).toBe(names.length + app.fields.length);
      for (const p of app.parameters ?? []) {
        if (p.values) {
          expect(p.values.map((v) => v.value)).toContain(p.example);
          continue;
        }
        const pattern = new RegExp(p.pattern!);
        expect({ name: p.name, anchored: p.pattern!.startsWith("^") && p.pattern!.endsWith("$"), example: pattern.test(p.example) }).toEqual({ name: p.name, anchored: true, example: true });
        // A value goes into URLs as it is: nothing that would change one passes.
        for (const bad of ["evil.com#", "a/b", "a?b", "a@b", "a:443", "a b", "a%2f", "a\\b", "..", ""]) {
          expect({ name: p.name, bad, accepted: pattern.test(bad) }).toEqual({ name: p.name, bad, accepted: false });
        }
      }
      for (const l of app.learned ?? []) {
        expect({ name: l.name, anchored: l.pattern.startsWith("^") && l.pattern.endsWith("$"), example: new RegExp(l.pattern).test(l.example) }).toEqual({ name: l.name, anchored: true, example: true });
        if (l.from === "token" || l.from === "callback") expect(app.authType).toBe("OAUTH2");
      }
    });

    it("describes its auth type: OAuth endpoints for OAUTH2, fields for KEYS and BASIC", () => {
      if (app.authType === "OAUTH2") {
        expect(app.oauth).toBeDefined();
        expect(app.oauth!.scopeSeparator.length).toBeGreaterThan(0);
        expect(["client_secret_post", "client_secret_basic"]).toContain(app.oauth!.tokenAuthMethod);
        expect(typeof app.oauth!.pkce).toBe("boolean");
        expect(typeof app.oauth!.refreshable).toBe("boolean");
      } else {
        expect(app.oauth).toBeUndefined();
      }
      if (app.authType === "KEYS" || app.authType === "BASIC") expect(app.fields.length).toBeGreaterThanOrEqual(1);
      if (app.authType === "BASIC") expect(app.auth.basic).toBeDefined();
      if (app.authType === "NONE") expect(templatesOf(app).flatMap((t) => placeholdersIn(t.value))).toEqual([]);
    });

    it("declares well-formed fields with compiling patterns", () => {
      const names = app.fields.map((field) => field.name);
      expect(new Set(names).size).toBe(names.length);
      for (const field of app.fields) {
        expect(field.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(field.label.trim()).not.toBe("");
        expect(typeof field.secret).toBe("boolean");
        if (field.pattern !== undefined) expect(() => new RegExp(field.pattern!)).not.toThrow();
      }
    });

    it("only references declared fields in its templates", () => {
      const declared = new Set([...app.fields.map((field) => field.name), ...connectionNames(app)]);
      if (app.authType === "OAUTH2") declared.add("oauth_access_token");
      for (const { where, value } of templatesOf(app)) {
        for (const name of placeholdersIn(value)) {
          expect({ where, name, declared: declared.has(name) }).toEqual({ where, name, declared: true });
        }
      }
      if (app.authType === "OAUTH2") {
        expect(templatesOf(app).some((t) => placeholdersIn(t.value).includes("oauth_access_token"))).toBe(true);
      }
    });

    it("has a test request relative to the API base URL, if any", () => {
      if (!app.testRequest) return;
      expect(["GET", "POST"]).toContain(app.testRequest.method);
      expect(app.testRequest.path.startsWith("/")).toBe(true);
      if (app.testRequest.identity) expect(app.testRequest.identity.idField).not.toBe("");
    });
  });
});

describe("well-known entries", () => {
  it("GitHub: OAuth endpoints, API base and identity", () => {
    const github = catalog.bySlug("github")!;
    expect(github.authType).toBe("OAUTH2");
    expect(github.apiBaseUrl).toBe("https://api.github.com");
    expect(github.oauth).toMatchObject({
      authorizationUrl: "https://github.com/login/oauth/authorize",
      tokenUrl: "https://github.com/login/oauth/access_token",
      identity: { url: "https://api.github.com/user", idField: "id", nameField: "login" },
    });
  });

  it("Slack: the v2 endpoints, not grant's legacy ones", () => {
    const slack = catalog.bySlug("slack")!;
    expect(slack.apiBaseUrl).toBe("https://slack.com/api");
    expect(slack.oauth).toMatchObject({
      authorizationUrl: "https://slack.com/oauth/v2/authorize",
      tokenUrl: "https://slack.com/api/oauth.v2.access",
      scopeSeparator: ",",
      identity: { url: "https://slack.com/api/auth.test", idField: "user_id", nameField: "user" },
    });
    expect(slack.dependentProps).toContain("channel");
  });

  it("Google: PKCE, offline access with consent, OpenID userinfo", () => {
    const google = catalog.bySlug("google")!;
    expect(google.apiBaseUrl).toBe("https://www.googleapis.com");
    expect(google.oauth).toMatchObject({
      authorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth",
      tokenUrl: "https://oauth2.googleapis.com/token",
      pkce: true,
      refreshable: true,
      scopeSeparator: " ",
      extraAuthorizeParams: { access_type: "offline", prompt: "consent" },
      identity: { url: "https://openidconnect.googleapis.com/v1/userinfo", idField: "sub", nameField: "email" },
    });
    expect(catalog.bySlug("gmail")!.oauth!.tokenUrl).toBe("https://oauth2.googleapis.com/token");
  });

  it("SendGrid: a bearer API key against api.sendgrid.com, or the EU host", () => {
    const sendgrid = catalog.bySlug("sendgrid")!;
    expect(sendgrid.authType).toBe("KEYS");
    expect(urlsFor("sendgrid").apiBaseUrl).toBe("https://api.sendgrid.com");
    expect(urlsFor("sendgrid", { region: "eu" }).apiBaseUrl).toBe("https://api.eu.sendgrid.com");
    expect(sendgrid.auth.headers).toEqual({ Authorization: "Bearer {{api_key}}" });
    expect(sendgrid.fields).toEqual([expect.objectContaining({ name: "api_key", secret: true })]);
  });

  it("tenant apps: each URL from the member's parameters and the values learned at connect", () => {
    const salesforce = urlsFor("salesforce", {}, { instance_url: "https://acme.my.salesforce.com", identity_url: "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA" });
    expect(salesforce.oauth!.authorizationUrl).toBe("https://login.salesforce.com/services/oauth2/authorize");
    expect(salesforce.apiBaseUrl).toBe("https://acme.my.salesforce.com");
    expect(urlsFor("salesforce", { login_host: "test.salesforce.com" }, { instance_url: "https://acme--dev.sandbox.my.salesforce.com", identity_url: "https://test.salesforce.com/id/00D000000000001AAA/005000000000001AAA" }).oauth!.tokenUrl).toBe("https://test.salesforce.com/services/oauth2/token");
    const shopify = urlsFor("shopify", { shop: "acme.myshopify.com" });
    expect(shopify.oauth!.tokenUrl).toBe("https://acme.myshopify.com/admin/oauth/access_token");
    expect(shopify.oauth!.extraTokenParams).toEqual({ expiring: "1" });
    expect(catalog.bySlug("shopify")!.auth.headers).toEqual({ "X-Shopify-Access-Token": "{{oauth_access_token}}" });
    expect(urlsFor("zendesk", { subdomain: "acme" }).apiBaseUrl).toBe("https://acme.zendesk.com/api/v2");
    expect(urlsFor("freshdesk", { domain: "acme" }).apiBaseUrl).toBe("https://acme.freshdesk.com/api/v2");
    expect(urlsFor("mailchimp", {}, { dc: "us21" }).apiBaseUrl).toBe("https://us21.api.mailchimp.com/3.0");
    expect(urlsFor("okta", { okta_domain: "acme.okta.com" }).oauth!.revocationUrl).toBe("https://acme.okta.com/oauth2/v1/revoke");
    expect(urlsFor("auth0", { auth0_domain: "acme.eu.auth0.com" }).oauth!.identity!.url).toBe("https://acme.eu.auth0.com/userinfo");
    expect(urlsFor("servicenow", { instance: "acme" }).apiBaseUrl).toBe("https://acme.service-now.com/api/now");
    expect(urlsFor("pipedrive-oauth", {}, { api_domain: "https://acme.pipedrive.com" }).apiBaseUrl).toBe("https://acme.pipedrive.com/api/v1");
    expect(urlsFor("docusign", { environment: "developer" }, { account_id: "1c1d3e2b-6f0a-4d2e-9b5f-3a7c8e9d0f1a", base_uri: "https://demo.docusign.net" }).apiBaseUrl).toBe(
      "https://demo.docusign.net/restapi/v2.1/accounts/1c1d3e2b-6f0a-4d2e-9b5f-3a7c8e9d0f1a",
    );
    expect(urlsFor("docusign", { environment: "developer" }, { account_id: "1c1d3e2b-6f0a-4d2e-9b5f-3a7c8e9d0f1a", base_uri: "https://demo.docusign.net" }).oauth!.tokenUrl).toBe("https://account-d.docusign.com/oauth/token");
  });

  it("regional apps: a closed list of regions, each with its own hosts, and the old host by default", () => {
    expect(urlsFor("microsoft").oauth!.authorizationUrl).toBe("https://login.microsoftonline.com/common/oauth2/v2.0/authorize");
    expect(urlsFor("outlook", { tenant: "contoso.onmicrosoft.com" }).oauth!.tokenUrl).toBe("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    expect(urlsFor("zoho-crm").oauth!.tokenUrl).toBe("https://accounts.zoho.com/oauth/v2/token");
    expect(urlsFor("zoho-crm", { data_centre: "eu" }).apiBaseUrl).toBe("https://www.zohoapis.eu");
    expect(urlsFor("zoho-crm", { data_centre: "ca" }).oauth!.authorizationUrl).toBe("https://accounts.zohocloud.ca/oauth/v2/auth");
    expect(urlsFor("twilio", { region: "ie1" }).apiBaseUrl).toBe("https://api.dublin.ie1.twilio.com");
    expect(urlsFor("mailgun", { region: "eu" }).apiBaseUrl).toBe("https://api.eu.mailgun.net");
    expect(urlsFor("intercom", { region: "au" }).apiBaseUrl).toBe("https://api.au.intercom.io");
    expect(urlsFor("webflow", { region: "eu" }).oauth!.authorizationUrl).toBe("https://eu.webflow.com/oauth/authorize");
    expect(urlsFor("quickbooks", { environment: "sandbox" }).apiBaseUrl).toBe("https://sandbox-quickbooks.api.intuit.com");
    expect(() => checkParameters(catalog.bySlug("zoho-crm")!, [{ name: "data_centre", value: "evil.com" }])).toThrow(/data_centre.*one of us, eu/);
  });

  it("Twilio: HTTP Basic with the account SID and auth token", () => {
    const twilio = catalog.bySlug("twilio")!;
    expect(twilio.authType).toBe("BASIC");
    expect(twilio.auth.basic).toEqual({ username: "{{account_sid}}", password: "{{auth_token}}" });
    expect(twilio.testRequest?.path).toBe("/2010-04-01/Accounts/{{account_sid}}.json");
  });

  it("Notion sends its API version; Stripe and Anthropic have the right bases and headers", () => {
    expect(catalog.bySlug("notion")!.auth.headers).toMatchObject({ "Notion-Version": "2022-06-28" });
    expect(catalog.bySlug("notion")!.apiBaseUrl).toBe("https://api.notion.com");
    expect(catalog.bySlug("stripe")!.apiBaseUrl).toBe("https://api.stripe.com");
    expect(catalog.bySlug("anthropic")!.auth.headers).toMatchObject({ "x-api-key": "{{api_key}}", "anthropic-version": "2023-06-01" });
  });

  it("takes endpoints from grant's seed where the overlay does not correct them", () => {
    expect(catalog.bySlug("bitbucket")!.oauth).toMatchObject({
      authorizationUrl: "https://bitbucket.org/site/oauth2/authorize",
      tokenUrl: "https://bitbucket.org/site/oauth2/access_token",
      identity: { url: "https://api.bitbucket.org/2.0/user" },
    });
    expect(catalog.bySlug("twitter")!.oauth!.tokenUrl).toBe("https://api.twitter.com/2/oauth2/token");
  });

  it("has public apps without credentials", () => {
    const openMeteo = catalog.bySlug("open-meteo")!;
    expect(openMeteo.authType).toBe("NONE");
    expect(openMeteo.fields).toEqual([]);
    expect(openMeteo.auth).toEqual({});
  });
});

describe("validateAppDefinition", () => {
  it("accepts valid definitions", () => {
    expect(validateAppDefinition(validKeyApp())).toEqual([]);
    expect(validateAppDefinition(validOAuthApp())).toEqual([]);
  });

  it("rejects plain http URLs", () => {
    expect(validateAppDefinition({ ...validKeyApp(), apiBaseUrl: "http://api.example.com" }).join()).toMatch(/apiBaseUrl must be https/);
    const oauth = validOAuthApp();
    oauth.oauth!.tokenUrl = "http://example.com/oauth/token";
    expect(validateAppDefinition(oauth).join()).toMatch(/tokenUrl must be https/);
  });

  it("rejects unresolved placeholders in URLs and a trailing slash on the API base", () => {
    const oauth = validOAuthApp();
    oauth.oauth!.authorizationUrl = "https://[subdomain].example.com/oauth/authorize";
    expect(validateAppDefinition(oauth).join()).toMatch(/authorizationUrl has an unresolved placeholder/);
    expect(validateAppDefinition({ ...validKeyApp(), apiBaseUrl: "https://api.example.com/" })).not.toEqual([]);
  });

  it("rejects templates that reference undeclared fields", () => {
    const app = validKeyApp();
    app.auth = { headers: { Authorization: "Bearer {{api_key}}", "X-Account": "{{account_id}}" } };
    expect(validateAppDefinition(app).join()).toMatch(/undeclared placeholder \{\{account_id\}\}/);
    const test = validKeyApp();
    test.testRequest = { method: "GET", path: "/accounts/{{account_id}}" };
    expect(validateAppDefinition(test).join()).toMatch(/testRequest\.path references undeclared placeholder/);
    const keysWithToken = validKeyApp();
    keysWithToken.auth = { headers: { Authorization: "Bearer {{oauth_access_token}}" } };
    expect(validateAppDefinition(keysWithToken).join()).toMatch(/undeclared placeholder \{\{oauth_access_token\}\}/);
  });

  it("rejects a key app without fields and an OAuth app without endpoints", () => {
    expect(validateAppDefinition({ ...validKeyApp(), fields: [], auth: {} }).join()).toMatch(/needs at least one field/);
    const { oauth: _oauth, ...withoutOAuth } = validOAuthApp();
    expect(validateAppDefinition(withoutOAuth as AppDefinition).join()).toMatch(/needs oauth endpoints/);
  });

  it("rejects unknown auth types, bad field names, bad patterns and unused secrets", () => {
    expect(validateAppDefinition({ ...validKeyApp(), authType: "PASSWORD" as never }).join()).toMatch(/unknown auth type/);
    const badName = validKeyApp();
    badName.fields = [{ name: "Api-Key", label: "API key", secret: true }];
    expect(validateAppDefinition(badName).join()).toMatch(/name must match/);
    const badPattern = validKeyApp();
    badPattern.fields = [{ name: "api_key", label: "API key", secret: true, pattern: "([" }];
    expect(validateAppDefinition(badPattern).join()).toMatch(/pattern does not compile/);
    const unused = validKeyApp();
    unused.fields = [...unused.fields, { name: "api_secret", label: "API secret", secret: true }];
    expect(validateAppDefinition(unused).join()).toMatch(/secret field "api_secret" is not used/);
  });

  it("rejects a BASIC app without a Basic template and a NONE app that sends credentials", () => {
    expect(validateAppDefinition({ ...validKeyApp(), authType: "BASIC" }).join()).toMatch(/needs an auth\.basic template/);
    const none: AppDefinition = { ...validKeyApp(), authType: "NONE", fields: [], auth: { query: { key: "{{api_key}}" } }, testRequest: undefined };
    expect(validateAppDefinition(none).join()).toMatch(/undeclared placeholder/);
  });

  it("rejects an OAuth app whose auth template never sends the access token", () => {
    expect(validateAppDefinition({ ...validOAuthApp(), auth: {} }).join()).toMatch(/must use \{\{oauth_access_token\}\}/);
  });
});

describe("catalog assembly", () => {
  it("finds duplicate slugs and refuses a catalog that has them", () => {
    const twice = [validKeyApp(), validOAuthApp(), { ...validKeyApp(), name: "Another" }];
    expect(findDuplicateSlugs(twice)).toEqual(["example-keys"]);
    expect(() => createAppCatalog(twice)).toThrow(/duplicate slug\(s\): example-keys/);
  });

  it("names the slug and the problem of an invalid entry", () => {
    expect(() => createAppCatalog([validKeyApp(), { ...validOAuthApp(), apiBaseUrl: "http://insecure.example.com" }])).toThrow(
      /"example-oauth" is invalid: apiBaseUrl must be https/,
    );
  });

  it("finds the catalog directory from the module's directory", () => {
    expect(fs.existsSync(path.join(findCatalogDir(), "key-apps.json"))).toBe(true);
    expect(fs.existsSync(path.join(findCatalogDir(), "oauth-apps.json"))).toBe(true);
  });

  describe("with overlay files of its own", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-catalog-"));
      fs.writeFileSync(path.join(dir, "key-apps.json"), JSON.stringify({ "$comment": "test", "example-keys": { ...validKeyApp(), slug: undefined } }));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const writeOverlay = (overlay: object) => fs.writeFileSync(path.join(dir, "oauth-apps.json"), JSON.stringify(overlay));
    const base = { name: "X", description: "X.", categories: ["developer-tools"], apiBaseUrl: "https://api.example.com" };

    it("merges grant's seed with the overlay", () => {
      writeOverlay({ github: { ...base, oauth: { refreshable: false } } });
      const apps = readCatalogApps(dir);
      const github = apps.find((app) => app.slug === "github")!;
      expect(github.oauth).toMatchObject({ tokenUrl: "https://github.com/login/oauth/access_token", scopeSeparator: ",", pkce: false });
      expect(github.auth).toEqual({ headers: { Authorization: "Bearer {{oauth_access_token}}" } });
      expect(createAppCatalog(apps).all.map((app) => app.slug)).toEqual(["example-keys", "github"]);
    });

    it("refuses a grant entry whose endpoints keep a [subdomain] placeholder", () => {
      writeOverlay({ zendesk: { ...base, oauth: { refreshable: true } } });
      expect(() => createAppCatalog(readCatalogApps(dir))).toThrow(/"zendesk" is invalid: oauth\.authorizationUrl has an unresolved placeholder/);
    });

    it("refuses unknown overlay properties, a missing refreshable, and OAuth 1 seeds named explicitly", () => {
      writeOverlay({ github: { ...base, oauth: { refreshable: false, pkceRequired: true } } });
      expect(() => readCatalogApps(dir)).toThrow(/"github": unknown property "oauth\.pkceRequired"/);
      writeOverlay({ github: { ...base, oauth: {} } });
      expect(() => readCatalogApps(dir)).toThrow(/"github": oauth\.refreshable must be stated/);
      writeOverlay({ trello: { ...base, grantKey: "trello", oauth: { refreshable: false } } });
      expect(() => readCatalogApps(dir)).toThrow(/"trello": grant provider "trello" is not OAuth 2/);
    });

    it("refuses an app without endpoints that grant does not know", () => {
      writeOverlay({ "no-such-provider": { ...base, oauth: { refreshable: false } } });
      expect(() => readCatalogApps(dir)).toThrow(/"no-such-provider": no authorization or token URL/);
    });
  });
});
