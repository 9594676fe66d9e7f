// @connected-accounts/client: the browser side of the Connected Accounts service.
export { createConnectedAccounts } from "./client.js";
export type { ConnectAccountInput, ConnectedAccounts, ConnectedAccountsOptions, ReconnectAccountOptions } from "./client.js";
export type { ConnectResult, PopupOptions } from "./popup.js";
export { defaultCursorKey } from "./events.js";
export type { AccountEvent, AccountEventsOptions, AccountEventStream, BackoffOptions, EventStreamStatus } from "./events.js";
export { localStorageCursorStore, memoryCursorStore } from "./cursor-store.js";
export type { CursorStore } from "./cursor-store.js";
export { ConnectedAccountsError } from "./errors.js";
export type { ClientErrorCode, GraphQLErrorBody } from "./errors.js";
export type { TypedDocument } from "./http.js";
// The typed operations (documents and their result and variables types) live in
// "@connected-accounts/client/operations".
