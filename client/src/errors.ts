/**
 * Why a call failed: the service's error code (`extensions.code` of a GraphQL error, or the
 * `error` of an OAuth result such as `ACCESS_DENIED`), or one of the client's own codes.
 */
export type ClientErrorCode =
  /** `window.open` returned nothing: a popup blocker, or `connectAccount` was not called from a click. */
  | "POPUP_BLOCKED"
  /** The person closed the popup before the flow finished. */
  | "POPUP_CLOSED"
  /** The flow did not finish within its time limit (at most the flow's own expiry). */
  | "TIMEOUT"
  /** The service could not be reached, or answered something that is not GraphQL. */
  | "NETWORK_ERROR"
  /** The flow was cancelled with its AbortSignal. */
  | "ABORTED";

/** An error of this client; `code` is stable, `message` is for people. */
export class ConnectedAccountsError extends Error {
  constructor(
    /** A service error code (`ACCESS_DENIED`, `FORBIDDEN`, `NOT_FOUND`, …) or a {@link ClientErrorCode}. */
    readonly code: ClientErrorCode | (string & {}),
    message: string,
    /** The GraphQL errors of the answer, when it had some. */
    readonly errors: readonly GraphQLErrorBody[] = [],
    /** For a closed event connection: its WebSocket close code (4401, 4403, 1006, …). */
    readonly closeCode?: number,
  ) {
    super(message);
    this.name = "ConnectedAccountsError";
  }
}

/** One GraphQL error as the service returns it. */
export interface GraphQLErrorBody {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; details?: Record<string, unknown> } & Record<string, unknown>;
}

/** The error for a list of GraphQL errors: the first one's code and message. */
export function fromGraphQLErrors(errors: readonly GraphQLErrorBody[]): ConnectedAccountsError {
  const first = errors[0];
  return new ConnectedAccountsError(first?.extensions?.code ?? "INTERNAL", first?.message ?? "The service answered with an error.", errors);
}
