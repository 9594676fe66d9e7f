import { createClient, type Client } from "graphql-ws";
import { localStorageCursorStore, type CursorStore } from "./cursor-store.js";
import { ConnectedAccountsError, fromGraphQLErrors, type GraphQLErrorBody } from "./errors.js";
import { AccountEventsDocument, type AccountEventKind, type AccountEventsSubscription } from "./generated.js";

/** One account event, as `accountEvents` hands it to `onEvent`. */
export type AccountEvent = AccountEventsSubscription["accountEvents"];

/** Where the stream of events stands. */
export type EventStreamStatus = "connecting" | "live" | "retrying" | "stopped";

/** Options of {@link ConnectedAccounts.accountEvents}. */
export interface AccountEventsOptions {
  /** The workspace whose events to follow (only accounts the viewer may view arrive). */
  workspaceId: string;
  /** Only these kinds (default: every kind). */
  kinds?: AccountEventKind[];
  /** Only events about these accounts (default: every account). */
  accountIds?: string[];
  /** Called once per event, in cursor order, never twice for one cursor. */
  onEvent: (event: AccountEvent) => void;
  /** Called on every failure; `fatal` ones (the service refused the subscription itself) stop the stream. */
  onError?: (error: ConnectedAccountsError, info: { fatal: boolean }) => void;
  /** Called when the stream connects, goes live, waits to retry (`retryInMs`) or stops. */
  onStatus?: (status: EventStreamStatus, info: { retryInMs?: number }) => void;
  /** Where the last cursor is kept (default `localStorage`, or memory where there is none). */
  cursorStore?: CursorStore;
  /** The key under which the cursor is stored (default: derived from the workspace and the filters). Set it when several users share a browser. */
  cursorKey?: string;
  /** Where to start when the store has no cursor: after this cursor (0 = every retained event). Default: only new events. */
  after?: number;
}

/** A running event stream. */
export interface AccountEventStream {
  /** The cursor of the last event handed to `onEvent` (or loaded from the store). */
  readonly cursor: number | null;
  /** Stops the stream and closes its connection. */
  close(): void;
}

/** Retry timing after a failure (exponential, with jitter, reset once a connection is acknowledged). */
export interface BackoffOptions {
  /** First delay (default 500 ms). */
  initialMs?: number;
  /** Longest delay (default 30 s). */
  maxMs?: number;
}

/** The service's close codes (docs/api/events.md) that the stream treats specially. */
const CLOSE_TOKEN_ENDED = 4401; // the token expired or was revoked: reconnect at once with a fresh one
const CLOSE_TOKEN_REFUSED = 4403; // connection_init carried a refused token

interface CloseLike {
  code: number;
  reason: string;
}
const isCloseLike = (value: unknown): value is CloseLike =>
  typeof value === "object" && value !== null && typeof (value as CloseLike).code === "number" && "reason" in value;

/** Everything the stream needs from the client that made it. */
export interface EventStreamContext {
  wsUrl: string;
  getToken: () => Promise<string>;
  webSocketImpl?: unknown;
  backoff?: BackoffOptions;
}

/**
 * Follows `accountEvents` over graphql-ws. Each (re)subscription resumes with `after` set to the
 * last cursor handed out, so nothing is missed or repeated across reconnects, reloads and token
 * changes. graphql-ws's own retries are off (they would resend the first `after`); this loop
 * reconnects instead: at once with a fresh token after 4401, with backoff after anything else,
 * and stops on an error the service gave the subscription itself (`NOT_FOUND`, `FORBIDDEN`, …).
 */
export function followAccountEvents(context: EventStreamContext, options: AccountEventsOptions): AccountEventStream {
  const store = options.cursorStore ?? localStorageCursorStore();
  const key = options.cursorKey ?? defaultCursorKey(options);
  const initialMs = context.backoff?.initialMs ?? 500;
  const maxMs = context.backoff?.maxMs ?? 30_000;
  const report = (error: ConnectedAccountsError, fatal: boolean) => options.onError?.(error, { fatal });
  const status = (value: EventStreamStatus, info: { retryInMs?: number } = {}) => options.onStatus?.(value, info);

  let cursor: number | null = null;
  let stopped = false;
  let failures = 0;
  let lastTokenEnd = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe: (() => void) | undefined;

  const client: Client = createClient({
    url: context.wsUrl,
    lazy: true,
    lazyCloseTimeout: 0,
    retryAttempts: 0,
    ...(context.webSocketImpl ? { webSocketImpl: context.webSocketImpl } : {}),
    // Called for every connection, so a reconnect always carries the token getToken gives now.
    connectionParams: async () => ({ authorization: `Bearer ${await context.getToken()}` }),
    on: {
      connected: () => {
        failures = 0;
        if (!stopped) status("live");
      },
    },
  });

  function subscribe(): void {
    if (stopped) return;
    status("connecting");
    const variables = {
      workspaceId: options.workspaceId,
      ...(options.kinds ? { kinds: options.kinds } : {}),
      ...(options.accountIds ? { accountIds: options.accountIds } : {}),
      ...(cursor !== null ? { after: cursor } : {}),
    };
    let ended = false;
    const end = () => {
      const was = ended;
      ended = true;
      return was;
    };
    unsubscribe = client.subscribe<AccountEventsSubscription>(
      { query: AccountEventsDocument.toString(), variables },
      {
        next: (result) => {
          if (stopped) return;
          if (result.errors?.length) {
            const error = fromGraphQLErrors(result.errors as unknown as GraphQLErrorBody[]);
            // Without data the service refused the subscription itself (NOT_FOUND, FORBIDDEN, …):
            // retrying would only be refused again. With data, one event failed: the stream goes on.
            if (!result.data) {
              if (!end()) stop(error);
              return;
            }
            report(error, false);
          }
          const event = result.data?.accountEvents;
          // A replay that overlaps what was already handed out is skipped, never delivered twice.
          if (!event || (cursor !== null && event.cursor <= cursor)) return;
          cursor = event.cursor;
          try {
            options.onEvent(event);
          } finally {
            saveCursor(event.cursor);
          }
        },
        error: (error: unknown) => {
          if (!end()) failed(error);
        },
        complete: () => {
          // The service ended the subscription (or the socket closed normally): pick it up again.
          if (!end()) failed(null);
        },
      },
    );
  }

  function saveCursor(value: number): void {
    try {
      void Promise.resolve(store.save(key, value)).catch(() => undefined);
    } catch {
      // a failing store only costs a longer replay next time
    }
  }

  function failed(error: unknown): void {
    if (stopped) return;
    if (Array.isArray(error)) return stop(fromGraphQLErrors(error as GraphQLErrorBody[]));
    let delay: number;
    if (isCloseLike(error) && error.code === CLOSE_TOKEN_ENDED) {
      report(new ConnectedAccountsError("UNAUTHENTICATED", `The connection's token ended (${error.reason || error.code}); reconnecting with a fresh one.`, [], error.code), false);
      // At once, unless tokens keep ending: then getToken is handing out stale ones, so back off.
      const now = Date.now();
      delay = now - lastTokenEnd < 5000 ? nextDelay() : 0;
      lastTokenEnd = now;
    } else if (isCloseLike(error)) {
      const code = error.code === CLOSE_TOKEN_REFUSED ? "UNAUTHENTICATED" : "NETWORK_ERROR";
      report(new ConnectedAccountsError(code, `The event connection closed (${error.code}${error.reason ? `: ${error.reason}` : ""}).`, [], error.code), false);
      delay = nextDelay();
    } else {
      if (error) report(new ConnectedAccountsError("NETWORK_ERROR", `The event connection failed (${describe(error)}).`), false);
      delay = nextDelay();
    }
    status("retrying", { retryInMs: delay });
    retryTimer = setTimeout(subscribe, delay);
  }

  function nextDelay(): number {
    const ceiling = Math.min(maxMs, initialMs * 2 ** failures);
    failures += 1;
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  function stop(error?: ConnectedAccountsError): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(retryTimer);
    unsubscribe?.();
    void client.dispose();
    if (error) report(error, true);
    status("stopped");
  }

  void (async () => {
    try {
      const stored = await store.load(key);
      cursor = stored ?? options.after ?? null;
    } catch {
      cursor = options.after ?? null;
    }
    subscribe();
  })();

  return {
    get cursor() {
      return cursor;
    },
    close: () => stop(),
  };
}

/** The default cursor key: one per workspace and filter, so differently filtered streams do not skip each other's events. */
export function defaultCursorKey(options: Pick<AccountEventsOptions, "workspaceId" | "kinds" | "accountIds">): string {
  const part = (values?: readonly string[]) => (values ? [...values].sort().join(",") : "*");
  return `connected-accounts:events:${options.workspaceId}:${part(options.kinds)}:${part(options.accountIds)}`;
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === "object" && error !== null && "type" in error ? String((error as { type: unknown }).type) : String(error);
