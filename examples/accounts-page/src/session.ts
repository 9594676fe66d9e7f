/** The page's settings, from its own server. */
export interface PageConfig {
  /** The Connected Accounts service's GraphQL URL (another origin). */
  serviceUrl: string;
  /** Who is signed in when the URL does not say (`?as=`). */
  defaultUser: string;
}

export async function loadPageConfig(): Promise<PageConfig> {
  const response = await fetch("/config.json");
  if (!response.ok) throw new Error(`The page's settings could not be read (HTTP ${response.status}).`);
  return (await response.json()) as PageConfig;
}

/**
 * The app's own authentication, as the client package wants it: a function that resolves with a
 * token valid now. It keeps the token until shortly before it expires, then asks the app's server
 * for another; the client calls it for every request and every WebSocket connection (so after the
 * service closes a connection whose token ended, 4401, the reconnect gets a fresh one).
 */
export function tokenSource(user: string): () => Promise<string> {
  let cached: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;
  return () => {
    if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
    pending ??= (async () => {
      try {
        const response = await fetch(`/token?as=${encodeURIComponent(user)}`);
        if (!response.ok) throw new Error(`Signing in failed (HTTP ${response.status}).`);
        const { token } = (await response.json()) as { token: string };
        cached = { token, renewAt: renewalTime(token) };
        return token;
      } finally {
        pending = null;
      }
    })();
    return pending;
  };
}

// 30 s before the JWT's `exp` (or in a minute for a token that is not a JWT).
function renewalTime(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: number };
    if (typeof payload.exp === "number") return payload.exp * 1000 - 30_000;
  } catch {
    // not a JWT: renew soon
  }
  return Date.now() + 60_000;
}
