// The shape of one entry of the app catalog (catalog/*.json, merged with grant's OAuth seed by
// app-catalog.ts). Templates use `{{name}}` placeholders, where name is a declared field name,
// `oauth_access_token` for OAUTH2 apps, or a connection parameter or learned value (in URLs and
// auth templates alike).

/** How a member proves access to an app: an OAuth 2 grant, keys they paste, a username/password pair sent as HTTP Basic, or nothing (public API). */
export type AuthType = "OAUTH2" | "KEYS" | "BASIC" | "NONE";

/** One value a member submits when connecting a KEYS or BASIC app (`pattern` is a JavaScript RegExp source the value must match). */
export interface AppField {
  name: string;
  label: string;
  secret: boolean;
  optional?: boolean;
  pattern?: string;
  description?: string;
}

/** Where to read the external identity of a connection: dot paths (e.g. "team.id", "items.0.id") into the JSON response of `url`, fetched with the app's auth template (`method` defaults to GET). */
export interface AppIdentitySpec {
  url: string;
  idField: string;
  nameField?: string;
  /** HTTP method of the identity request; GET unless the provider needs POST (e.g. Dropbox). */
  method?: "GET" | "POST";
}

/**
 * A value the member gives when connecting (a store, a subdomain, a region): not secret, stored
 * with the account and shown in the API, used as `{{name}}` in the app's URLs and auth templates.
 * Checked strictly: a `pattern` (a JavaScript RegExp source, anchored) or a closed list of `values`.
 */
export interface AppParameter {
  name: string;
  label: string;
  description?: string;
  pattern?: string;
  /**
   * The closed list of values. A choice may `set` further template values (a region's hosts:
   * `{ api_host: "api.eu.mailgun.net" }`), so that one choice of the member picks several URLs.
   */
  values?: Array<{ value: string; label: string; set?: Record<string, string> }>;
  optional?: boolean;
  /** Used when the member gives none. */
  default?: string;
  /** A valid value, used to check the catalog's URL templates (and shown as a hint). */
  example: string;
}

/**
 * A value learned at connect rather than asked (Salesforce's instance URL, a Mailchimp data
 * centre, an Atlassian cloud id), stored with the account and used like a parameter: a dot path
 * into the token endpoint's answer (`from: "token"`, taken again from refreshes that carry it),
 * into the JSON answer of one follow-up request made with the new credentials (`from:
 * "request"`), a query parameter of the OAuth callback (`from: "callback"`, e.g. QuickBooks'
 * `realmId`: it comes through the member's browser, so only its pattern vouches for it), or part of a credential field (`from: "credential"`: `path` names the field, and
 * the pattern's first capture group is the value, e.g. a Mailchimp key's data-centre suffix).
 */
export interface LearnedValue {
  name: string;
  label: string;
  from: "token" | "callback" | "request" | "credential";
  path: string;
  /** For `from: "request"`: the URL (a template: parameters and earlier learned values) fetched with the app's auth. */
  request?: { url: string };
  /** A JavaScript RegExp source the value must match (a URL value must also stay on the app's hosts). */
  pattern: string;
  /** A valid value, used to check the catalog's URL templates. */
  example: string;
}

/** The values a connection adds to an app's templates: its parameters and what was learned at connect. */
export interface ConnectionValues {
  parameters: Record<string, string>;
  learned: Record<string, string>;
}

/** The OAuth 2 authorization-code flow of an app (`revocationUrl` is an RFC 7009-style endpoint taking the token as a form field). */
export interface OAuthSpec {
  authorizationUrl: string;
  tokenUrl: string;
  /** Where refresh_token grants go when the provider uses a separate endpoint (e.g. Figma); tokenUrl otherwise. */
  refreshUrl?: string;
  revocationUrl?: string;
  defaultScopes: string[];
  scopeSeparator: string;
  pkce: boolean;
  tokenAuthMethod: "client_secret_post" | "client_secret_basic";
  extraAuthorizeParams?: Record<string, string>;
  /** Extra form fields of the code exchange (e.g. Shopify's `expiring=1` for expiring offline tokens). */
  extraTokenParams?: Record<string, string>;
  identity?: AppIdentitySpec; // from grant's profile.json where known, or overlay
  refreshable: boolean; // whether the provider issues refresh tokens normally
}

/** How credentials become request parts: header, query and HTTP Basic values are templates with `{{name}}` placeholders. */
export interface AuthTemplate {
  headers?: Record<string, string>; // e.g. { Authorization: "Bearer {{oauth_access_token}}" }
  query?: Record<string, string>; // for apps that take the key in the query string
  basic?: { username: string; password: string }; // HTTP Basic, each a template, e.g. {username:"{{account_sid}}", password:"{{auth_token}}"}
}

/** A cheap request (path relative to apiBaseUrl, may use `{{field}}` placeholders) that checks credentials and, with `identity`, reads the external account's id and name from its JSON response. */
export interface TestRequest {
  method: "GET" | "POST";
  path: string;
  identity?: { idField: string; nameField?: string };
}

/** One app of the catalog, fully resolved (seed and overlay merged, validated). */
export interface AppDefinition {
  slug: string;
  name: string;
  description: string;
  authType: AuthType;
  categories: string[];
  homepageUrl?: string;
  apiBaseUrl: string; // https, no trailing slash
  allowedHosts?: string[]; // extra hosts of the app's API beyond apiBaseUrl's host
  oauth?: OAuthSpec; // OAUTH2 only
  fields: AppField[]; // KEYS/BASIC: what the member submits; OAUTH2/NONE: usually []
  auth: AuthTemplate;
  testRequest?: TestRequest; // path relative to apiBaseUrl, may use {{field}} placeholders
  dependentProps?: string[]; // prop names in steps that depend on the account (e.g. slack "channel"); may be empty
  /** Values asked for at connect (tenant apps); their `{{name}}` may appear in every URL of the app. */
  parameters?: AppParameter[];
  /** Values learned at connect from the provider; usable like parameters. */
  learned?: LearnedValue[];
  /**
   * Host patterns (`api.example.com`, `*.example.com`) every URL of a connection must stay on,
   * once its templates are filled. Required when a URL uses a parameter or learned value;
   * otherwise the hosts of the app's own URLs and `allowedHosts`.
   */
  hosts?: string[];
}

/** The placeholder every OAUTH2 app implicitly declares: the connection's current access token. */
export const OAUTH_ACCESS_TOKEN_PLACEHOLDER = "oauth_access_token";

/** Every auth type the catalog accepts. */
export const AUTH_TYPES: readonly AuthType[] = ["OAUTH2", "KEYS", "BASIC", "NONE"];
