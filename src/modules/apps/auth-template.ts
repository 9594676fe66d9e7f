import type { AuthTemplate } from "./app-definition";

/** Request parts credentials become: headers and query parameters. */
export interface RenderedAuth {
  headers: Record<string, string>;
  query: Record<string, string>;
}

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

/** Fills `{{field}}` placeholders; a placeholder with no value renders empty (optional fields). */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? "");
}

/** Turns an app's auth template and an account's credential values into request headers and query. */
export function renderAuth(auth: AuthTemplate, values: Readonly<Record<string, string>>): RenderedAuth {
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(auth.headers ?? {})) headers[name] = renderTemplate(template, values);
  if (auth.basic) {
    const user = renderTemplate(auth.basic.username, values);
    const password = renderTemplate(auth.basic.password, values);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
  }
  const query: Record<string, string> = {};
  for (const [name, template] of Object.entries(auth.query ?? {})) query[name] = renderTemplate(template, values);
  return { headers, query };
}
