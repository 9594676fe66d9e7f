import { ConnectedAccountsError } from "@connected-accounts/client";
import type { AccountHealthStatus, AccountListItemFragment } from "@connected-accounts/client/operations";

/** Label and tone of each health status. */
export const HEALTH: Record<AccountHealthStatus, { label: string; tone: "ok" | "warn" | "bad" }> = {
  HEALTHY: { label: "Healthy", tone: "ok" },
  DEGRADED: { label: "Degraded", tone: "warn" },
  CLIENT_MISCONFIGURED: { label: "OAuth client misconfigured", tone: "warn" },
  NEEDS_RECONNECT: { label: "Needs reconnect", tone: "bad" },
};

/** Who an account is shared with, in words (`viewerUserId`: "you"). */
export function accessLabel(account: AccountListItemFragment, viewerUserId: string): string {
  if (account.shared === "WORKSPACE") return "Whole workspace";
  if (account.shared === "PRIVATE") return "Private";
  const names = account.grants.flatMap((g) => (g.member ? [g.member.userId === viewerUserId ? "you" : memberName(g.member)] : []));
  return names.length === 1 ? `Shared with ${names[0]}` : `Shared with ${names.length} members`;
}

/** A member's name for people. */
export const memberName = (member: { displayName?: string | null; userId: string } | null | undefined): string =>
  member ? (member.displayName ?? member.userId) : "—";

/** The sentence a person reads when an action fails: the client's and service's codes in words. */
export function describeError(error: unknown, appName = "the app"): { message: string; code: string } {
  if (!(error instanceof ConnectedAccountsError)) return { message: error instanceof Error ? error.message : String(error), code: "INTERNAL" };
  const byCode: Record<string, string> = {
    POPUP_BLOCKED: "The browser blocked the sign-in window. Allow popups for this page and try again.",
    POPUP_CLOSED: "The sign-in window was closed before the account was connected.",
    TIMEOUT: "The sign-in took too long. Try again.",
    ACCESS_DENIED: `Access was denied at ${appName}, so nothing was connected.`,
    PROVIDER_ERROR: `${appName} answered with an error. Try again, or ask a workspace admin to check its OAuth client.`,
    EXCHANGE_FAILED: `${appName} did not accept the sign-in. Try again, or ask a workspace admin to check its OAuth client.`,
    PROVIDER_UNAVAILABLE: `${appName} did not answer in time. Try again in a minute.`,
    IDENTITY_MISMATCH: `You signed in to ${appName} as someone else than this account's user.`,
    NETWORK_ERROR: "The accounts service could not be reached. Check your connection and try again.",
  };
  return { message: byCode[error.code] ?? error.message, code: error.code };
}

/** "3 minutes ago" style dates. */
export function since(iso: string): string {
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3600],
    ["minute", 60],
  ];
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of units) if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  return "just now";
}
