import { badInput, providerUnavailable } from "../../errors/app-error";
import type { AppDefinition } from "../apps/app-definition";
import { renderAuth, renderTemplate } from "../apps/auth-template";

/** The provider-side identity of a connection. */
export interface ExternalIdentity {
  id: string | null;
  name: string | null;
}

/** Reads a dot path ("team.id", "items.0.name") out of a JSON value. */
export function readPath(value: unknown, path: string): string | null {
  let current: unknown = value;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return null;
    current = (current as Record<string, unknown>)[part];
  }
  return typeof current === "string" || typeof current === "number" ? String(current) : null;
}

/**
 * Sends the app's test request with the submitted credentials and reads the external identity
 * from the answer. Rejected credentials are BAD_USER_INPUT; an app that does not answer in time
 * (or answers 5xx/429) is PROVIDER_UNAVAILABLE. Redirects are not followed: credentials go to the
 * app's own host only.
 */
export async function checkCredentialsAtApp(
  app: AppDefinition,
  apiBaseUrl: string,
  values: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<ExternalIdentity> {
  const test = app.testRequest;
  if (!test) return { id: null, name: null };
  const encoded = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]));
  const url = new URL(apiBaseUrl.replace(/\/+$/, "") + renderTemplate(test.path, encoded));
  const auth = renderAuth(app.auth, values);
  for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetch(url, {
      method: test.method,
      headers: { accept: "application/json", "user-agent": "connected-accounts", ...auth.headers },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw providerUnavailable(`${app.name} did not answer the credential check in time; try again later.`);
  }
  const text = await response.text().catch(() => "");
  if (response.status === 401 || response.status === 403) {
    throw badInput(`${app.name} rejected these credentials.`, "credentials");
  }
  if (response.status === 429 || response.status >= 500) {
    throw providerUnavailable(`${app.name} could not check the credentials right now (HTTP ${response.status}); try again later.`);
  }
  if (response.status < 200 || response.status >= 300) {
    throw badInput(`${app.name} refused the credential check (HTTP ${response.status}).`, "credentials");
  }
  if (!test.identity) return { id: null, name: null };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { id: null, name: null };
  }
  return {
    id: readPath(body, test.identity.idField)?.slice(0, 190) ?? null,
    name: test.identity.nameField ? (readPath(body, test.identity.nameField)?.slice(0, 190) ?? null) : null,
  };
}
