import { followAccountEvents, type AccountEventsOptions, type AccountEventStream, type BackoffOptions } from "./events.js";
import { ConnectedAccountsError } from "./errors.js";
import { StartOAuthConnectDocument, StartOAuthReconnectDocument } from "./generated.js";
import { request, type Transport, type TypedDocument } from "./http.js";
import { openBlankPopup, runPopupFlow, type ConnectResult, type PopupOptions } from "./popup.js";

/** How to reach the service, and as whom. */
export interface ConnectedAccountsOptions {
  /** The service's GraphQL endpoint, e.g. `https://accounts.example.com/graphql` (or a router's). */
  url: string;
  /**
   * The app's own authentication: resolves with a bearer token (a JWT of the app's identity
   * provider, or a personal API token) that is valid now. Called for every HTTP request and for
   * every WebSocket connection, so a reconnect after the service closed a connection whose token
   * ended (4401) asks it again; cache inside it as the app sees fit.
   */
  getToken: () => Promise<string>;
  /** The graphql-ws endpoint (default: `url` with `ws:`/`wss:`). */
  wsUrl?: string;
  /** A WebSocket implementation where there is no global one (Node 20: `ws`). */
  webSocketImpl?: unknown;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Reconnect timing of event streams. */
  backoff?: BackoffOptions;
}

/** Input of {@link ConnectedAccounts.connectAccount}. */
export interface ConnectAccountInput extends PopupOptions {
  workspaceId: string;
  /** The app's catalog slug (an OAuth app). */
  appSlug: string;
  /** Default: the app's name. */
  nickname?: string;
  /** Default: the workspace client's scopes, or the app's default scopes. */
  scopes?: string[];
  /** A workspace's own OAuth client (default: the service's client for the app). */
  oauthClientId?: string;
}

/** Options of {@link ConnectedAccounts.reconnectAccount}. */
export interface ReconnectAccountOptions extends PopupOptions {
  scopes?: string[];
  oauthClientId?: string;
}

/** A client of one Connected Accounts service for one signed-in user. */
export interface ConnectedAccounts {
  /** Sends one operation (a generated document, or a query string) over HTTP; resolves with its data. */
  request<TResult, TVariables>(document: TypedDocument<TResult, TVariables> | string, variables?: TVariables, signal?: AbortSignal): Promise<TResult>;
  /**
   * Connects an OAuth account in a popup. Call it from the click handler itself: the popup is
   * opened before anything is awaited, or popup blockers stop it. Resolves once the service's
   * callback page reports the account; rejects with a {@link ConnectedAccountsError} whose code is
   * the service's (`ACCESS_DENIED`, `BAD_USER_INPUT`, …) or `POPUP_BLOCKED`, `POPUP_CLOSED`,
   * `TIMEOUT`, `ABORTED`.
   */
  connectAccount(input: ConnectAccountInput): Promise<ConnectResult>;
  /** Reconnects (or, for a legacy account, claims) an OAuth account in a popup; same rules as `connectAccount`. */
  reconnectAccount(accountId: string, options?: ReconnectAccountOptions): Promise<ConnectResult>;
  /** Follows the workspace's account events over graphql-ws, resuming from the last cursor. */
  accountEvents(options: AccountEventsOptions): AccountEventStream;
}

/** Makes a client; nothing is sent until it is used. */
export function createConnectedAccounts(options: ConnectedAccountsOptions): ConnectedAccounts {
  const transport: Transport = {
    url: options.url,
    getToken: options.getToken,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  const wsUrl = options.wsUrl ?? options.url.replace(/^http(s?):/i, "ws$1:");

  // Opens the popup synchronously, then starts the flow and hands the popup its URL.
  function withPopup(popupOptions: PopupOptions, start: () => Promise<{ authorizationUrl: string; expiresAt: string }>): Promise<ConnectResult> {
    let popup: Window;
    try {
      popup = openBlankPopup(popupOptions);
    } catch (error) {
      return Promise.reject(error);
    }
    return start().then(
      ({ authorizationUrl, expiresAt }) => runPopupFlow(popup, authorizationUrl, expiresAt, popupOptions),
      (error: unknown) => {
        popup.close();
        throw error instanceof ConnectedAccountsError ? error : new ConnectedAccountsError("NETWORK_ERROR", String(error));
      },
    );
  }

  const openerOrigin = () => (typeof window !== "undefined" ? window.location.origin : undefined);

  return {
    request: (document, variables, signal) => request(transport, document, variables, signal),

    connectAccount(input) {
      const { workspaceId, appSlug, nickname, scopes, oauthClientId, ...popupOptions } = input;
      return withPopup(popupOptions, async () => {
        const data = await request(
          transport,
          StartOAuthConnectDocument,
          { input: { workspaceId, appSlug, nickname, scopes, oauthClientId, openerOrigin: openerOrigin() } },
          popupOptions.signal,
        );
        return data.startOAuthConnect;
      });
    },

    reconnectAccount(accountId, reconnectOptions = {}) {
      const { scopes, oauthClientId, ...popupOptions } = reconnectOptions;
      return withPopup(popupOptions, async () => {
        const data = await request(
          transport,
          StartOAuthReconnectDocument,
          { input: { accountId, scopes, oauthClientId, openerOrigin: openerOrigin() } },
          popupOptions.signal,
        );
        return data.startOAuthReconnect;
      });
    },

    accountEvents: (eventOptions) =>
      followAccountEvents({ wsUrl, getToken: options.getToken, webSocketImpl: options.webSocketImpl, backoff: options.backoff }, eventOptions),
  };
}
