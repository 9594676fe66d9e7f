import { ConnectedAccountsError } from "./errors.js";

/** What a finished connect or reconnect resolves with. */
export interface ConnectResult {
  /** The connected (or reconnected) account. */
  accountId: string;
  /** True when a reconnect claimed a legacy (ownerless) account for the caller. */
  claimed: boolean;
}

/** Options of the popup window and its waiting. */
export interface PopupOptions {
  /** Give up after this long (default 10 minutes, and never after the flow itself expires). */
  timeoutMs?: number;
  /** Window features for `window.open` (default a 520×720 popup centred on the opener). */
  features?: string;
  /** Cancels the flow and closes the popup. */
  signal?: AbortSignal;
}

/** The message the service's callback page posts to its opener (docs/api/oauth.md). */
interface OAuthResultMessage {
  source: "connected-accounts";
  type: "oauth-result";
  status: "success" | "error";
  accountId?: string;
  claimed?: boolean;
  error?: string;
  message?: string;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const CLOSED_POLL_MS = 300;

const isResultMessage = (data: unknown): data is OAuthResultMessage =>
  typeof data === "object" && data !== null && (data as OAuthResultMessage).source === "connected-accounts" && (data as OAuthResultMessage).type === "oauth-result";

function centredFeatures(width: number, height: number): string {
  const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - width) / 2));
  const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - height) / 3));
  return `popup,width=${width},height=${height},left=${left},top=${top}`;
}

/**
 * Opens an empty popup now, while the click that asked for it is still being handled (a popup
 * opened after an `await` is blocked by most browsers), and shows a short note until the flow's
 * URL is known.
 */
export function openBlankPopup(options: PopupOptions): Window {
  const name = `connected-accounts-${Math.random().toString(36).slice(2)}`;
  const popup = window.open("", name, options.features ?? centredFeatures(520, 720));
  if (!popup) throw new ConnectedAccountsError("POPUP_BLOCKED", "The browser blocked the sign-in window; allow popups for this page and try again.");
  try {
    popup.document.title = "Connecting…";
    const note = popup.document.createElement("p");
    note.textContent = "Opening the sign-in page…";
    note.style.cssText = "font: 15px system-ui, sans-serif; margin: 2rem; color: #555";
    popup.document.body.append(note);
  } catch {
    // A popup we cannot write to still works: the note is only a courtesy.
  }
  return popup;
}

/**
 * Sends the popup to the flow's authorization URL and waits for the result the service's
 * callback page posts. Only a message from the popup itself, from the origin of the service's
 * OAuth pages (the authorization URL's origin), counts; it is answered with `oauth-ack`, which
 * lets the page close itself. Rejects with the service's error code (`ACCESS_DENIED`, …), or
 * `POPUP_CLOSED`, `TIMEOUT` or `ABORTED`.
 */
export function runPopupFlow(popup: Window, authorizationUrl: string, expiresAt: string | null, options: PopupOptions): Promise<ConnectResult> {
  const serviceOrigin = new URL(authorizationUrl).origin;
  const untilExpiry = expiresAt ? Date.parse(expiresAt) - Date.now() : Infinity;
  const timeoutMs = Math.max(1000, Math.min(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, untilExpiry));

  return new Promise<ConnectResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      window.removeEventListener("message", onMessage);
      clearInterval(closedPoll);
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const fail = (code: string, message: string, close: boolean) =>
      finish(() => {
        if (close && !popup.closed) popup.close();
        reject(new ConnectedAccountsError(code, message));
      });

    function onMessage(event: MessageEvent): void {
      if (event.origin !== serviceOrigin || event.source !== popup || !isResultMessage(event.data)) return;
      (event.source as Window).postMessage({ source: "connected-accounts", type: "oauth-ack" }, event.origin);
      const result = event.data;
      if (result.status === "success" && result.accountId) {
        finish(() => resolve({ accountId: result.accountId!, claimed: result.claimed === true }));
      } else {
        fail(result.error ?? "PROVIDER_ERROR", result.message ?? "The account could not be connected.", false);
      }
    }
    const onAbort = () => fail("ABORTED", "The connection was cancelled.", true);

    window.addEventListener("message", onMessage);
    // The popup's page is on another origin, so nothing tells the opener it was closed: poll.
    const closedPoll = setInterval(() => {
      if (popup.closed) fail("POPUP_CLOSED", "The sign-in window was closed before the account was connected.", false);
    }, CLOSED_POLL_MS);
    const timer = setTimeout(() => fail("TIMEOUT", "The sign-in took too long; start again.", true), timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort);
    try {
      popup.location.href = authorizationUrl;
    } catch {
      // closed while the flow was starting: the next poll reports it
    }
  });
}
