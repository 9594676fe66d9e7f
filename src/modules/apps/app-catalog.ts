import fs from "node:fs";
import path from "node:path";
import {
  AUTH_TYPES,
  OAUTH_ACCESS_TOKEN_PLACEHOLDER,
  type AppDefinition,
  type AppField,
  type AppIdentitySpec,
  type AuthTemplate,
  type OAuthSpec,
  type TestRequest,
} from "./app-definition";

// The catalog is data: grant's MIT-licensed provider list (grant/config/oauth.json and profile.json)
// seeds the OAuth endpoints, catalog/oauth-apps.json describes the OAuth apps we ship (and corrects
// the seed), catalog/key-apps.json describes the KEYS, BASIC and NONE apps in full. Only OAuth apps
// the overlay describes are in the catalog. Everything is read and checked once, at first use.

/** The loaded catalog: every app sorted by name (case-insensitive) then slug, and a lookup by slug. */
export interface AppCatalog {
  all: readonly AppDefinition[];
  bySlug(slug: string): AppDefinition | undefined;
}

/** One provider of grant's config/oauth.json (only the fields the catalog uses). */
interface GrantProvider {
  authorize_url?: string;
  access_url?: string;
  oauth?: number;
  scope_delimiter?: string;
}

/** One provider of grant's config/profile.json. */
interface GrantProfile {
  profile_url?: string;
}

/** The OAuth part of an overlay entry: any OAuthSpec field overrides the seed; `identity.url` may come from grant's profile.json. */
type OAuthOverlay = Partial<Omit<OAuthSpec, "identity">> & { identity?: Partial<AppIdentitySpec> };

/** One entry of catalog/oauth-apps.json (keyed by slug). `grantKey` names grant's provider when it differs from the slug; null: no seed. */
interface OAuthAppOverlay {
  grantKey?: string | null;
  name: string;
  description: string;
  categories: string[];
  homepageUrl?: string;
  apiBaseUrl: string;
  allowedHosts?: string[];
  oauth: OAuthOverlay;
  fields?: AppField[];
  auth?: AuthTemplate;
  testRequest?: TestRequest;
  dependentProps?: string[];
}

/** One entry of catalog/key-apps.json (keyed by slug): a complete definition without the slug. */
type KeyAppEntry = Omit<AppDefinition, "slug">;

const OVERLAY_KEYS = new Set([
  "grantKey", "name", "description", "categories", "homepageUrl", "apiBaseUrl", "allowedHosts",
  "oauth", "fields", "auth", "testRequest", "dependentProps",
]);
const OAUTH_OVERLAY_KEYS = new Set([
  "authorizationUrl", "tokenUrl", "refreshUrl", "revocationUrl", "defaultScopes", "scopeSeparator", "pkce",
  "tokenAuthMethod", "extraAuthorizeParams", "identity", "refreshable",
]);
const KEY_APP_KEYS = new Set([
  "name", "description", "authType", "categories", "homepageUrl", "apiBaseUrl", "allowedHosts",
  "fields", "auth", "testRequest", "dependentProps",
]);
const APP_KEYS = new Set([...KEY_APP_KEYS, "slug", "oauth"]);
const FIELD_KEYS = new Set(["name", "label", "secret", "optional", "pattern", "description"]);
const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const FIELD_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
const CATEGORY_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const HOST_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const PLACEHOLDER = /\{\{([a-z_][a-z0-9_]*)\}\}/g;
/** grant's default when a provider has no scope_delimiter. */
const GRANT_DEFAULT_SCOPE_DELIMITER = ",";
/** How an OAuth access token reaches the API unless the overlay says otherwise. */
const DEFAULT_OAUTH_AUTH: AuthTemplate = {
  headers: { Authorization: `Bearer {{${OAUTH_ACCESS_TOKEN_PLACEHOLDER}}}` },
};

let cached: AppCatalog | undefined;

/** The app catalog, loaded, merged and validated on first call (throws naming the slug and the problem); later calls return the same object. */
export function loadAppCatalog(): AppCatalog {
  cached ??= createAppCatalog(readCatalogApps());
  return cached;
}

/** Reads grant's seed and the two overlay files and merges them into definitions (not yet validated as a whole). */
export function readCatalogApps(catalogDir: string = findCatalogDir()): AppDefinition[] {
  const grantOAuth = readJson(require.resolve("grant/config/oauth.json")) as Record<string, GrantProvider>;
  const grantProfiles = readJson(require.resolve("grant/config/profile.json")) as Record<string, GrantProfile>;
  const oauthOverlay = readJson(path.join(catalogDir, "oauth-apps.json")) as Record<string, unknown>;
  const keyApps = readJson(path.join(catalogDir, "key-apps.json")) as Record<string, unknown>;

  const apps: AppDefinition[] = [];
  for (const [slug, entry] of Object.entries(oauthOverlay)) {
    if (slug.startsWith("$")) continue; // "$comment" and the like
    apps.push(buildOAuthApp(slug, entry as OAuthAppOverlay, grantOAuth, grantProfiles));
  }
  for (const [slug, entry] of Object.entries(keyApps)) {
    if (slug.startsWith("$")) continue;
    apps.push(buildKeyApp(slug, entry as KeyAppEntry));
  }
  return apps;
}

/**
 * The catalog plus extra app definitions from a JSON file (an array of AppDefinition): private or
 * in-house apps an operator adds, validated like the shipped ones (outside production they may
 * use loopback http URLs, which is how the tests point an OAuth app at a local provider).
 */
export function withExtraApps(base: AppCatalog, file: string, options: ValidationOptions = {}): AppCatalog {
  const extra = readJson(file);
  if (!Array.isArray(extra)) throw new Error(`App catalog extra file ${file} must hold a JSON array of app definitions`);
  for (const app of extra as AppDefinition[]) {
    const problems = validateAppDefinition(app, options);
    if (problems.length > 0) throw new Error(`App catalog extra file: app "${String(app.slug)}" is invalid: ${problems.join("; ")}`);
  }
  return createAppCatalog([...base.all, ...(extra as AppDefinition[])], options);
}

/** Validates every definition, rejects duplicate slugs and returns the catalog (sorted by name, case-insensitive, then slug; deeply frozen). */
export function createAppCatalog(apps: readonly AppDefinition[], options: ValidationOptions = {}): AppCatalog {
  const duplicates = findDuplicateSlugs(apps);
  if (duplicates.length > 0) {
    throw new Error(`App catalog: duplicate slug(s): ${duplicates.join(", ")}`);
  }
  for (const app of apps) {
    const problems = validateAppDefinition(app, options);
    if (problems.length > 0) {
      throw new Error(`App catalog: app "${String(app.slug)}" is invalid: ${problems.join("; ")}`);
    }
  }
  const all = [...apps].sort(compareApps).map((app) => deepFreeze(app));
  const index = new Map(all.map((app) => [app.slug, app]));
  return Object.freeze({ all: Object.freeze(all), bySlug: (slug: string) => index.get(slug) });
}

/** Slugs that occur more than once, each named once. */
export function findDuplicateSlugs(apps: readonly Pick<AppDefinition, "slug">[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { slug } of apps) {
    if (seen.has(slug)) duplicates.add(slug);
    seen.add(slug);
  }
  return [...duplicates];
}

/** The `{{name}}` placeholders a template uses, in order (names only). */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** The placeholder names an app's templates may use: its field names, plus `oauth_access_token` for OAUTH2 apps. */
export function declaredPlaceholders(app: Pick<AppDefinition, "authType" | "fields">): Set<string> {
  const names = new Set((app.fields ?? []).map((field) => field.name));
  if (app.authType === "OAUTH2") names.add(OAUTH_ACCESS_TOKEN_PLACEHOLDER);
  return names;
}

/** Every problem with one definition (empty: valid). Checks shape, https URLs, auth type, OAuth endpoints, fields and templates. */
export function validateAppDefinition(app: AppDefinition, options: ValidationOptions = {}): string[] {
  loopbackHttpAllowed = options.allowLoopbackHttp ?? false;
  try {
    return validateDefinition(app);
  } finally {
    loopbackHttpAllowed = false;
  }
}

/** Relaxations for apps that are not part of the shipped catalog. */
export interface ValidationOptions {
  /** Accept http://127.0.0.1 and http://localhost URLs (extra apps outside production, e.g. test providers). */
  allowLoopbackHttp?: boolean;
}

// Set only for the duration of one (synchronous) validateAppDefinition call.
let loopbackHttpAllowed = false;

function validateDefinition(app: AppDefinition): string[] {
  const problems: string[] = [];
  const add = (problem: string) => problems.push(problem);
  if (!isRecord(app)) return ["definition is not an object"];

  for (const key of Object.keys(app)) if (!APP_KEYS.has(key)) add(`unknown property "${key}"`);
  if (typeof app.slug !== "string" || !SLUG_PATTERN.test(app.slug)) add(`slug must match ${SLUG_PATTERN}`);
  if (!nonEmptyString(app.name)) add("name is empty");
  if (!nonEmptyString(app.description)) add("description is empty");
  if (!AUTH_TYPES.includes(app.authType)) add(`unknown auth type "${String(app.authType)}"`);
  if (!Array.isArray(app.categories) || app.categories.length === 0) {
    add("categories must be a non-empty array");
  } else {
    for (const category of app.categories) {
      if (typeof category !== "string" || !CATEGORY_PATTERN.test(category)) add(`bad category "${String(category)}"`);
    }
  }
  if (app.homepageUrl !== undefined) checkUrl("homepageUrl", app.homepageUrl, add);
  checkUrl("apiBaseUrl", app.apiBaseUrl, add);
  if (typeof app.apiBaseUrl === "string" && (app.apiBaseUrl.endsWith("/") || /[?#]/.test(app.apiBaseUrl))) {
    add("apiBaseUrl must not end with a slash or carry a query or fragment");
  }
  if (app.allowedHosts !== undefined) {
    if (!Array.isArray(app.allowedHosts)) add("allowedHosts must be an array");
    else for (const host of app.allowedHosts) {
      if (typeof host !== "string" || !HOST_PATTERN.test(host)) add(`allowedHosts: bad host "${String(host)}"`);
    }
  }
  if (app.dependentProps !== undefined && (!Array.isArray(app.dependentProps) || !app.dependentProps.every(nonEmptyString))) {
    add("dependentProps must be an array of names");
  }

  // Fields.
  const fields: unknown = app.fields;
  if (!Array.isArray(fields)) {
    add("fields must be an array");
  } else {
    const names = new Set<string>();
    for (const field of fields as AppField[]) {
      if (!isRecord(field)) { add("a field is not an object"); continue; }
      const label = `field "${String(field.name)}"`;
      for (const key of Object.keys(field)) if (!FIELD_KEYS.has(key)) add(`${label}: unknown property "${key}"`);
      if (typeof field.name !== "string" || !FIELD_NAME_PATTERN.test(field.name)) add(`${label}: name must match ${FIELD_NAME_PATTERN}`);
      else if (field.name === OAUTH_ACCESS_TOKEN_PLACEHOLDER) add(`${label}: name is reserved`);
      else if (names.has(field.name)) add(`${label}: declared twice`);
      else names.add(field.name);
      if (!nonEmptyString(field.label)) add(`${label}: label is empty`);
      if (typeof field.secret !== "boolean") add(`${label}: secret must be true or false`);
      if (field.optional !== undefined && typeof field.optional !== "boolean") add(`${label}: optional must be true or false`);
      if (field.description !== undefined && !nonEmptyString(field.description)) add(`${label}: description is empty`);
      if (field.pattern !== undefined) {
        try {
          new RegExp(field.pattern);
        } catch {
          add(`${label}: pattern does not compile`);
        }
      }
    }
  }
  const fieldCount = Array.isArray(fields) ? fields.length : 0;

  // Auth type specifics.
  if (app.authType === "OAUTH2") {
    if (!isRecord(app.oauth)) add("an OAUTH2 app needs oauth endpoints");
    else checkOAuth(app.oauth, add);
  } else if (app.oauth !== undefined) {
    add(`only OAUTH2 apps may have oauth (this one is ${String(app.authType)})`);
  }
  if ((app.authType === "KEYS" || app.authType === "BASIC") && fieldCount === 0) {
    add(`a ${app.authType} app needs at least one field`);
  }
  if (app.authType === "BASIC" && !isRecord(app.auth?.basic)) add("a BASIC app needs an auth.basic template");
  if (app.authType === "NONE" && fieldCount > 0 && (fields as AppField[]).some((field) => isRecord(field) && field.secret)) {
    add("a NONE app takes no secret fields");
  }

  // Templates: every placeholder is declared, credentials actually reach the API.
  const declared = declaredPlaceholders({ authType: app.authType, fields: Array.isArray(fields) ? (fields as AppField[]) : [] });
  const authPlaceholders = new Set<string>();
  const checkTemplate = (where: string, value: unknown, collect?: Set<string>) => {
    if (typeof value !== "string") { add(`${where} must be a string`); return; }
    for (const name of templatePlaceholders(value)) {
      if (!declared.has(name)) add(`${where} references undeclared placeholder {{${name}}}`);
      collect?.add(name);
    }
    if (/\{\{|\}\}/.test(value.replace(PLACEHOLDER, ""))) add(`${where} has a malformed placeholder`);
  };
  if (!isRecord(app.auth)) {
    add("auth must be an object (may be empty)");
  } else {
    for (const key of Object.keys(app.auth)) {
      if (key !== "headers" && key !== "query" && key !== "basic") add(`auth: unknown property "${key}"`);
    }
    for (const part of ["headers", "query"] as const) {
      const map: unknown = app.auth[part];
      if (map === undefined) continue;
      if (!isRecord(map)) { add(`auth.${part} must be an object`); continue; }
      for (const [name, value] of Object.entries(map)) {
        if (!/^[A-Za-z0-9_.-]+$/.test(name)) add(`auth.${part}: bad name "${name}"`);
        checkTemplate(`auth.${part}.${name}`, value, authPlaceholders);
      }
    }
    if (app.auth.basic !== undefined) {
      if (!isRecord(app.auth.basic)) add("auth.basic must be an object");
      else {
        checkTemplate("auth.basic.username", app.auth.basic.username, authPlaceholders);
        checkTemplate("auth.basic.password", app.auth.basic.password, authPlaceholders);
      }
    }
    if (app.authType === "NONE" && authPlaceholders.size > 0) add("a NONE app sends no credentials");
    if (app.authType === "OAUTH2" && !authPlaceholders.has(OAUTH_ACCESS_TOKEN_PLACEHOLDER)) {
      add(`the auth template of an OAUTH2 app must use {{${OAUTH_ACCESS_TOKEN_PLACEHOLDER}}}`);
    }
    if (Array.isArray(fields)) {
      for (const field of fields as AppField[]) {
        if (isRecord(field) && field.secret === true && !authPlaceholders.has(field.name)) {
          add(`secret field "${field.name}" is not used by the auth template`);
        }
      }
    }
  }
  if (app.testRequest !== undefined) {
    const test = app.testRequest;
    if (!isRecord(test)) add("testRequest must be an object");
    else {
      if (test.method !== "GET" && test.method !== "POST") add("testRequest.method must be GET or POST");
      if (typeof test.path !== "string" || !test.path.startsWith("/") || /\s/.test(test.path)) {
        add("testRequest.path must start with / and contain no spaces");
      } else {
        checkTemplate("testRequest.path", test.path);
      }
      if (test.identity !== undefined) checkIdentityPaths("testRequest.identity", test.identity, add);
    }
  }
  return problems;
}

function checkOAuth(oauth: OAuthSpec, add: (problem: string) => void): void {
  checkUrl("oauth.authorizationUrl", oauth.authorizationUrl, add);
  checkUrl("oauth.tokenUrl", oauth.tokenUrl, add);
  if (oauth.refreshUrl !== undefined) checkUrl("oauth.refreshUrl", oauth.refreshUrl, add);
  if (oauth.revocationUrl !== undefined) checkUrl("oauth.revocationUrl", oauth.revocationUrl, add);
  if (!Array.isArray(oauth.defaultScopes) || !oauth.defaultScopes.every(nonEmptyString)) {
    add("oauth.defaultScopes must be an array of non-empty strings");
  } else if (typeof oauth.scopeSeparator === "string" && oauth.scopeSeparator.length > 0) {
    const separator = oauth.scopeSeparator;
    if (oauth.defaultScopes.some((scope) => scope.includes(separator))) {
      add("oauth.defaultScopes: a scope contains the scope separator");
    }
  }
  if (typeof oauth.scopeSeparator !== "string" || oauth.scopeSeparator.length === 0) add("oauth.scopeSeparator is empty");
  if (typeof oauth.pkce !== "boolean") add("oauth.pkce must be true or false");
  if (typeof oauth.refreshable !== "boolean") add("oauth.refreshable must be true or false");
  if (oauth.tokenAuthMethod !== "client_secret_post" && oauth.tokenAuthMethod !== "client_secret_basic") {
    add(`oauth.tokenAuthMethod "${String(oauth.tokenAuthMethod)}" is unknown`);
  }
  if (oauth.extraAuthorizeParams !== undefined) {
    if (!isRecord(oauth.extraAuthorizeParams)) add("oauth.extraAuthorizeParams must be an object");
    else for (const [name, value] of Object.entries(oauth.extraAuthorizeParams)) {
      if (typeof value !== "string") add(`oauth.extraAuthorizeParams.${name} must be a string`);
    }
  }
  if (oauth.identity !== undefined) {
    if (!isRecord(oauth.identity)) add("oauth.identity must be an object");
    else {
      checkUrl("oauth.identity.url", oauth.identity.url, add);
      checkIdentityPaths("oauth.identity", oauth.identity, add);
      const method: unknown = oauth.identity.method;
      if (method !== undefined && method !== "GET" && method !== "POST") add("oauth.identity.method must be GET or POST");
    }
  }
}

function checkIdentityPaths(where: string, identity: { idField: string; nameField?: string }, add: (problem: string) => void): void {
  const dotPath = /^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@-]+)*$/;
  if (typeof identity.idField !== "string" || !dotPath.test(identity.idField)) add(`${where}.idField must be a dot path`);
  if (identity.nameField !== undefined && (typeof identity.nameField !== "string" || !dotPath.test(identity.nameField))) {
    add(`${where}.nameField must be a dot path`);
  }
}

/** An absolute https URL with a real host: no unresolved `[subdomain]` or `{{...}}` parts. */
function checkUrl(where: string, value: unknown, add: (problem: string) => void): void {
  if (typeof value !== "string" || value.length === 0) { add(`${where} is missing`); return; }
  if (/[[\]{}\s]/.test(value)) { add(`${where} has an unresolved placeholder or a space: ${value}`); return; }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    add(`${where} is not a URL: ${value}`);
    return;
  }
  const loopback = url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
  if (url.protocol !== "https:" && !(loopbackHttpAllowed && loopback)) add(`${where} must be https: ${value}`);
  if (url.username || url.password) add(`${where} must not carry credentials`);
  if (!HOST_PATTERN.test(url.hostname) && !(loopbackHttpAllowed && loopback)) add(`${where} has a bad host: ${value}`);
}

function buildOAuthApp(
  slug: string,
  entry: OAuthAppOverlay,
  grantOAuth: Record<string, GrantProvider>,
  grantProfiles: Record<string, GrantProfile>,
): AppDefinition {
  const fail = (problem: string) => new Error(`App catalog: oauth-apps.json entry "${slug}": ${problem}`);
  if (!isRecord(entry)) throw fail("not an object");
  for (const key of Object.keys(entry)) if (!OVERLAY_KEYS.has(key)) throw fail(`unknown property "${key}"`);
  if (!nonEmptyString(entry.name) || !nonEmptyString(entry.apiBaseUrl)) throw fail("name and apiBaseUrl are required");
  if (!isRecord(entry.oauth)) throw fail("oauth is required (at least refreshable)");
  const overlay = entry.oauth;
  for (const key of Object.keys(overlay)) if (!OAUTH_OVERLAY_KEYS.has(key)) throw fail(`unknown property "oauth.${key}"`);
  if (typeof overlay.refreshable !== "boolean") throw fail("oauth.refreshable must be stated");

  let grantKey: string | null = entry.grantKey === undefined ? slug : entry.grantKey;
  let seed = grantKey === null ? undefined : grantOAuth[grantKey];
  if (seed !== undefined && seed.oauth !== 2) {
    if (entry.grantKey !== undefined) throw fail(`grant provider "${grantKey}" is not OAuth 2`);
    seed = undefined; // an OAuth 1 provider of the same name: the overlay describes the OAuth 2 flow itself
    grantKey = null;
  }
  if (entry.grantKey !== undefined && entry.grantKey !== null && seed === undefined) {
    throw fail(`grant has no provider "${entry.grantKey}"`);
  }

  const authorizationUrl = overlay.authorizationUrl ?? seed?.authorize_url;
  const tokenUrl = overlay.tokenUrl ?? seed?.access_url;
  if (!authorizationUrl || !tokenUrl) throw fail("no authorization or token URL (neither in grant's seed nor in the overlay)");

  let identity: AppIdentitySpec | undefined;
  if (overlay.identity !== undefined) {
    if (!isRecord(overlay.identity)) throw fail("oauth.identity must be an object");
    const profileUrl = grantKey === null ? undefined : grantProfiles[grantKey]?.profile_url;
    const url = overlay.identity.url ?? (profileUrl || undefined);
    if (!url) throw fail("oauth.identity has no url and grant's profile.json has none");
    if (!nonEmptyString(overlay.identity.idField)) throw fail("oauth.identity.idField is required");
    identity = {
      url,
      idField: overlay.identity.idField,
      ...(overlay.identity.nameField !== undefined ? { nameField: overlay.identity.nameField } : {}),
      ...(overlay.identity.method !== undefined ? { method: overlay.identity.method } : {}),
    };
  }

  const oauth: OAuthSpec = {
    authorizationUrl,
    tokenUrl,
    ...(overlay.refreshUrl !== undefined ? { refreshUrl: overlay.refreshUrl } : {}),
    ...(overlay.revocationUrl !== undefined ? { revocationUrl: overlay.revocationUrl } : {}),
    defaultScopes: overlay.defaultScopes ?? [],
    scopeSeparator: overlay.scopeSeparator ?? seed?.scope_delimiter ?? GRANT_DEFAULT_SCOPE_DELIMITER,
    pkce: overlay.pkce ?? false,
    tokenAuthMethod: overlay.tokenAuthMethod ?? "client_secret_post",
    ...(overlay.extraAuthorizeParams !== undefined ? { extraAuthorizeParams: overlay.extraAuthorizeParams } : {}),
    ...(identity !== undefined ? { identity } : {}),
    refreshable: overlay.refreshable,
  };

  return withoutUndefined({
    slug,
    name: entry.name,
    description: entry.description,
    authType: "OAUTH2",
    categories: entry.categories,
    homepageUrl: entry.homepageUrl,
    apiBaseUrl: entry.apiBaseUrl,
    allowedHosts: entry.allowedHosts,
    oauth,
    fields: entry.fields ?? [],
    auth: entry.auth ?? structuredClone(DEFAULT_OAUTH_AUTH),
    testRequest: entry.testRequest,
    dependentProps: entry.dependentProps,
  });
}

function buildKeyApp(slug: string, entry: KeyAppEntry): AppDefinition {
  const fail = (problem: string) => new Error(`App catalog: key-apps.json entry "${slug}": ${problem}`);
  if (!isRecord(entry)) throw fail("not an object");
  for (const key of Object.keys(entry)) if (!KEY_APP_KEYS.has(key)) throw fail(`unknown property "${key}"`);
  if (entry.authType === "OAUTH2") throw fail("OAUTH2 apps belong in oauth-apps.json");
  return withoutUndefined({ slug, ...entry, fields: entry.fields ?? [], auth: entry.auth ?? {} });
}

/** Walks up from this module's directory (src/modules/apps, or dist/src/modules/apps once compiled) to the directory holding catalog/. */
export function findCatalogDir(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, "catalog");
    if (fs.existsSync(path.join(candidate, "key-apps.json"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`App catalog: no catalog/key-apps.json in ${start} or any parent directory`);
    dir = parent;
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`App catalog: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`App catalog: ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function compareApps(a: AppDefinition, b: AppDefinition): number {
  const nameA = a.name.toLowerCase();
  const nameB = b.name.toLowerCase();
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
}

function withoutUndefined(app: AppDefinition): AppDefinition {
  for (const key of Object.keys(app) as (keyof AppDefinition)[]) {
    if (app[key] === undefined) delete app[key];
  }
  return app;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}
