import type { AuthTemplate } from "./app-definition";

/** Request parts credentials become: headers and query parameters. */
export interface RenderedAuth {
  headers: Record<string, string>;
  query: Record<string, string>;
  /**
   * Headers made of connection values alone (Xero's tenant header): not secret, so a request may
   * send its own instead (another organisation of the same grant), and never redacted.
   */
  defaults: Record<string, string>;
}

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

/** Fills `{{field}}` placeholders; a placeholder with no value renders empty (optional fields). */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? "");
}

/**
 * Turns an app's auth template and an account's values into request headers and query. With
 * `connection` (the connection's template values and the names it may have), a header made of
 * connection values alone is a default rather than an auth header, and a part that needs a
 * connection value the account lacks (connected before the app learned it) is left out rather
 * than sent empty.
 */
export function renderAuth(
  auth: AuthTemplate,
  values: Readonly<Record<string, string>>,
  connection?: { names: ReadonlySet<string>; values: Readonly<Record<string, string>> },
): RenderedAuth {
  const headers: Record<string, string> = {};
  const defaults: Record<string, string> = {};
  const all = connection ? { ...connection.values, ...values } : values;
  const usable = (template: string) => !connection || placeholdersOf(template).every((name) => !connection.names.has(name) || all[name] !== undefined);
  for (const [name, template] of Object.entries(auth.headers ?? {})) {
    if (!usable(template)) continue;
    const used = placeholdersOf(template);
    if (connection && used.length > 0 && used.every((n) => connection.names.has(n))) defaults[name] = renderTemplate(template, all);
    else headers[name] = renderTemplate(template, all);
  }
  if (auth.basic) {
    const user = renderTemplate(auth.basic.username, all);
    const password = renderTemplate(auth.basic.password, all);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
  }
  const query: Record<string, string> = {};
  for (const [name, template] of Object.entries(auth.query ?? {})) if (usable(template)) query[name] = renderTemplate(template, all);
  return { headers, query, defaults };
}

/** The placeholder names of a template. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}
