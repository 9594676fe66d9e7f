import { MAX_PAGE_SIZE } from "../db/pagination";
import type { JsonBounds } from "../validation/json";
import type { TextKind } from "../validation/text";
import { STRING_MAP_BOUNDS } from "../modules/proxy/proxy-request";
import { PROPS_BOUNDS } from "../modules/workflows/workflow.entity";

/** The rule for one scalar argument or input field of the schema. */
export type InputRule =
  /** A number: refused outside [min, max]. */
  | { int: { min: number; max?: number } }
  /** Text: refused when it holds a character its kind forbids (see `TextKind`). */
  | { text: TextKind }
  /** Text taken as it is: secrets, request bodies, cursors. Never shown as a name. */
  | { opaque: true }
  /** A JSON value: refused past its depth and size (and shape, for flat string maps). */
  | { json: JsonBounds };


const NAME = { text: "name" } as const;
const TEXT = { text: "text" } as const;
const OPAQUE = { opaque: true } as const;
const CURSOR = { int: { min: 0 } } as const;

/**
 * The rule of every scalar input of the schema that is not an ID, a Boolean, an enum or a date,
 * by schema coordinate: `Type.field` for an input field, `Type.field(arg:)` for an argument. The
 * schema builder puts these in front of every field that takes one (`guardInputs`), before any
 * resolver runs, so a refused value changes nothing. A test fails when an Int, Float, String or
 * JSON input of the schema has no entry here, or an entry names nothing.
 */
export const INPUT_RULES: Readonly<Record<string, InputRule>> = {
  // Numbers.
  "Query.accountEventLog(after:)": CURSOR,
  "Subscription.accountEvents(after:)": CURSOR,
  "Subscription.accountAlerts(after:)": CURSOR,
  "PageInput.first": { int: { min: 1, max: MAX_PAGE_SIZE } },
  "Step.runs(first:)": { int: { min: 1, max: 20 } },
  "Mutation.moveStep(position:)": { int: { min: 0 } },
  "CreateApiTokenInput.expiresInDays": { int: { min: 1, max: 3650 } },
  "WebhookEndpoint.deliveries(first:)": { int: { min: 1, max: 100 } },
  "Mutation.rotateWebhookSecret(graceSeconds:)": { int: { min: 0, max: 7 * 86_400 } },
  "Mutation.redeliverWebhooks(afterCursor:)": CURSOR,

  // Names people see, and one-line identifiers.
  "Mutation.createWorkflow(name:)": NAME,
  "Mutation.renameWorkflow(name:)": NAME,
  "AddStepInput.name": NAME,
  "UpdateStepInput.name": NAME,
  "ConnectKeyAccountInput.nickname": NAME,
  "RenameAccountInput.nickname": NAME,
  "LegacyAccountInput.nickname": NAME,
  "LegacyAccountInput.externalName": NAME,
  "LegacyAccountInput.externalId": NAME,
  "StartOAuthConnectInput.nickname": NAME,
  "CreateWorkspaceInput.name": NAME,
  "RenameWorkspaceInput.name": NAME,
  // The name typed back to confirm a deletion: a workspace name holds none of what NAME refuses.
  "DeleteWorkspaceInput.confirmName": NAME,
  "AddMemberInput.displayName": NAME,
  "AddMemberInput.email": NAME,
  "AddMemberInput.userId": NAME,
  "CreateApiTokenInput.name": NAME,
  "RegisterOAuthClientInput.name": NAME,
  "UpdateOAuthClientInput.name": NAME,
  "RegisterOAuthClientInput.clientId": NAME,
  "UpdateOAuthClientInput.clientId": NAME,
  "RegisterOAuthClientInput.scopes": NAME,
  "UpdateOAuthClientInput.scopes": NAME,
  "StartOAuthConnectInput.scopes": NAME,
  "StartOAuthReconnectInput.scopes": NAME,
  "StartOAuthConnectInput.returnUrl": NAME,
  "StartOAuthReconnectInput.returnUrl": NAME,
  "StartOAuthConnectInput.openerOrigin": NAME,
  "StartOAuthReconnectInput.openerOrigin": NAME,
  "SetEnvironmentVariableInput.name": NAME,
  "SetEnvironmentVariableInput.description": NAME,
  "CreateWebhookEndpointInput.description": NAME,
  "UpdateWebhookEndpointInput.description": NAME,
  "CreateWebhookEndpointInput.kinds": NAME,
  "UpdateWebhookEndpointInput.kinds": NAME,
  // A URL is one line; its own checks (https, host, no user name) follow in the service.
  "CreateWebhookEndpointInput.url": NAME,
  "UpdateWebhookEndpointInput.url": NAME,
  "DeleteEnvironmentVariableInput.name": NAME,
  "RequestAppInput.name": NAME,
  "RequestAppInput.url": NAME,
  "Query.app(slug:)": NAME,
  "Query.apps(search:)": NAME,
  "AccountFilterInput.appSlug": NAME,
  "AccountFilterInput.search": NAME,
  "AuditFilterInput.actorUserId": NAME,
  "ConnectKeyAccountInput.appSlug": NAME,
  "LegacyAccountInput.appSlug": NAME,
  "StartOAuthConnectInput.appSlug": NAME,
  "RegisterOAuthClientInput.appSlug": NAME,
  "AddStepInput.appSlug": NAME,
  "CredentialFieldInput.name": NAME,
  "ConnectionValueInput.name": NAME,
  "ConnectionValueInput.value": NAME,
  "HttpRequestInput.method": NAME,
  "HttpRequestInput.path": NAME,
  "AccountRequestInput.method": NAME,
  "AccountRequestInput.path": NAME,

  // Free text that may span lines (and code, where a bidi control is a Trojan Source attack).
  "RequestAppInput.reason": TEXT,
  "AddStepInput.code": TEXT,
  "UpdateStepInput.code": TEXT,

  // Taken as they are.
  "CredentialFieldInput.value": OPAQUE,
  "RegisterOAuthClientInput.clientSecret": OPAQUE,
  "UpdateOAuthClientInput.clientSecret": OPAQUE,
  "SetEnvironmentVariableInput.value": OPAQUE,
  "HttpRequestInput.body": OPAQUE,
  "AccountRequestInput.body": OPAQUE,
  "PageInput.after": OPAQUE,

  // JSON.
  "AddStepInput.props": { json: PROPS_BOUNDS },
  "UpdateStepInput.props": { json: PROPS_BOUNDS },
  "HttpRequestInput.headers": { json: STRING_MAP_BOUNDS },
  "HttpRequestInput.query": { json: STRING_MAP_BOUNDS },
  "AccountRequestInput.headers": { json: STRING_MAP_BOUNDS },
  "AccountRequestInput.query": { json: STRING_MAP_BOUNDS },
  "Query._entities(representations:)": { json: { maxDepth: 8, maxBytes: 16 * 1024 } },
};
