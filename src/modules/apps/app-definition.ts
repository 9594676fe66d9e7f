// The shape of one entry of the app catalog (catalog/*.json, merged with grant's OAuth seed by
// app-catalog.ts). Templates use `{{name}}` placeholders, where name is a declared field name, or
// `oauth_access_token` for OAUTH2 apps.

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
}

/** The placeholder every OAUTH2 app implicitly declares: the connection's current access token. */
export const OAUTH_ACCESS_TOKEN_PLACEHOLDER = "oauth_access_token";

/** Every auth type the catalog accepts. */
export const AUTH_TYPES: readonly AuthType[] = ["OAUTH2", "KEYS", "BASIC", "NONE"];
