import type { AppDefinition } from "../apps/app-definition";
import { readPath, type ExternalIdentity } from "../accounts/app-check";

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
 * (called with the new access token, within the deadline), else from the id_token.
 */
export async function readExternalIdentity(
  app: AppDefinition,
  accessToken: string,
  idToken: string | null,
  timeoutMs: number,
): Promise<ExternalIdentity> {
  const spec = app.oauth?.identity;
  if (spec) {
    try {
      const response = await fetch(spec.url, {
        method: spec.method ?? "GET",
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", "user-agent": "connected-accounts" },
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
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
