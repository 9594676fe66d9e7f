import fs from "node:fs";
import path from "node:path";
import {
  AUTH_TYPES,
  OAUTH_ACCESS_TOKEN_PLACEHOLDER,
  type AppDefinition,
  type AppField,
  type AppIdentitySpec,
  type AppParameter,
  type AuthTemplate,
  type LearnedValue,
  type OAuthSpec,
  type TestRequest,
} from "./app-definition";
import { hostMatches } from "./app-hosts";

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
  parameters?: AppParameter[];
  learned?: LearnedValue[];
  hosts?: string[];
}

/** One entry of catalog/key-apps.json (keyed by slug): a complete definition without the slug. */
type KeyAppEntry = Omit<AppDefinition, "slug">;

const OVERLAY_KEYS = new Set([
  "grantKey", "name", "description", "categories", "homepageUrl", "apiBaseUrl", "allowedHosts",
  "oauth", "fields", "auth", "testRequest", "dependentProps", "parameters", "learned", "hosts",
]);
const OAUTH_OVERLAY_KEYS = new Set([
  "authorizationUrl", "tokenUrl", "refreshUrl", "revocationUrl", "defaultScopes", "scopeSeparator", "pkce",
  "tokenAuthMethod", "extraAuthorizeParams", "extraTokenParams", "identity", "refreshable",
]);
const KEY_APP_KEYS = new Set([
  "name", "description", "authType", "categories", "homepageUrl", "apiBaseUrl", "allowedHosts",
  "fields", "auth", "testRequest", "dependentProps", "parameters", "learned", "hosts",
]);
const PARAMETER_KEYS = new Set(["name", "label", "description", "pattern", "values", "optional", "default", "example"]);
const PATH_SEGMENT = "[A-Za-z0-9_$@-]+(\\[[A-Za-z0-9_$@-]+=[A-Za-z0-9_@-]*\\])?|\\[[A-Za-z0-9_$@-]+=[A-Za-z0-9_@-]*\\]";
const LEARNED_PATH_PATTERN = new RegExp(`^(${PATH_SEGMENT})(\\.(${PATH_SEGMENT}))*$`);
const LEARNED_KEYS = new Set(["name", "label", "from", "path", "request", "pattern", "example"]);
const HOST_PATTERN_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
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

/** The placeholder names an app's templates may use: its field names, its connection parameters and learned values, and `oauth_access_token` for OAUTH2 apps. */
export function declaredPlaceholders(app: Pick<AppDefinition, "authType" | "fields" | "parameters" | "learned">): Set<string> {
  const names = new Set((app.fields ?? []).map((field) => field.name));
  for (const name of connectionNames(app)) names.add(name);
  if (app.authType === "OAUTH2") names.add(OAUTH_ACCESS_TOKEN_PLACEHOLDER);
  return names;
}

/** The names of an app's connection parameters and learned values (what its URL templates may use). */
function connectionNames(app: Pick<AppDefinition, "parameters" | "learned">): string[] {
  const parameters = (Array.isArray(app.parameters) ? app.parameters : []).filter(isRecord);
  const set = parameters.flatMap((p) => (Array.isArray(p.values) && isRecord(p.values[0]) && isRecord(p.values[0].set) ? Object.keys(p.values[0].set) : []));
  return [...parameters.map((entry) => String(entry.name)), ...set, ...(Array.isArray(app.learned) ? app.learned : []).filter(isRecord).map((entry) => String(entry.name))];
}

/** Example values of an app's connection parameters and learned values, to fill URL templates with when checking them. */
function connectionExamples(app: Pick<AppDefinition, "parameters" | "learned">): Record<string, string> {
  const examples: Record<string, string> = {};
  for (const entry of [...(app.parameters ?? []), ...(app.learned ?? [])]) {
    if (!isRecord(entry) || typeof entry.example !== "string") continue;
    examples[entry.name] = entry.example;
    // A value learned from a credential is the part its pattern captures (a key's data centre).
    if ((entry as LearnedValue).from === "credential") {
      try {
        examples[entry.name] = new RegExp(String(entry.pattern)).exec(entry.example)?.[1] ?? entry.example;
      } catch {
        // reported by the pattern check
      }
    }
    const choice = Array.isArray((entry as AppParameter).values) ? (entry as AppParameter).values!.find((v) => isRecord(v) && v.value === entry.example) : undefined;
    if (choice && isRecord(choice.set)) Object.assign(examples, choice.set);
  }
  return examples;
}

/**
 * The value sets a URL template is checked with: the examples, and each other choice of every
 * closed list in turn (a region's hosts must all be among the app's hosts, not only the example's).
 */
function connectionVariants(app: Pick<AppDefinition, "parameters" | "learned">): Array<Record<string, string>> {
  const examples = connectionExamples(app);
  const variants = [examples];
  for (const parameter of Array.isArray(app.parameters) ? app.parameters : []) {
    if (!isRecord(parameter) || !Array.isArray(parameter.values)) continue;
    for (const choice of parameter.values) {
      if (!isRecord(choice) || choice.value === parameter.example) continue;
      variants.push({ ...examples, [parameter.name]: String(choice.value), ...(isRecord(choice.set) ? choice.set : {}) });
    }
  }
  return variants;
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
  checkConnectionSpec(app, add);
  const checkAppUrl = appUrlChecker(app, add);
  checkAppUrl("apiBaseUrl", app.apiBaseUrl);
  for (const learned of Array.isArray(app.learned) ? app.learned : []) {
    if (isRecord(learned) && learned.from === "request" && isRecord(learned.request)) checkAppUrl(`learned value "${learned.name}": request.url`, learned.request.url);
  }
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
    else checkOAuth(app.oauth, add, checkAppUrl);
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
  const declared = declaredPlaceholders({
    authType: app.authType,
    fields: Array.isArray(fields) ? (fields as AppField[]) : [],
    parameters: Array.isArray(app.parameters) ? app.parameters : undefined,
    learned: Array.isArray(app.learned) ? app.learned : undefined,
  });
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

function checkOAuth(oauth: OAuthSpec, add: (problem: string) => void, checkAppUrl: (where: string, value: unknown) => void): void {
  checkAppUrl("oauth.authorizationUrl", oauth.authorizationUrl);
  checkAppUrl("oauth.tokenUrl", oauth.tokenUrl);
  if (oauth.refreshUrl !== undefined) checkAppUrl("oauth.refreshUrl", oauth.refreshUrl);
  if (oauth.revocationUrl !== undefined) checkAppUrl("oauth.revocationUrl", oauth.revocationUrl);
  if (oauth.extraTokenParams !== undefined) {
    if (!isRecord(oauth.extraTokenParams)) add("oauth.extraTokenParams must be an object");
    else for (const [name, value] of Object.entries(oauth.extraTokenParams)) {
      if (typeof value !== "string") add(`oauth.extraTokenParams.${name} must be a string`);
    }
  }
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
      checkAppUrl("oauth.identity.url", oauth.identity.url);
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

/**
 * Checks an app's connection parameters, learned values and host patterns: names that do not
 * clash, patterns that compile, examples that pass them (the examples fill the URL templates
 * when those are checked), closed lists with labels.
 */
function checkConnectionSpec(app: AppDefinition, add: (problem: string) => void): void {
  const names = new Set<string>((Array.isArray(app.fields) ? app.fields : []).filter(isRecord).map((f) => String(f.name)));
  const claim = (where: string, name: unknown) => {
    if (typeof name !== "string" || !FIELD_NAME_PATTERN.test(name)) add(`${where}: name must match ${FIELD_NAME_PATTERN}`);
    else if (name === OAUTH_ACCESS_TOKEN_PLACEHOLDER || names.has(name)) add(`${where}: name "${name}" is taken`);
    else names.add(name);
  };
  const compiles = (where: string, pattern: unknown): RegExp | null => {
    if (typeof pattern !== "string" || !pattern.startsWith("^") || !pattern.endsWith("$")) {
      add(`${where}: pattern must be an anchored regular expression (^...$)`);
      return null;
    }
    try {
      return new RegExp(pattern);
    } catch {
      add(`${where}: pattern does not compile`);
      return null;
    }
  };
  if (app.parameters !== undefined) {
    if (!Array.isArray(app.parameters)) add("parameters must be an array");
    else for (const parameter of app.parameters) {
      if (!isRecord(parameter)) { add("a parameter is not an object"); continue; }
      const where = `parameter "${String(parameter.name)}"`;
      for (const key of Object.keys(parameter)) if (!PARAMETER_KEYS.has(key)) add(`${where}: unknown property "${key}"`);
      claim(where, parameter.name);
      if (!nonEmptyString(parameter.label)) add(`${where}: label is empty`);
      if (typeof parameter.example !== "string") add(`${where}: example is missing`);
      if (parameter.values !== undefined) {
        if (parameter.pattern !== undefined) add(`${where}: give a pattern or values, not both`);
        if (!Array.isArray(parameter.values) || parameter.values.length === 0 || !parameter.values.every((v) => isRecord(v) && nonEmptyString(v.value) && nonEmptyString(v.label))) {
          add(`${where}: values must be a non-empty list of { value, label }`);
        } else {
          const values = parameter.values.map((v) => v.value);
          if (!values.includes(parameter.example)) add(`${where}: example is not one of its values`);
          // What a choice sets: the same names for every choice, each a new template name, each
          // value host-safe (it goes into URLs as it is, and the catalog is its only source).
          const setNames = (v: Record<string, unknown>) => (isRecord(v.set) ? Object.keys(v.set).sort().join(",") : "");
          const first = setNames(parameter.values[0]!);
          if (parameter.values.some((v) => setNames(v) !== first)) add(`${where}: every value must set the same names`);
          for (const name of first ? first.split(",") : []) claim(`${where}: set`, name);
          for (const v of parameter.values) {
            if (v.set !== undefined && !isRecord(v.set)) add(`${where}: set of "${v.value}" must be an object`);
            for (const [name, value] of Object.entries(isRecord(v.set) ? v.set : {})) {
              if (typeof value !== "string" || !/^[a-z0-9][a-z0-9.-]*$/.test(value)) add(`${where}: "${v.value}" sets ${name} to something other than lower-case letters, digits, dots and dashes`);
            }
          }
          if (parameter.default !== undefined && !values.includes(parameter.default)) add(`${where}: default is not one of its values`);
          for (const value of values) if (!/^[a-z0-9][a-z0-9.-]*$/.test(value)) add(`${where}: value "${value}" must be lower-case letters, digits, dots and dashes`);
        }
      } else {
        const pattern = compiles(where, parameter.pattern);
        if (pattern && typeof parameter.example === "string" && !pattern.test(parameter.example)) add(`${where}: example does not match the pattern`);
        if (pattern && parameter.default !== undefined && !pattern.test(parameter.default)) add(`${where}: default does not match the pattern`);
        // A value is inserted into URLs as it is: the pattern must not let through what would change them.
        for (const bad of ["a/b", "a?b", "a#b", "a@b", "a:1", "a b", "a%2fb", "a\\b"]) {
          if (pattern?.test(bad)) add(`${where}: pattern lets through "${bad}", which would change a URL`);
        }
      }
      if (parameter.optional !== undefined && typeof parameter.optional !== "boolean") add(`${where}: optional must be true or false`);
    }
  }
  if (app.learned !== undefined) {
    if (!Array.isArray(app.learned)) add("learned must be an array");
    else for (const learned of app.learned) {
      if (!isRecord(learned)) { add("a learned value is not an object"); continue; }
      const where = `learned value "${String(learned.name)}"`;
      for (const key of Object.keys(learned)) if (!LEARNED_KEYS.has(key)) add(`${where}: unknown property "${key}"`);
      claim(where, learned.name);
      if (!nonEmptyString(learned.label)) add(`${where}: label is empty`);
      if (!["token", "request", "credential", "callback"].includes(learned.from as string)) add(`${where}: from must be "token", "callback", "request" or "credential"`);
      if ((learned.from === "token" || learned.from === "callback") && app.authType !== "OAUTH2") add(`${where}: only an OAuth app learns from its ${String(learned.from)}`);
      if (learned.from === "callback" && !/^[A-Za-z0-9_-]+$/.test(String(learned.path))) add(`${where}: a learned value from the callback names one query parameter in path`);
      // The code and state are the flow's own secrets: never stored as a connection value.
      if (learned.from === "callback" && ["code", "state", "error", "error_description"].includes(String(learned.path))) add(`${where}: the callback's ${String(learned.path)} is not a connection value`);
      if (learned.from === "credential") {
        const field = (Array.isArray(app.fields) ? app.fields : []).find((f) => isRecord(f) && f.name === learned.path);
        if (!field) add(`${where}: a learned value from a credential names one of the app's fields in path`);
        if (typeof learned.pattern === "string" && !/\((?!\?)/.test(learned.pattern)) add(`${where}: a learned value from a credential needs a capture group in its pattern`);
      }
      if (typeof learned.path !== "string" || !LEARNED_PATH_PATTERN.test(learned.path)) add(`${where}: path must be a dot path (a segment may pick from a list: name[field=value])`);
      if (learned.from === "request" && (!isRecord(learned.request) || typeof learned.request.url !== "string")) add(`${where}: a learned value from a request needs request.url`);
      if (learned.from !== "request" && learned.request !== undefined) add(`${where}: only a learned value from a request has request`);
      const pattern = compiles(where, learned.pattern);
      if (typeof learned.example !== "string") add(`${where}: example is missing`);
      else if (pattern && !pattern.test(learned.example)) add(`${where}: example does not match the pattern`);
    }
  }
  if (app.hosts !== undefined) {
    if (!Array.isArray(app.hosts) || app.hosts.length === 0) add("hosts must be a non-empty array");
    else for (const host of app.hosts) if (typeof host !== "string" || !HOST_PATTERN_PATTERN.test(host)) add(`hosts: bad host pattern "${String(host)}"`);
  }
}

/**
 * Checks the URLs of an app, templates included: placeholders name the app's parameters or
 * learned values, and filled with their examples each URL is an https URL on the app's hosts.
 * A URL made from connection values needs declared `hosts`.
 */
function appUrlChecker(app: AppDefinition, add: (problem: string) => void): (where: string, value: unknown) => void {
  const names = new Set(connectionNames(app));
  const variants = connectionVariants(app);
  return (where, value) => {
    if (typeof value !== "string" || value.length === 0) { add(`${where} is missing`); return; }
    const used = templatePlaceholders(value);
    for (const name of used) if (!names.has(name)) add(`${where} references {{${name}}}, which is not a parameter or learned value of the app`);
    if (/\{\{|\}\}/.test(value.replace(PLACEHOLDER, ""))) { add(`${where} has a malformed placeholder`); return; }
    if (used.length > 0 && !Array.isArray(app.hosts)) add(`${where} is built from connection values: the app must declare hosts`);
    const filledUrls = new Set(variants.map((values) => value.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? "x")));
    for (const filled of filledUrls) {
      checkUrl(where, filled, add);
      if (!Array.isArray(app.hosts)) continue;
      try {
        const host = new URL(filled).hostname;
        const loopback = loopbackHttpAllowed && (host === "127.0.0.1" || host === "localhost");
        if (!loopback && !app.hosts.some((pattern) => typeof pattern === "string" && hostMatches(host, pattern))) add(`${where}: its host ${host} is not among the app's hosts`);
      } catch {
        // reported by checkUrl
      }
    }
  };
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
    ...(overlay.extraTokenParams !== undefined ? { extraTokenParams: overlay.extraTokenParams } : {}),
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
    parameters: entry.parameters,
    learned: entry.learned,
    hosts: entry.hosts,
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
