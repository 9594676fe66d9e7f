import { badInput } from "../../errors/app-error";
import type { AppDefinition, AppParameter, ConnectionValues, OAuthSpec } from "./app-definition";
import { requireAppHost } from "./app-hosts";

// Connection parameters and learned values: what a tenant app's URLs are made of. Every URL of a
// connection is built here, from the catalog's templates and the connection's values, and checked
// against the app's host patterns before anything connects to it.

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

/** No values: an app whose URLs are fixed. */
export const NO_CONNECTION_VALUES: ConnectionValues = Object.freeze({ parameters: Object.freeze({}), learned: Object.freeze({}) }) as ConnectionValues;

/** The host patterns an app's URLs must stay on: its declared `hosts`, else the hosts of its own URLs and `allowedHosts`. */
export function hostPatternsOf(app: AppDefinition): string[] {
  if (app.hosts?.length) return [...app.hosts];
  const urls = [app.apiBaseUrl, app.oauth?.authorizationUrl, app.oauth?.tokenUrl, app.oauth?.refreshUrl, app.oauth?.revocationUrl, app.oauth?.identity?.url];
  const hosts = new Set<string>(app.allowedHosts ?? []);
  for (const url of urls) {
    if (!url || url.includes("{{")) continue;
    try {
      hosts.add(new URL(url).hostname);
    } catch {
      // validated elsewhere
    }
  }
  return [...hosts];
}

/**
 * A connection's parameters from what the member gave: each declared one checked against its
 * pattern or closed list (BAD_USER_INPUT naming it, never echoing the value), defaults applied,
 * required ones demanded, unknown ones refused.
 */
export function checkParameters(app: AppDefinition, given: ReadonlyArray<{ name: string; value: string }> | null | undefined): Record<string, string> {
  const declared = new Map((app.parameters ?? []).map((p) => [p.name, p]));
  const values: Record<string, string> = {};
  for (const { name, value } of given ?? []) {
    const parameter = declared.get(name);
    if (!parameter) throw badInput(`${app.name} takes no parameter "${name.slice(0, 60)}".`, "parameters");
    if (name in values) throw badInput(`The parameter ${name} is given twice.`, "parameters");
    values[name] = checkParameterValue(app, parameter, value);
  }
  for (const parameter of declared.values()) {
    if (parameter.name in values) continue;
    if (parameter.default !== undefined) values[parameter.name] = parameter.default;
    else if (!parameter.optional) throw badInput(`${app.name} needs the parameter ${parameter.name} (${parameter.label}).`, "parameters");
  }
  return values;
}

function checkParameterValue(app: AppDefinition, parameter: AppParameter, raw: string): string {
  const value = typeof raw === "string" ? raw.trim() : "";
  const allowed = parameter.values?.map((v) => v.value);
  if (allowed ? !allowed.includes(value) : !new RegExp(parameter.pattern ?? "^$").test(value)) {
    const expected = allowed ? `one of ${allowed.join(", ")}` : `e.g. ${parameter.example}`;
    throw badInput(`The parameter ${parameter.name} (${parameter.label}) of ${app.name} is not valid: expected ${expected}.`, "parameters");
  }
  return value;
}

/**
 * The values an app's templates see for one connection: its parameters (a declared default
 * standing in for one it lacks, as for accounts connected before the parameter existed), what a
 * chosen value of a closed list sets (a region's hosts), and what was learned. Names never clash
 * (the catalog's validation sees to it). Not secret: credentials are added by the caller.
 */
export function templateValues(app: AppDefinition, connection: ConnectionValues): Record<string, string> {
  const values: Record<string, string> = {};
  for (const parameter of app.parameters ?? []) {
    const value = connection.parameters[parameter.name] ?? parameter.default;
    if (value === undefined) continue;
    values[parameter.name] = value;
    const choice = parameter.values?.find((v) => v.value === value);
    if (choice?.set) Object.assign(values, choice.set);
  }
  return { ...values, ...connection.learned };
}

/** Every name a connection may give an app's templates: parameters, what their choices set, learned values. */
export function connectionNamesOf(app: AppDefinition): Set<string> {
  const names = new Set<string>();
  for (const parameter of app.parameters ?? []) {
    names.add(parameter.name);
    for (const name of Object.keys(parameter.values?.[0]?.set ?? {})) names.add(name);
  }
  for (const learned of app.learned ?? []) names.add(learned.name);
  return names;
}

/** An account's connection as auth templates see it (for `renderAuth`). */
export function authConnection(app: AppDefinition, connection: ConnectionValues): { names: Set<string>; values: Record<string, string> } {
  return { names: connectionNamesOf(app), values: templateValues(app, connection) };
}

/**
 * A request path with `{{name}}` connection values filled in (`/ex/jira/{{cloud_id}}/rest/api/3/issue`),
 * each percent-encoded as one path segment; credentials are never filled in. A name the
 * connection has no value for is BAD_USER_INPUT naming it.
 */
export function fillRequestPath(app: AppDefinition, path: string, connection: ConnectionValues): string {
  if (!path.includes("{{")) return path;
  const values = templateValues(app, connection);
  return path.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw badInput(`This account has no connection value ${name}${connectionNamesOf(app).has(name) ? " (reconnect it to learn it)" : ""}.`, "path");
    return encodeURIComponent(value);
  });
}

/** Fills `{{name}}` with connection values; a placeholder with no value is refused (never an empty host or path part). */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>, field: string): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw badInput(`This connection has no value for ${name}.`, field);
    return value;
  });
}

/** Options of URL resolution outside production (tests point apps at loopback servers). */
export interface ResolveOptions {
  /** Accept http URLs (extra apps on loopback, outside production). */
  allowHttp?: boolean;
  /** The app's API base URL replaced (APP_BASE_URL_OVERRIDES, tests only). */
  apiBaseUrlOverride?: string;
}

/** One URL of a connection: filled, parsed, and checked against the app's hosts (BAD_USER_INPUT otherwise). */
export function resolveAppUrl(app: AppDefinition, template: string, connection: ConnectionValues, field: string, options: ResolveOptions = {}): string {
  const filled = fillTemplate(template, templateValues(app, connection), field);
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw badInput("The address built for this app is not a URL.", field);
  }
  const loopback = options.allowHttp && url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
  if (!loopback) requireAppHost(url, hostPatternsOf(app), field);
  return filled.replace(/\/+$/, (slashes) => (url.pathname === "/" ? "" : slashes));
}

/** An app's URLs for one connection. */
export interface ConnectionUrls {
  apiBaseUrl: string;
  /** Host patterns a request through the connection may reach. */
  hosts: string[];
  oauth?: OAuthSpec;
}

/**
 * Every URL of an app for one connection, filled and checked: the API base and, for OAuth apps,
 * the authorize, token, refresh, revocation and identity endpoints. A URL whose placeholders have
 * no value yet (a learned value before the code exchange) is left out of `oauth` only when
 * `partial` says so (the start of a flow needs the authorize and token URLs alone).
 */
export function connectionUrls(app: AppDefinition, connection: ConnectionValues, options: ResolveOptions & { partial?: boolean } = {}): ConnectionUrls {
  const resolve = (template: string, field: string) => resolveAppUrl(app, template, connection, field, options);
  const maybe = (template: string | undefined, field: string) => {
    if (template === undefined) return undefined;
    if (options.partial && !hasValuesFor(app, template, connection)) return undefined;
    return resolve(template, field);
  };
  const apiBaseUrl =
    options.apiBaseUrlOverride ?? (options.partial && !hasValuesFor(app, app.apiBaseUrl, connection) ? app.apiBaseUrl : resolve(app.apiBaseUrl, "apiBaseUrl"));
  let oauth: OAuthSpec | undefined;
  if (app.oauth) {
    const identityUrl = maybe(app.oauth.identity?.url, "oauth.identity.url");
    oauth = {
      ...app.oauth,
      authorizationUrl: resolve(app.oauth.authorizationUrl, "oauth.authorizationUrl"),
      tokenUrl: resolve(app.oauth.tokenUrl, "oauth.tokenUrl"),
      ...(app.oauth.refreshUrl !== undefined ? { refreshUrl: maybe(app.oauth.refreshUrl, "oauth.refreshUrl") } : {}),
      ...(app.oauth.revocationUrl !== undefined ? { revocationUrl: maybe(app.oauth.revocationUrl, "oauth.revocationUrl") } : {}),
      ...(app.oauth.identity !== undefined && identityUrl !== undefined ? { identity: { ...app.oauth.identity, url: identityUrl } } : {}),
    };
    if (app.oauth.identity && identityUrl === undefined) delete oauth.identity;
  }
  const hosts = hostPatternsOf(app);
  if (options.apiBaseUrlOverride) hosts.push(new URL(options.apiBaseUrlOverride).hostname);
  return { apiBaseUrl, hosts, ...(oauth ? { oauth } : {}) };
}

/** Whether every placeholder of a template has a value in this connection. */
export function hasValuesFor(app: AppDefinition, template: string, connection: ConnectionValues): boolean {
  const values = templateValues(app, connection);
  return [...template.matchAll(PLACEHOLDER)].every((match) => values[match[1]!] !== undefined);
}

/** Reads the connection values stored with an account (a JSON column; null: none). */
export function parseConnection(stored: string | null | undefined): ConnectionValues {
  if (!stored) return NO_CONNECTION_VALUES;
  const parsed = JSON.parse(stored) as Partial<ConnectionValues>;
  return { parameters: parsed.parameters ?? {}, learned: parsed.learned ?? {} };
}

/** The JSON column value of connection values (null when there are none, as for every fixed-URL app). */
export function storeConnection(connection: ConnectionValues): string | null {
  if (Object.keys(connection.parameters).length === 0 && Object.keys(connection.learned).length === 0) return null;
  return JSON.stringify({ parameters: connection.parameters, learned: connection.learned });
}

/**
 * A learned value from a provider's answer: the value at the declared dot path, checked against
 * its pattern (and, for URLs, against the app's hosts) before it is stored. BAD_USER_INPUT names
 * the value, never shows it: a provider (or an attacker in its place) sending a value that would
 * take the connection elsewhere is refused.
 */
export function checkLearnedValue(app: AppDefinition, name: string, value: unknown): string {
  const spec = app.learned?.find((l) => l.name === name);
  if (!spec) throw new Error(`${app.slug} declares no learned value ${name}`);
  let text = typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
  const match = text ? new RegExp(spec.pattern).exec(text) : null;
  if (!match) throw badInput(`${app.name} gave a ${spec.label} this service does not accept.`, name);
  // From a credential: the part the pattern captures (the credential itself is never kept here).
  if (spec.from === "credential") text = match[1] ?? "";
  if (/^https?:\/\//.test(text)) requireAppHost(new URL(text), hostPatternsOf(app), name);
  return text.replace(/\/+$/, "");
}
