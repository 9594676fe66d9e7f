import { isIP } from "node:net";
import { badInput } from "../../errors/app-error";

/**
 * Host patterns an app's URLs must stay on: `api.example.com` (that host exactly) or
 * `*.example.com` (one or more labels in front of `example.com`, never `example.com` itself).
 * Matched label by label on the URL's own hostname, so `example.com.evil.test`,
 * `evil.test/x.example.com` and `evil.test#.example.com` never pass.
 */
export function hostMatches(hostname: string, pattern: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const wanted = pattern.toLowerCase();
  if (!wanted.startsWith("*.")) return host === wanted;
  const suffix = wanted.slice(1); // ".example.com"
  if (!host.endsWith(suffix)) return false;
  const front = host.slice(0, -suffix.length);
  return front.length > 0 && front.split(".").every((label) => LABEL.test(label));
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why a URL built for an app is refused (null: it may be called). */
export function hostProblem(url: URL, patterns: readonly string[], options: { allowHttp?: boolean } = {}): string | null {
  if (url.protocol !== "https:" && !(options.allowHttp && url.protocol === "http:")) return "it does not use https";
  if (url.username || url.password) return "it carries a user name or password";
  if (url.port !== "") return "it names a port";
  const host = url.hostname;
  if (isIP(host.replace(/^\[|\]$/g, "")) !== 0) return "its host is an IP address";
  // WHATWG URLs turn non-ASCII names into punycode: a look-alike of a real host shows up as xn--.
  if (host.split(".").some((label) => label.startsWith("xn--")) && !patterns.some((p) => p.includes("xn--"))) return "its host is an internationalized name";
  if (!patterns.some((pattern) => hostMatches(host, pattern))) return "its host is not one of the app's hosts";
  return null;
}

/**
 * Checks a URL built from an app's templates and a connection's values, before any connection is
 * made: https, no user name, password or port, no IP literal or internationalized look-alike,
 * and a host among the app's patterns. BAD_USER_INPUT names what is wrong (never the value).
 */
export function requireAppHost(url: URL, patterns: readonly string[], field: string, options: { allowHttp?: boolean } = {}): URL {
  const problem = hostProblem(url, patterns, options);
  if (problem) throw badInput(`The address built for this app is refused: ${problem}.`, field);
  return url;
}
