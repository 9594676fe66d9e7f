import { AppError, badInput, providerUnavailable } from "../../errors/app-error";
import { NO_CONNECTION_VALUES, authConnection, templateValues } from "../apps/app-connection";
import type { AppDefinition, ConnectionValues } from "../apps/app-definition";
import { renderAuth, renderTemplate } from "../apps/auth-template";
import { fetchFailure, headerProblem, resolveAppUrl } from "../proxy/proxy-request";

/** The provider-side identity of a connection. */
export interface ExternalIdentity {
  id: string | null;
  name: string | null;
}

import { readPath } from "../apps/json-path";
import { observeProviderCall } from "../../observability/provider-calls";

export { readPath };

/**
 * The path of the app's test request with its `{{field}}` placeholders filled from the credential
 * values, each percent-encoded (a value holding `/`, `?` or `#` stays inside its segment).
 */
export function testRequestPath(app: AppDefinition, values: Readonly<Record<string, string>>): string {
  const encoded = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]));
  return renderTemplate(app.testRequest?.path ?? "/", encoded);
}

/**
 * Sends the app's test request with the submitted credentials and reads the external identity
 * from the answer. Rejected credentials are BAD_USER_INPUT; an app that does not answer in time
 * (or answers 5xx/429) or cannot be reached is PROVIDER_UNAVAILABLE, saying which. Redirects are
 * not followed, and the path stays below the app's base path: credentials go to the app's own API
 * only, whatever the values filled into the path.
 */
export async function checkCredentialsAtApp(
  app: AppDefinition,
  apiBaseUrl: string,
  credentials: Readonly<Record<string, string>>,
  timeoutMs: number,
  options: { connection?: ConnectionValues; dial?: (url: string) => { url: string; headers: Record<string, string> } } = {},
): Promise<ExternalIdentity> {
  // Templates see the connection's parameters and learned values too (not secret).
  const values = { ...(options.connection ? templateValues(app, options.connection) : {}), ...credentials };
  const test = app.testRequest;
  if (!test) return { id: null, name: null };
  let url: URL;
  try {
    url = resolveAppUrl(app, apiBaseUrl, testRequestPath(app, values));
  } catch (error) {
    // A value such as ".." would move the request out of the app's API.
    if (error instanceof AppError) throw badInput(`These credentials cannot be used in ${app.name}'s test request: ${error.message}`, "credentials");
    throw error;
  }
  const rendered = renderAuth(app.auth, credentials, authConnection(app, options.connection ?? NO_CONNECTION_VALUES));
  const auth = { ...rendered, headers: { ...rendered.defaults, ...rendered.headers } };
  if (Object.entries(auth.headers).some(([name, value]) => headerProblem(name, value))) {
    throw badInput("These credentials cannot be sent in an HTTP header (a line break or control character).", "credentials");
  }
  for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
  const target = options.dial ? options.dial(url.href) : { url: url.href, headers: {} };
  let response: Response;
  try {
    response = await observeProviderCall(
      app.slug,
      "check",
      () =>
        fetch(target.url, {
          method: test.method,
          headers: { accept: "application/json", "user-agent": "connected-accounts", ...auth.headers, ...target.headers },
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        }),
      (r) => r.status < 500,
    );
  } catch (error) {
    throw providerUnavailable(
      fetchFailure(error) === "timeout"
        ? `${app.name} did not answer the credential check in time; try again later.`
        : `${app.name} could not be reached for the credential check; try again later.`,
    );
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
