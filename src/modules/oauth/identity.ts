import type { DialTarget } from "../apps/app-catalog.service";
import { authConnection } from "../apps/app-connection";
import type { AppDefinition, ConnectionValues, OAuthSpec } from "../apps/app-definition";
import { renderAuth } from "../apps/auth-template";
import { readPath, type ExternalIdentity } from "../accounts/app-check";
import { observeProviderCall } from "../../observability/provider-calls";

/** Reads the claims of an id_token received directly from the token endpoint (back channel, so not re-verified). */
function idTokenClaims(idToken: string | null): Record<string, unknown> | null {
  const payload = idToken?.split(".")[1];
  if (!payload) return null;
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * The provider-side identity of a new grant: from the app's identity endpoint when it has one
 * (called with the new access token through the app's auth template, within the deadline), else
 * from the id_token. `oauth` is the connection's (its identity URL filled and checked).
 */
export async function readExternalIdentity(
  app: AppDefinition,
  oauth: OAuthSpec,
  connection: ConnectionValues,
  accessToken: string,
  idToken: string | null,
  timeoutMs: number,
  dial: (url: string) => DialTarget = (url) => ({ url, headers: {} }),
): Promise<ExternalIdentity> {
  const spec = oauth.identity;
  if (spec) {
    try {
      const rendered = renderAuth(app.auth, { oauth_access_token: accessToken }, authConnection(app, connection));
      const auth = { query: rendered.query, headers: { ...rendered.defaults, ...rendered.headers } };
      const target = new URL(spec.url);
      for (const [name, value] of Object.entries(auth.query)) target.searchParams.set(name, value);
      const dialed = dial(target.href);
      const response = await observeProviderCall(
        app.slug,
        "identity",
        () =>
          fetch(dialed.url, {
            method: spec.method ?? "GET",
            headers: { accept: "application/json", "user-agent": "connected-accounts", ...auth.headers, ...dialed.headers },
            redirect: "manual",
            signal: AbortSignal.timeout(timeoutMs),
          }),
        (r) => r.ok,
      );
      if (response.ok) {
        const body = (await response.json()) as unknown;
        const id = readPath(body, spec.idField);
        if (id) return { id: id.slice(0, 190), name: spec.nameField ? (readPath(body, spec.nameField)?.slice(0, 190) ?? null) : null };
      }
    } catch {
      // fall back to the id_token below
    }
  }
  const claims = idTokenClaims(idToken);
  const sub = typeof claims?.sub === "string" ? claims.sub : null;
  const name = typeof claims?.name === "string" ? claims.name : typeof claims?.email === "string" ? claims.email : null;
  return { id: sub?.slice(0, 190) ?? null, name: name?.slice(0, 190) ?? null };
}
