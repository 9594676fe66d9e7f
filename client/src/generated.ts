import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
  _Any: { input: unknown; output: unknown; }
  federation__FieldSet: { input: string; output: string; }
  federation__Policy: { input: string; output: string; }
  federation__Scope: { input: string; output: string; }
  link__Import: { input: string; output: string; }
};

export type AccessChangeInput = {
  accountId: Scalars['ID']['input'];
  deleteAccount?: InputMaybe<Scalars['Boolean']['input']>;
  revokeMemberIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  revokeWorkspace?: InputMaybe<Scalars['Boolean']['input']>;
};

export type Account = {
  app: App;
  appSlug: Scalars['String']['output'];
  connectedAt: Scalars['DateTimeISO']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  externalIdentity?: Maybe<ExternalIdentity>;
  /** Who it is shared with. */
  grants: Array<AccountGrant>;
  health: AccountHealth;
  id: Scalars['ID']['output'];
  /** Legacy accounts have no owner and are shared with the workspace. */
  isLegacy: Scalars['Boolean']['output'];
  /** What the service learned from the app at connect or refresh (an instance URL, a data centre). */
  learnedValues: Array<ConnectionValue>;
  nickname: Scalars['String']['output'];
  /** Who connected it; null for legacy accounts. */
  owner?: Maybe<Member>;
  /** The connection parameters given at connect (a shop, a subdomain, a region); empty for most apps. */
  parameters: Array<ConnectionValue>;
  scopes: Array<Scalars['String']['output']>;
  shared: AccountSharedState;
  /** Whether it is shared with the viewer (a workspace grant or a grant to them). */
  sharedWithViewer: Scalars['Boolean']['output'];
  /** Steps (and through them, workflows) that use this account. */
  steps: Array<Step>;
  /** What the viewer may do to it. */
  viewerCan: AccountCapabilities;
  workspace: Workspace;
};

export type AccountAccessInput = {
  accountId: Scalars['ID']['input'];
  /** Members of the account's workspace. */
  memberIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** The whole workspace. */
  workspace?: InputMaybe<Scalars['Boolean']['input']>;
};

export type AccountCapabilities = {
  delete: Scalars['Boolean']['output'];
  /** Share it and revoke shares. */
  manageAccess: Scalars['Boolean']['output'];
  /** Modify props and code of existing steps that use it. */
  modifySteps: Scalars['Boolean']['output'];
  /** Read its credentials through the API. */
  readCredentials: Scalars['Boolean']['output'];
  /** Reconnect it (for a legacy account: claim it). */
  reconnect: Scalars['Boolean']['output'];
  rename: Scalars['Boolean']['output'];
  /** Test existing steps that use it. */
  testSteps: Scalars['Boolean']['output'];
  /** Add it to a new trigger or step. */
  use: Scalars['Boolean']['output'];
  /** See it on the accounts list. */
  view: Scalars['Boolean']['output'];
};

export type AccountConnection = {
  nodes: Array<Account>;
  pageInfo: PageInfo;
};

export type AccountCredentials = {
  accountId: Scalars['ID']['output'];
  appSlug: Scalars['String']['output'];
  expiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  externalIdentity?: Maybe<ExternalIdentity>;
  /** oauth_access_token (fresh), oauth_refresh_token (owner only), or the app's key fields. */
  fields: Array<CredentialValue>;
};

export type AccountEvent = {
  accountId: Scalars['ID']['output'];
  /** The per-workspace cursor: resume with `after` set to the last one received. */
  cursor: Scalars['Int']['output'];
  /** Non-secret details (scopes added/removed, reasons, grantees). */
  details: Scalars['JSONObject']['output'];
  id: Scalars['ID']['output'];
  kind: AccountEventKind;
  occurredAt: Scalars['DateTimeISO']['output'];
  workspaceId: Scalars['ID']['output'];
};

/** What happened to an account (SPEC §5). */
export type AccountEventKind =
  | 'ACCOUNT_ACCESS_CHANGED'
  | 'ACCOUNT_AUTH_FAILED'
  | 'ACCOUNT_CONNECTED'
  | 'ACCOUNT_DELETED'
  | 'ACCOUNT_RECONNECT_REQUIRED'
  | 'ACCOUNT_RECOVERED'
  | 'ACCOUNT_SCOPES_CHANGED';

export type AccountFilterInput = {
  appSlug?: InputMaybe<Scalars['String']['input']>;
  health?: InputMaybe<AccountHealthStatus>;
  ownerMemberId?: InputMaybe<Scalars['ID']['input']>;
  /** Part of the nickname. */
  search?: InputMaybe<Scalars['String']['input']>;
  shared?: InputMaybe<AccountSharedState>;
};

export type AccountGrant = {
  createdAt: Scalars['DateTimeISO']['output'];
  grantedBy?: Maybe<Member>;
  id: Scalars['ID']['output'];
  member?: Maybe<Member>;
  /** True for a share with the whole workspace; otherwise `member` is set. */
  wholeWorkspace: Scalars['Boolean']['output'];
};

export type AccountHealth = {
  expiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Sanitized reason of the last failure. */
  lastError?: Maybe<Scalars['String']['output']>;
  lastRefreshedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  nextRefreshAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: AccountHealthStatus;
};

/** Whether an account's credentials work. */
export type AccountHealthStatus =
  /** The OAuth client itself is rejected by the provider; not the account's fault. */
  | 'CLIENT_MISCONFIGURED'
  /** Transient failures at the provider; retried with backoff. */
  | 'DEGRADED'
  /** Credentials work. */
  | 'HEALTHY'
  /** The grant is gone (revoked or expired for good): the owner must reconnect. */
  | 'NEEDS_RECONNECT';

export type AccountRequestInput = {
  accountId: Scalars['ID']['input'];
  body?: InputMaybe<Scalars['String']['input']>;
  headers?: InputMaybe<Scalars['JSONObject']['input']>;
  method: Scalars['String']['input'];
  path: Scalars['String']['input'];
  query?: InputMaybe<Scalars['JSONObject']['input']>;
};

export type AccountRequestResult = {
  body: Scalars['String']['output'];
  headers: Scalars['JSONObject']['output'];
  status: Scalars['Int']['output'];
  /** True when the body was cut at the size limit. */
  truncated: Scalars['Boolean']['output'];
};

export type AccountSharedState =
  /** Shared with chosen members only. */
  | 'MEMBERS'
  /** No grants: only the owner (and OWNER/ADMIN, to view and delete). */
  | 'PRIVATE'
  /** Shared with the whole workspace. */
  | 'WORKSPACE';

export type AddMemberInput = {
  displayName?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  role: WorkspaceRole;
  /** The identity provider's subject (`sub`) of the user to add. */
  userId: Scalars['String']['input'];
  workspaceId: Scalars['ID']['input'];
};

export type AddStepInput = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  appSlug?: InputMaybe<Scalars['String']['input']>;
  code?: InputMaybe<Scalars['String']['input']>;
  http?: InputMaybe<HttpRequestInput>;
  kind: StepKind;
  name?: InputMaybe<Scalars['String']['input']>;
  props?: InputMaybe<Scalars['JSONObject']['input']>;
  workflowId: Scalars['ID']['input'];
};

export type ApiToken = {
  createdAt: Scalars['DateTimeISO']['output'];
  expiresAt?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  /** Its last four characters. */
  last4: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** The visible start of the token, e.g. cat_Ab12Cd34. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  scope: ApiTokenScope;
};

export type ApiTokenScope =
  /** Only credential reads (GraphQL readAccountCredentials and the REST endpoint). */
  | 'CREDENTIALS_READ'
  /** Everything the member may do. */
  | 'FULL'
  /** Queries, and credential reads; no other mutation. */
  | 'READ_ONLY';

export type App = {
  /** Requests made with an account of this app go to paths under this URL. */
  apiBaseUrl: Scalars['String']['output'];
  /** Names of the request headers the credentials become. */
  authHeaderNames: Array<Scalars['String']['output']>;
  authType: AuthType;
  categories: Array<Scalars['String']['output']>;
  description: Scalars['String']['output'];
  /** What a member submits to connect (key-based and basic apps). */
  fields: Array<AppField>;
  /** Whether the service can check credentials against the app when they are connected. */
  hasTestRequest: Scalars['Boolean']['output'];
  homepageUrl?: Maybe<Scalars['String']['output']>;
  /** The hosts every request of a connection stays on (`*.` matches one or more labels). */
  hosts: Array<Scalars['String']['output']>;
  /** What the service learns from the app when an account connects (shown on the account). */
  learnedValues: Array<AppLearnedValue>;
  name: Scalars['String']['output'];
  oauth?: Maybe<AppOAuth>;
  /** What a member gives when connecting, besides credentials (tenant apps: a store, a subdomain, a region). Empty for most apps. */
  parameters: Array<AppParameter>;
  slug: Scalars['String']['output'];
};

export type AppConnection = {
  nodes: Array<App>;
  pageInfo: PageInfo;
  /** Apps matching the filters, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type AppField = {
  description?: Maybe<Scalars['String']['output']>;
  label: Scalars['String']['output'];
  name: Scalars['String']['output'];
  optional: Scalars['Boolean']['output'];
  /** A regular expression the value must match. */
  pattern?: Maybe<Scalars['String']['output']>;
  /** Secret fields are write-only once stored. */
  secret: Scalars['Boolean']['output'];
};

export type AppLearnedValue = {
  label: Scalars['String']['output'];
  name: Scalars['String']['output'];
};

export type AppOAuth = {
  authorizationUrl: Scalars['String']['output'];
  defaultScopes: Array<Scalars['String']['output']>;
  /** Whether the provider supports PKCE (S256). */
  pkce: Scalars['Boolean']['output'];
  revocationUrl?: Maybe<Scalars['String']['output']>;
  scopeSeparator: Scalars['String']['output'];
  tokenUrl: Scalars['String']['output'];
};

export type AppParameter = {
  /** The only values it takes, when it is a closed list. */
  choices?: Maybe<Array<AppParameterChoice>>;
  /** Used when none is given. */
  default?: Maybe<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  /** A valid value, to show as a hint. */
  example: Scalars['String']['output'];
  label: Scalars['String']['output'];
  name: Scalars['String']['output'];
  optional: Scalars['Boolean']['output'];
  /** A regular expression the value must match (null when `choices` lists the values). */
  pattern?: Maybe<Scalars['String']['output']>;
};

export type AppParameterChoice = {
  label: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type AppRequest = {
  closedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** How many times the app was asked for while this request was open. */
  count: Scalars['Int']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  /** The member who asked first. */
  requestedByMemberId: Scalars['ID']['output'];
  status: AppRequestStatus;
  updatedAt: Scalars['DateTimeISO']['output'];
  url?: Maybe<Scalars['String']['output']>;
};

export type AppRequestStatus =
  /** Answered; asking again opens a new request. */
  | 'CLOSED'
  /** Waiting for an answer; asking for the same app again counts on it. */
  | 'OPEN';

/** What an audit entry records. */
export type AuditAction =
  | 'ACCOUNT_ACCESS_REVOKED'
  | 'ACCOUNT_CLAIMED'
  | 'ACCOUNT_CONNECTED'
  | 'ACCOUNT_CREDENTIALS_READ'
  | 'ACCOUNT_CREDENTIALS_UPDATED'
  | 'ACCOUNT_DELETED'
  | 'ACCOUNT_HEALTH_CHANGED'
  | 'ACCOUNT_IMPORTED'
  | 'ACCOUNT_RECONNECTED'
  | 'ACCOUNT_REFRESH_FAILED'
  | 'ACCOUNT_RENAMED'
  | 'ACCOUNT_REQUEST_SENT'
  | 'ACCOUNT_SCOPES_CHANGED'
  | 'ACCOUNT_SHARED'
  | 'WEBHOOK_ENDPOINT_CREATED'
  | 'WEBHOOK_ENDPOINT_DELETED'
  | 'WEBHOOK_ENDPOINT_DISABLED'
  | 'WEBHOOK_ENDPOINT_UPDATED'
  | 'WEBHOOK_SECRET_ROTATED'
  | 'WORKSPACE_SETTINGS_CHANGED';

export type AuditEvent = {
  /** The account concerned (it may since have been deleted). */
  accountId?: Maybe<Scalars['ID']['output']>;
  action: AuditAction;
  actorMemberId?: Maybe<Scalars['ID']['output']>;
  /** The acting user (`sub`), or `system`. */
  actorUserId: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  /** Non-secret details (ids, names, reasons). */
  details: Scalars['JSONObject']['output'];
  id: Scalars['ID']['output'];
};

export type AuditEventConnection = {
  nodes: Array<AuditEvent>;
  pageInfo: PageInfo;
};

export type AuditFilterInput = {
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** The acting user's id (`sub`). */
  actorUserId?: InputMaybe<Scalars['String']['input']>;
};

/** How an app authorizes requests. */
export type AuthType =
  /** HTTP Basic credentials. */
  | 'BASIC'
  /** API keys or other long-lived tokens the member creates at the app. */
  | 'KEYS'
  /** No credentials needed. */
  | 'NONE'
  /** OAuth 2 authorization code grant; the service keeps the tokens fresh. */
  | 'OAUTH2';

export type BuilderVersion =
  /** The legacy builder: only accounts shared with the entire workspace. */
  | 'V1'
  /** The current builder. */
  | 'V2';

export type ChangeMemberRoleInput = {
  memberId: Scalars['ID']['input'];
  role: WorkspaceRole;
};

export type ConnectKeyAccountInput = {
  appSlug: Scalars['String']['input'];
  credentials: Array<CredentialFieldInput>;
  /** Defaults to the app's name. */
  nickname?: InputMaybe<Scalars['String']['input']>;
  /** The app's connection parameters (App.parameters): a subdomain, a region. Kept for the account's life. */
  parameters?: InputMaybe<Array<ConnectionValueInput>>;
  /** Check the credentials against the app first, where it has a test request (default true). */
  verify?: InputMaybe<Scalars['Boolean']['input']>;
  workspaceId: Scalars['ID']['input'];
};

export type ConnectionValue = {
  name: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type ConnectionValueInput = {
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type CreateApiTokenInput = {
  expiresInDays?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
  scope?: InputMaybe<ApiTokenScope>;
  workspaceId: Scalars['ID']['input'];
};

export type CreateWebhookEndpointInput = {
  /** Accounts whose events to receive (at most 500); left out: all. */
  accountIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** At most 500 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** Event kinds (AccountEventKind values) to receive; left out: all. */
  kinds?: InputMaybe<Array<Scalars['String']['input']>>;
  /** https (anything else is refused in production); no user name, password or fragment; a public address. */
  url: Scalars['String']['input'];
  workspaceId: Scalars['ID']['input'];
};

export type CreateWorkspaceInput = {
  /** 1 to 120 characters. */
  name: Scalars['String']['input'];
};

export type CreatedApiToken = {
  apiToken: ApiToken;
  token: Scalars['String']['output'];
};

export type CredentialFieldInput = {
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type CredentialValue = {
  name: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type DeleteAccountInput = {
  accountId: Scalars['ID']['input'];
};

export type DeleteAccountPayload = {
  accountId: Scalars['ID']['output'];
};

export type DeleteEnvironmentVariableInput = {
  name: Scalars['String']['input'];
  workspaceId: Scalars['ID']['input'];
};

export type DeleteWorkspaceInput = {
  /** The workspace's name, typed back exactly as it is: the confirmation. */
  confirmName: Scalars['String']['input'];
  workspaceId: Scalars['ID']['input'];
};

export type DeleteWorkspacePayload = {
  /** OAuth grants revoked at their providers. */
  grantsRevoked: Scalars['Int']['output'];
  /** Grants the provider did not confirm revoking: revoke them at the provider by hand. Empty while DELETING. */
  revocationFailures: Array<RevocationFailureType>;
  status: WorkspaceDeletionStatus;
  /** Webhook endpoints that acknowledged the WORKSPACE_DELETED message. */
  webhooksNotified: Scalars['Int']['output'];
  workspaceId: Scalars['ID']['output'];
};

export type EnvironmentVariable = {
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Secret values are write-only: sealed at rest and never returned. */
  secret: Scalars['Boolean']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
  /** The value; always null for a secret variable. */
  value?: Maybe<Scalars['String']['output']>;
};

export type ExternalIdentity = {
  displayName?: Maybe<Scalars['String']['output']>;
  /** The provider's user or team id. */
  id?: Maybe<Scalars['String']['output']>;
};

export type HttpRequestInput = {
  body?: InputMaybe<Scalars['String']['input']>;
  headers?: InputMaybe<Scalars['JSONObject']['input']>;
  method: Scalars['String']['input'];
  path: Scalars['String']['input'];
  query?: InputMaybe<Scalars['JSONObject']['input']>;
};

export type ImportLegacyAccountsInput = {
  accounts: Array<LegacyAccountInput>;
  workspaceId: Scalars['ID']['input'];
};

export type LegacyAccountInput = {
  appSlug: Scalars['String']['input'];
  /** When it was connected in the earlier system. */
  createdAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  credentials: Array<CredentialFieldInput>;
  /** The provider's user/team id, if known. */
  externalId?: InputMaybe<Scalars['String']['input']>;
  externalName?: InputMaybe<Scalars['String']['input']>;
  /** The values the earlier system learned from the app (App.learnedValues, e.g. an instance URL); each is checked as if learned now. */
  learned?: InputMaybe<Array<ConnectionValueInput>>;
  nickname: Scalars['String']['input'];
  /** The app's connection parameters (App.parameters), as at connect. */
  parameters?: InputMaybe<Array<ConnectionValueInput>>;
};

export type Member = {
  createdAt: Scalars['DateTimeISO']['output'];
  displayName?: Maybe<Scalars['String']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Whether this member is the caller. */
  isViewer: Scalars['Boolean']['output'];
  role: WorkspaceRole;
  /** The identity provider's subject for this user. */
  userId: Scalars['String']['output'];
  viewerCan: MemberCapabilities;
  workspace: Workspace;
};

export type MemberCapabilities = {
  /** Change this member's role. */
  changeRole: Scalars['Boolean']['output'];
  /** Remove this member (for yourself: leave the workspace). */
  remove: Scalars['Boolean']['output'];
};

export type Mutation = {
  /** Adds a user to a workspace (OWNER any role; ADMIN: ADMIN or MEMBER). */
  addMember: Member;
  /** Adds a step; attaching an account needs 'add to a new trigger or step' on it. */
  addStep: Step;
  /** Changes a member's role; the last OWNER cannot be demoted. */
  changeMemberRole: Member;
  /** Closes an open app request (OWNER/ADMIN). */
  closeAppRequest: AppRequest;
  /** Connects a key-based app: private, owned by the caller. */
  connectKeyAccount: Account;
  /** Creates a personal API token for the caller in a workspace; the token is shown once. */
  createApiToken: CreatedApiToken;
  /** Creates an endpoint that receives the workspace's events from now on (OWNER/ADMIN); answers its signing secret, shown only this once. */
  createWebhookEndpoint: WebhookEndpointWithSecret;
  createWorkflow: Workflow;
  /** Creates a workspace with the caller as its OWNER. */
  createWorkspace: Workspace;
  /** Deletes an account with its sealed credentials and grants. */
  deleteAccount: DeleteAccountPayload;
  /** Deletes an environment variable by name (OWNER/ADMIN); answers its id. */
  deleteEnvironmentVariable: Scalars['ID']['output'];
  /** Deletes a workspace OAuth client. */
  deleteOAuthClient: Scalars['ID']['output'];
  /** Deletes an endpoint and its deliveries (OWNER/ADMIN); answers its id. */
  deleteWebhookEndpoint: Scalars['ID']['output'];
  /** Deletes a workflow (refused while it holds a step that is read-only for the caller). */
  deleteWorkflow: Scalars['ID']['output'];
  /** Deletes a workspace and everything it holds (OWNER, signed in, with the workspace's name typed back): OAuth grants are revoked at their providers, subscriptions to it close with code 4410, webhooks get a last WORKSPACE_DELETED message, then every row goes. Gone for everyone at once; answers DELETING if the rest takes longer than the answer's deadline. */
  deleteWorkspace: DeleteWorkspacePayload;
  /** Imports legacy accounts: ownerless, shared with the workspace (OWNER/ADMIN). */
  importLegacyAccounts: Array<Account>;
  /** Moves a step to a 0-based position; returns the workflow's steps in order. */
  moveStep: Array<Step>;
  /** An account's credentials with a fresh access token (a mutation, so nothing caches it). Audited. */
  readAccountCredentials: AccountCredentials;
  /** Replaces a key-based account's credentials, same id. On a legacy account this claims it (the caller becomes its owner). */
  reconnectKeyAccount: ReconnectAccountPayload;
  /** Delivers again every event after afterCursor, in order, with their original webhook-id (OWNER/ADMIN). */
  redeliverWebhooks: WebhookEndpoint;
  /** Registers a workspace OAuth client for an app (OWNER/ADMIN). */
  registerOAuthClient: OAuthClient;
  /** Removes a member, or lets the caller leave; the last OWNER cannot go. */
  removeMember: RemoveMemberPayload;
  removeStep: Scalars['ID']['output'];
  renameAccount: Account;
  renameWorkflow: Workflow;
  /** Renames a workspace (OWNER, ADMIN). */
  renameWorkspace: Workspace;
  /** Asks for an app the catalog lacks (any member); counts on the open request for the same app if there is one. */
  requestApp: AppRequest;
  /** Revokes shares of an account. */
  revokeAccountAccess: Account;
  /** Revokes an API token (yours; OWNER/ADMIN: any of the workspace). */
  revokeApiToken: ApiToken;
  /** A new signing secret, shown only now; the previous one keeps signing beside it for graceSeconds (default a day) (OWNER/ADMIN). */
  rotateWebhookSecret: WebhookEndpointWithSecret;
  /** Sends a request to the account's app with its auth added by the service; only the app's own hosts. */
  sendAccountRequest: AccountRequestResult;
  /** Creates or replaces an environment variable by name (OWNER/ADMIN). */
  setEnvironmentVariable: EnvironmentVariable;
  /** Shares an account with the whole workspace and/or members (the owner only, unless adminsManageAccess). */
  shareAccount: Account;
  /** Starts connecting an OAuth app: open the returned URL in the member's browser. */
  startOAuthConnect: OAuthFlowStart;
  /** Starts reconnecting an OAuth account (same id); on a legacy account this claims it with the same external identity. */
  startOAuthReconnect: OAuthFlowStart;
  /** Switches a step to an account the caller may use; dependent props are cleared and listed. */
  switchStepAccount: SwitchStepAccountPayload;
  /** Tests a step server-side with its account (whose credentials the tester never sees). */
  testStep: StepRun;
  /** Sends a signed WEBHOOK_PING now and answers how it went (OWNER/ADMIN). */
  testWebhookEndpoint: WebhookDelivery;
  /** Changes a workspace OAuth client; new scopes apply at the next (re)connect. */
  updateOAuthClient: OAuthClient;
  /** Changes a step's props, code or request (FORBIDDEN when it is read-only for the caller). */
  updateStep: Step;
  /** Changes an endpoint; enabling a disabled one goes on from its cursor or from now (OWNER/ADMIN). */
  updateWebhookEndpoint: WebhookEndpoint;
  /** Changes workspace settings (OWNER only). */
  updateWorkspaceSettings: Workspace;
};


export type MutationAddMemberArgs = {
  input: AddMemberInput;
};


export type MutationAddStepArgs = {
  input: AddStepInput;
};


export type MutationChangeMemberRoleArgs = {
  input: ChangeMemberRoleInput;
};


export type MutationCloseAppRequestArgs = {
  id: Scalars['ID']['input'];
};


export type MutationConnectKeyAccountArgs = {
  input: ConnectKeyAccountInput;
};


export type MutationCreateApiTokenArgs = {
  input: CreateApiTokenInput;
};


export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


export type MutationCreateWorkflowArgs = {
  builderVersion?: InputMaybe<BuilderVersion>;
  name: Scalars['String']['input'];
  workspaceId: Scalars['ID']['input'];
};


export type MutationCreateWorkspaceArgs = {
  input: CreateWorkspaceInput;
};


export type MutationDeleteAccountArgs = {
  input: DeleteAccountInput;
};


export type MutationDeleteEnvironmentVariableArgs = {
  input: DeleteEnvironmentVariableInput;
};


export type MutationDeleteOAuthClientArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWebhookEndpointArgs = {
  endpointId: Scalars['ID']['input'];
};


export type MutationDeleteWorkflowArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWorkspaceArgs = {
  input: DeleteWorkspaceInput;
};


export type MutationImportLegacyAccountsArgs = {
  input: ImportLegacyAccountsInput;
};


export type MutationMoveStepArgs = {
  position: Scalars['Int']['input'];
  stepId: Scalars['ID']['input'];
};


export type MutationReadAccountCredentialsArgs = {
  accountId: Scalars['ID']['input'];
};


export type MutationReconnectKeyAccountArgs = {
  input: ReconnectKeyAccountInput;
};


export type MutationRedeliverWebhooksArgs = {
  afterCursor: Scalars['Int']['input'];
  endpointId: Scalars['ID']['input'];
};


export type MutationRegisterOAuthClientArgs = {
  input: RegisterOAuthClientInput;
};


export type MutationRemoveMemberArgs = {
  input: RemoveMemberInput;
};


export type MutationRemoveStepArgs = {
  stepId: Scalars['ID']['input'];
};


export type MutationRenameAccountArgs = {
  input: RenameAccountInput;
};


export type MutationRenameWorkflowArgs = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


export type MutationRenameWorkspaceArgs = {
  input: RenameWorkspaceInput;
};


export type MutationRequestAppArgs = {
  input: RequestAppInput;
};


export type MutationRevokeAccountAccessArgs = {
  input: AccountAccessInput;
};


export type MutationRevokeApiTokenArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  endpointId: Scalars['ID']['input'];
  graceSeconds?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationSendAccountRequestArgs = {
  input: AccountRequestInput;
};


export type MutationSetEnvironmentVariableArgs = {
  input: SetEnvironmentVariableInput;
};


export type MutationShareAccountArgs = {
  input: AccountAccessInput;
};


export type MutationStartOAuthConnectArgs = {
  input: StartOAuthConnectInput;
};


export type MutationStartOAuthReconnectArgs = {
  input: StartOAuthReconnectInput;
};


export type MutationSwitchStepAccountArgs = {
  accountId: Scalars['ID']['input'];
  stepId: Scalars['ID']['input'];
};


export type MutationTestStepArgs = {
  externalCredentials?: InputMaybe<Array<CredentialFieldInput>>;
  stepId: Scalars['ID']['input'];
};


export type MutationTestWebhookEndpointArgs = {
  endpointId: Scalars['ID']['input'];
};


export type MutationUpdateOAuthClientArgs = {
  input: UpdateOAuthClientInput;
};


export type MutationUpdateStepArgs = {
  input: UpdateStepInput;
};


export type MutationUpdateWebhookEndpointArgs = {
  input: UpdateWebhookEndpointInput;
};


export type MutationUpdateWorkspaceSettingsArgs = {
  input: UpdateWorkspaceSettingsInput;
};

export type OAuthClient = {
  appSlug: Scalars['String']['output'];
  clientId: Scalars['String']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** The redirect URI to register at the provider for this client. */
  redirectUri: Scalars['String']['output'];
  /** Scopes requested at the next connect or reconnect. */
  scopes: Array<Scalars['String']['output']>;
  status: Scalars['String']['output'];
};

export type OAuthFlowStart = {
  authorizationUrl: Scalars['String']['output'];
  expiresAt: Scalars['DateTimeISO']['output'];
};

export type PageInfo = {
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PageInput = {
  /** The endCursor of the previous page. */
  after?: InputMaybe<Scalars['String']['input']>;
  /** Page size, 1 to 100 (default 25). */
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Query = {
  _entities: Array<Maybe<_Entity>>;
  _service: _Service;
  /** Before revoking access or deleting an account: which steps would become read-only, or lose the account, for whom. */
  accessChangeImpact: Array<StepImpactType>;
  /** One account the caller may view (NOT_FOUND otherwise). */
  account: Account;
  /** Events after a cursor that the caller may view (the subscription's replay, as a query). */
  accountEventLog: Array<AccountEvent>;
  /** Accounts of a workspace the caller may view, newest first. */
  accounts: AccountConnection;
  /** The caller's API tokens in a workspace. */
  apiTokens: Array<ApiToken>;
  /** One app by slug (NOT_FOUND if the catalog has none). */
  app: App;
  /** A workspace's app requests, newest first (OWNER/ADMIN). */
  appRequests: Array<AppRequest>;
  /** Apps of the catalog, ordered by name; search matches name or slug. */
  apps: AppConnection;
  /** A workspace's audit trail, newest first (OWNER/ADMIN). */
  auditTrail: AuditEventConnection;
  /** CIDR ranges the service's calls to apps come from (EGRESS_IP_RANGES); empty when not configured. */
  egressIpRanges: Array<Scalars['String']['output']>;
  /** A workspace's environment variables, by name (any member; secret values are null). */
  environmentVariables: Array<EnvironmentVariable>;
  /** A member of a workspace the caller belongs to (NOT_FOUND otherwise). */
  member: Member;
  /** A workspace's own OAuth clients (OWNER/ADMIN). */
  oauthClients: Array<OAuthClient>;
  /** The authenticated caller and their workspaces. */
  viewer: Viewer;
  /** One webhook endpoint (OWNER/ADMIN of its workspace; NOT_FOUND otherwise). */
  webhookEndpoint: WebhookEndpoint;
  /** A workspace's webhook endpoints (OWNER/ADMIN). */
  webhookEndpoints: Array<WebhookEndpoint>;
  workflow: Workflow;
  /** Every workflow of a workspace, newest first. */
  workflows: Array<Workflow>;
  /** A workspace the caller belongs to (NOT_FOUND otherwise). */
  workspace: Workspace;
};


export type Query_EntitiesArgs = {
  representations: Array<Scalars['_Any']['input']>;
};


export type QueryAccessChangeImpactArgs = {
  input: AccessChangeInput;
};


export type QueryAccountArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAccountEventLogArgs = {
  after?: InputMaybe<Scalars['Int']['input']>;
  workspaceId: Scalars['ID']['input'];
};


export type QueryAccountsArgs = {
  filter?: InputMaybe<AccountFilterInput>;
  page?: InputMaybe<PageInput>;
  workspaceId: Scalars['ID']['input'];
};


export type QueryApiTokensArgs = {
  workspaceId: Scalars['ID']['input'];
};


export type QueryAppArgs = {
  slug: Scalars['String']['input'];
};


export type QueryAppRequestsArgs = {
  status?: InputMaybe<AppRequestStatus>;
  workspaceId: Scalars['ID']['input'];
};


export type QueryAppsArgs = {
  authType?: InputMaybe<AuthType>;
  page?: InputMaybe<PageInput>;
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAuditTrailArgs = {
  filter?: InputMaybe<AuditFilterInput>;
  page?: InputMaybe<PageInput>;
  workspaceId: Scalars['ID']['input'];
};


export type QueryEnvironmentVariablesArgs = {
  workspaceId: Scalars['ID']['input'];
};


export type QueryMemberArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOauthClientsArgs = {
  workspaceId: Scalars['ID']['input'];
};


export type QueryWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhookEndpointsArgs = {
  workspaceId: Scalars['ID']['input'];
};


export type QueryWorkflowArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWorkflowsArgs = {
  workspaceId: Scalars['ID']['input'];
};


export type QueryWorkspaceArgs = {
  id: Scalars['ID']['input'];
};

export type ReconnectAccountPayload = {
  account: Account;
  /** True when this reconnect claimed a legacy account: the caller is now its owner. */
  claimed: Scalars['Boolean']['output'];
};

export type ReconnectKeyAccountInput = {
  accountId: Scalars['ID']['input'];
  credentials: Array<CredentialFieldInput>;
  verify?: InputMaybe<Scalars['Boolean']['input']>;
};

export type RegisterOAuthClientInput = {
  appSlug: Scalars['String']['input'];
  clientId: Scalars['String']['input'];
  /** Write-only. */
  clientSecret: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
  workspaceId: Scalars['ID']['input'];
};

export type RemoveMemberInput = {
  memberId: Scalars['ID']['input'];
};

export type RemoveMemberPayload = {
  memberId: Scalars['ID']['output'];
  workspaceId: Scalars['ID']['output'];
};

export type RenameAccountInput = {
  accountId: Scalars['ID']['input'];
  nickname: Scalars['String']['input'];
};

export type RenameWorkspaceInput = {
  /** 1 to 120 characters. */
  name: Scalars['String']['input'];
  workspaceId: Scalars['ID']['input'];
};

export type RequestAppInput = {
  /** 1 to 120 characters; not an app already in the catalog. */
  name: Scalars['String']['input'];
  /** At most 1000 characters. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** The app's website (http or https). */
  url?: InputMaybe<Scalars['String']['input']>;
  workspaceId: Scalars['ID']['input'];
};

export type RevocationFailureType = {
  accountId: Scalars['ID']['output'];
  /** The app's slug. */
  appSlug: Scalars['String']['output'];
};

export type SetEnvironmentVariableInput = {
  /** At most 500 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Letters, digits and _, not starting with a digit, at most 128 characters; the CA_ prefix is reserved. Unique per workspace regardless of case. */
  name: Scalars['String']['input'];
  /** Seal the value and never return it (default). */
  secret?: Scalars['Boolean']['input'];
  /** At most 64 KB (UTF-8). */
  value: Scalars['String']['input'];
  workspaceId: Scalars['ID']['input'];
};

export type StartOAuthConnectInput = {
  appSlug: Scalars['String']['input'];
  nickname?: InputMaybe<Scalars['String']['input']>;
  /** A workspace OAuth client; default: the service's client for the app. */
  oauthClientId?: InputMaybe<Scalars['ID']['input']>;
  /** The origin of the page that opens the popup (e.g. https://app.example.com). Checked now against OAUTH_RETURN_URLS, so that a page the result could never reach is refused before anything is connected. */
  openerOrigin?: InputMaybe<Scalars['String']['input']>;
  /** The app's connection parameters (App.parameters): a shop, a subdomain, a region. Kept for the account's life. */
  parameters?: InputMaybe<Array<ConnectionValueInput>>;
  /** Redirect here at the end (must be on OAUTH_RETURN_URLS); default: a popup page that posts the result to its opener. */
  returnUrl?: InputMaybe<Scalars['String']['input']>;
  /** Defaults to the client's (or the app's) scopes. */
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
  workspaceId: Scalars['ID']['input'];
};

export type StartOAuthReconnectInput = {
  accountId: Scalars['ID']['input'];
  oauthClientId?: InputMaybe<Scalars['ID']['input']>;
  /** The origin of the page that opens the popup (e.g. https://app.example.com). Checked now against OAUTH_RETURN_URLS, so that a page the result could never reach is refused before anything is connected. */
  openerOrigin?: InputMaybe<Scalars['String']['input']>;
  /** Redirect here at the end (must be on OAUTH_RETURN_URLS); default: a popup page that posts the result to its opener. */
  returnUrl?: InputMaybe<Scalars['String']['input']>;
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type Step = {
  /** Its account's name, app and owner, visible to every member. */
  account?: Maybe<StepAccountSummary>;
  /** True when the account this step used was deleted; the step kept its configuration. */
  accountRemoved: Scalars['Boolean']['output'];
  appSlug?: Maybe<Scalars['String']['output']>;
  code?: Maybe<Scalars['String']['output']>;
  /** HTTP request steps: method, path, query, headers, body. */
  http?: Maybe<Scalars['JSONObject']['output']>;
  id: Scalars['ID']['output'];
  kind: StepKind;
  name: Scalars['String']['output'];
  position: Scalars['Int']['output'];
  /** Prop inputs (readable by every member). */
  props: Scalars['JSONObject']['output'];
  /** Test runs, newest first (logs, errors and exports are readable by every member). */
  runs: Array<StepRun>;
  /** What the viewer may do with this step. */
  viewerCan: StepCapabilitiesType;
  workflow: Workflow;
};


export type StepRunsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type StepAccountSummary = {
  appSlug: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  nickname: Scalars['String']['output'];
  owner?: Maybe<Member>;
};

export type StepCapabilitiesType = {
  /** Modify props and code, and remove the step. */
  edit: Scalars['Boolean']['output'];
  /** Why the step is read-only for the viewer: ACCOUNT_NOT_SHARED or V1_REQUIRES_WORKSPACE_SHARE. */
  readOnlyReason?: Maybe<Scalars['String']['output']>;
  /** Test the step (every member may). */
  test: Scalars['Boolean']['output'];
};

export type StepImpactType = {
  effect: Scalars['String']['output'];
  /** The member who would lose edit access (null: everyone). */
  memberId?: Maybe<Scalars['ID']['output']>;
  stepId: Scalars['ID']['output'];
  workflowId: Scalars['ID']['output'];
};

export type StepKind =
  | 'ACTION'
  | 'CODE'
  | 'HTTP_REQUEST'
  | 'TRIGGER';

export type StepRun = {
  createdAt: Scalars['DateTimeISO']['output'];
  durationMs: Scalars['Int']['output'];
  error?: Maybe<Scalars['String']['output']>;
  /** What the step exported (referenceable by later steps). */
  exports: Scalars['JSONObject']['output'];
  id: Scalars['ID']['output'];
  inputs: Scalars['JSONObject']['output'];
  logs: Array<Scalars['String']['output']>;
  status: Scalars['String']['output'];
};

export type Subscription = {
  /** Admin consoles (OWNER/ADMIN): auth failures and reconnect-required alerts across the workspace. */
  accountAlerts: AccountEvent;
  /** Events about accounts the subscriber may view (checked at each delivery). With `after`, first replays exactly the events after that cursor, then continues live. */
  accountEvents: AccountEvent;
};


export type SubscriptionAccountAlertsArgs = {
  after?: InputMaybe<Scalars['Int']['input']>;
  workspaceId: Scalars['ID']['input'];
};


export type SubscriptionAccountEventsArgs = {
  accountIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  after?: InputMaybe<Scalars['Int']['input']>;
  kinds?: InputMaybe<Array<AccountEventKind>>;
  workspaceId: Scalars['ID']['input'];
};

export type SwitchStepAccountPayload = {
  /** Props that depended on the old account and were cleared. */
  clearedProps: Array<Scalars['String']['output']>;
  step: Step;
};

export type UpdateOAuthClientInput = {
  clientId?: InputMaybe<Scalars['String']['input']>;
  /** Write-only. */
  clientSecret?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  scopes?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type UpdateStepInput = {
  code?: InputMaybe<Scalars['String']['input']>;
  http?: InputMaybe<HttpRequestInput>;
  name?: InputMaybe<Scalars['String']['input']>;
  props?: InputMaybe<Scalars['JSONObject']['input']>;
  stepId: Scalars['ID']['input'];
};

export type UpdateWebhookEndpointInput = {
  /** Null: all accounts. */
  accountIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  endpointId: Scalars['ID']['input'];
  /** Null: all kinds. */
  kinds?: InputMaybe<Array<Scalars['String']['input']>>;
  /** With enabled: true on a disabled endpoint: go on from its cursor (default) or from now. */
  resumeFrom?: InputMaybe<WebhookResume>;
  url?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateWorkspaceSettingsInput = {
  adminsManageAccess?: InputMaybe<Scalars['Boolean']['input']>;
  workspaceId: Scalars['ID']['input'];
};

export type Viewer = {
  displayName?: Maybe<Scalars['String']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  userId: Scalars['String']['output'];
  /** Workspaces the caller belongs to, oldest membership first. */
  workspaces: Array<Workspace>;
};

export type WebhookDelivery = {
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTimeISO']['output'];
  /** The event's cursor in the workspace's log (null for a ping). */
  cursor?: Maybe<Scalars['Int']['output']>;
  /** Why the last attempt failed. */
  error?: Maybe<Scalars['String']['output']>;
  /** The event's id (null for a ping). */
  eventId?: Maybe<Scalars['ID']['output']>;
  id: Scalars['ID']['output'];
  /** The event kind, or WEBHOOK_PING for a test. */
  kind: Scalars['String']['output'];
  latencyMs?: Maybe<Scalars['Int']['output']>;
  /** The webhook-id header sent: the same on every attempt and redelivery. */
  messageId: Scalars['String']['output'];
  /** When the next attempt is due (RETRYING). */
  nextAttemptAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** The start of the receiver's answer (at most 1,000 characters). */
  responseExcerpt?: Maybe<Scalars['String']['output']>;
  /** The receiver's HTTP status (null: no answer). */
  responseStatus?: Maybe<Scalars['Int']['output']>;
  /** SUCCEEDED, RETRYING or FAILED. */
  status: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type WebhookEndpoint = {
  /** The accounts it receives events of (null: all). */
  accountIds?: Maybe<Array<Scalars['ID']['output']>>;
  createdAt: Scalars['DateTimeISO']['output'];
  /** The last event of the workspace's log it is done with. */
  cursor: Scalars['Int']['output'];
  /** Its deliveries, newest first (at most 100). */
  deliveries: Array<WebhookDelivery>;
  description?: Maybe<Scalars['String']['output']>;
  /** Why delivery stopped: 410 Gone, failing for the whole retry window, or an admin. */
  disabledReason?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  /** Since when its oldest pending event has been failing. */
  failingSince?: Maybe<Scalars['DateTimeISO']['output']>;
  id: Scalars['ID']['output'];
  /** The event kinds it receives (null: all). */
  kinds?: Maybe<Array<Scalars['String']['output']>>;
  /** When the next attempt is due after a failure. */
  nextAttemptAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Until when the previous secret still signs too (after a rotation). */
  previousSecretValidUntil?: Maybe<Scalars['DateTimeISO']['output']>;
  updatedAt: Scalars['DateTimeISO']['output'];
  url: Scalars['String']['output'];
  workspaceId: Scalars['ID']['output'];
};


export type WebhookEndpointDeliveriesArgs = {
  first?: Scalars['Int']['input'];
};

export type WebhookEndpointWithSecret = {
  endpoint: WebhookEndpoint;
  /** The signing secret (whsec_…), for the Standard Webhooks libraries. Shown only now. */
  secret: Scalars['String']['output'];
};

/** Where a re-enabled endpoint goes on from: its cursor (every event it missed), or now. */
export type WebhookResume =
  | 'CURSOR'
  | 'NOW';

export type Workflow = {
  builderVersion: BuilderVersion;
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  steps: Array<Step>;
};

export type Workspace = {
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** Every member, oldest first. */
  members: Array<Member>;
  name: Scalars['String']['output'];
  settings: WorkspaceSettings;
  viewerCan: WorkspaceCapabilities;
  /** The viewer's role here. */
  viewerRole: WorkspaceRole;
};

export type WorkspaceCapabilities = {
  /** Roles the viewer may give and take. */
  assignableRoles: Array<WorkspaceRole>;
  /** Change settings such as adminsManageAccess (OWNER only). */
  changeSettings: Scalars['Boolean']['output'];
  /** Delete the workspace and everything it holds (OWNER only; deleteWorkspace). */
  delete: Scalars['Boolean']['output'];
  /** Rename the workspace and change its settings. */
  manage: Scalars['Boolean']['output'];
  /** Add, remove and change the roles of members (within assignableRoles). */
  manageMembers: Scalars['Boolean']['output'];
};

/** Where a workspace's deletion stands. */
export type WorkspaceDeletionStatus =
  /** Every row of the workspace is gone. */
  | 'DELETED'
  /** The workspace is gone for everyone; its rows are still being removed (the service finishes it, after a restart too). */
  | 'DELETING';

/** A member's role in a workspace. */
export type WorkspaceRole =
  /** Workspace admin: manages admins and members. */
  | 'ADMIN'
  /** Workspace member. */
  | 'MEMBER'
  /** Workspace owner: manages everything, including other owners. */
  | 'OWNER';

export type WorkspaceSettings = {
  /** OWNER/ADMIN may also manage access to, reconnect and rename accounts they do not own. */
  adminsManageAccess: Scalars['Boolean']['output'];
};

export type _Entity = Account | App | Member | Step | Workflow | Workspace;

export type _Service = {
  sdl?: Maybe<Scalars['String']['output']>;
};

export type Link__Purpose =
  /** `EXECUTION` features provide metadata necessary for operation execution. */
  | 'EXECUTION'
  /** `SECURITY` features provide metadata necessary to securely resolve fields. */
  | 'SECURITY';

export type AccountListItemFragment = { id: string, nickname: string, appSlug: string, isLegacy: boolean, scopes: Array<string>, shared: AccountSharedState, sharedWithViewer: boolean, connectedAt: string, app: { slug: string, name: string, authType: AuthType }, owner?: { id: string, userId: string, displayName?: string | null, isViewer: boolean } | null, externalIdentity?: { id?: string | null, displayName?: string | null } | null, health: { status: AccountHealthStatus, lastError?: string | null }, grants: Array<{ id: string, wholeWorkspace: boolean, member?: { id: string, userId: string, displayName?: string | null } | null }>, steps: Array<{ id: string, name: string, workflow: { id: string, name: string } }>, viewerCan: { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean } };

export type AccountsPageQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  filter?: InputMaybe<AccountFilterInput>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AccountsPageQuery = { accounts: { nodes: Array<{ id: string, nickname: string, appSlug: string, isLegacy: boolean, scopes: Array<string>, shared: AccountSharedState, sharedWithViewer: boolean, connectedAt: string, app: { slug: string, name: string, authType: AuthType }, owner?: { id: string, userId: string, displayName?: string | null, isViewer: boolean } | null, externalIdentity?: { id?: string | null, displayName?: string | null } | null, health: { status: AccountHealthStatus, lastError?: string | null }, grants: Array<{ id: string, wholeWorkspace: boolean, member?: { id: string, userId: string, displayName?: string | null } | null }>, steps: Array<{ id: string, name: string, workflow: { id: string, name: string } }>, viewerCan: { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean } }>, pageInfo: { endCursor?: string | null, hasNextPage: boolean } } };

export type AccountsPageItemQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AccountsPageItemQuery = { account: { id: string, nickname: string, appSlug: string, isLegacy: boolean, scopes: Array<string>, shared: AccountSharedState, sharedWithViewer: boolean, connectedAt: string, app: { slug: string, name: string, authType: AuthType }, owner?: { id: string, userId: string, displayName?: string | null, isViewer: boolean } | null, externalIdentity?: { id?: string | null, displayName?: string | null } | null, health: { status: AccountHealthStatus, lastError?: string | null }, grants: Array<{ id: string, wholeWorkspace: boolean, member?: { id: string, userId: string, displayName?: string | null } | null }>, steps: Array<{ id: string, name: string, workflow: { id: string, name: string } }>, viewerCan: { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean } } };

export type AccountCapabilitiesFragment = { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean };

export type AccountRowFragment = { id: string, nickname: string, appSlug: string, isLegacy: boolean, scopes: Array<string>, shared: AccountSharedState, sharedWithViewer: boolean, connectedAt: string, createdAt: string, app: { slug: string, name: string }, owner?: { id: string, userId: string, displayName?: string | null } | null, externalIdentity?: { id?: string | null, displayName?: string | null } | null, health: { status: AccountHealthStatus, lastError?: string | null, expiresAt?: string | null, lastRefreshedAt?: string | null, nextRefreshAt?: string | null }, grants: Array<{ id: string, wholeWorkspace: boolean, member?: { id: string, userId: string } | null, grantedBy?: { id: string } | null }>, viewerCan: { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean } };

export type AccountsQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  filter?: InputMaybe<AccountFilterInput>;
  page?: InputMaybe<PageInput>;
}>;


export type AccountsQuery = { accounts: { nodes: Array<{ id: string, nickname: string, appSlug: string, isLegacy: boolean, scopes: Array<string>, shared: AccountSharedState, sharedWithViewer: boolean, connectedAt: string, createdAt: string, app: { slug: string, name: string }, owner?: { id: string, userId: string, displayName?: string | null } | null, externalIdentity?: { id?: string | null, displayName?: string | null } | null, health: { status: AccountHealthStatus, lastError?: string | null, expiresAt?: string | null, lastRefreshedAt?: string | null, nextRefreshAt?: string | null }, grants: Array<{ id: string, wholeWorkspace: boolean, member?: { id: string, userId: string } | null, grantedBy?: { id: string } | null }>, viewerCan: { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean } }>, pageInfo: { endCursor?: string | null, hasNextPage: boolean } } };

export type AccountQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AccountQuery = { account: { id: string, nickname: string, appSlug: string, isLegacy: boolean, scopes: Array<string>, shared: AccountSharedState, sharedWithViewer: boolean, connectedAt: string, createdAt: string, parameters: Array<{ name: string, value: string }>, learnedValues: Array<{ name: string, value: string }>, app: { slug: string, name: string }, owner?: { id: string, userId: string, displayName?: string | null } | null, externalIdentity?: { id?: string | null, displayName?: string | null } | null, health: { status: AccountHealthStatus, lastError?: string | null, expiresAt?: string | null, lastRefreshedAt?: string | null, nextRefreshAt?: string | null }, grants: Array<{ id: string, wholeWorkspace: boolean, member?: { id: string, userId: string } | null, grantedBy?: { id: string } | null }>, viewerCan: { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean } } };

export type ConnectKeyAccountMutationVariables = Exact<{
  input: ConnectKeyAccountInput;
}>;


export type ConnectKeyAccountMutation = { connectKeyAccount: { id: string, nickname: string, appSlug: string, isLegacy: boolean, scopes: Array<string>, shared: AccountSharedState, sharedWithViewer: boolean, connectedAt: string, createdAt: string, app: { slug: string, name: string }, owner?: { id: string, userId: string, displayName?: string | null } | null, externalIdentity?: { id?: string | null, displayName?: string | null } | null, health: { status: AccountHealthStatus, lastError?: string | null, expiresAt?: string | null, lastRefreshedAt?: string | null, nextRefreshAt?: string | null }, grants: Array<{ id: string, wholeWorkspace: boolean, member?: { id: string, userId: string } | null, grantedBy?: { id: string } | null }>, viewerCan: { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean } } };

export type ReconnectKeyAccountMutationVariables = Exact<{
  input: ReconnectKeyAccountInput;
}>;


export type ReconnectKeyAccountMutation = { reconnectKeyAccount: { claimed: boolean, account: { id: string, nickname: string, appSlug: string, isLegacy: boolean, scopes: Array<string>, shared: AccountSharedState, sharedWithViewer: boolean, connectedAt: string, createdAt: string, app: { slug: string, name: string }, owner?: { id: string, userId: string, displayName?: string | null } | null, externalIdentity?: { id?: string | null, displayName?: string | null } | null, health: { status: AccountHealthStatus, lastError?: string | null, expiresAt?: string | null, lastRefreshedAt?: string | null, nextRefreshAt?: string | null }, grants: Array<{ id: string, wholeWorkspace: boolean, member?: { id: string, userId: string } | null, grantedBy?: { id: string } | null }>, viewerCan: { view: boolean, use: boolean, modifySteps: boolean, testSteps: boolean, manageAccess: boolean, reconnect: boolean, rename: boolean, delete: boolean, readCredentials: boolean } } } };

export type RenameAccountMutationVariables = Exact<{
  input: RenameAccountInput;
}>;


export type RenameAccountMutation = { renameAccount: { id: string, nickname: string } };

export type DeleteAccountMutationVariables = Exact<{
  input: DeleteAccountInput;
}>;


export type DeleteAccountMutation = { deleteAccount: { accountId: string } };

export type ShareAccountMutationVariables = Exact<{
  input: AccountAccessInput;
}>;


export type ShareAccountMutation = { shareAccount: { id: string, shared: AccountSharedState, grants: Array<{ wholeWorkspace: boolean, member?: { id: string } | null }> } };

export type RevokeAccountAccessMutationVariables = Exact<{
  input: AccountAccessInput;
}>;


export type RevokeAccountAccessMutation = { revokeAccountAccess: { id: string, shared: AccountSharedState, grants: Array<{ wholeWorkspace: boolean, member?: { id: string } | null }> } };

export type ImportLegacyAccountsMutationVariables = Exact<{
  input: ImportLegacyAccountsInput;
}>;


export type ImportLegacyAccountsMutation = { importLegacyAccounts: Array<{ id: string, nickname: string, isLegacy: boolean, shared: AccountSharedState, createdAt: string }> };

export type UpdateWorkspaceSettingsMutationVariables = Exact<{
  input: UpdateWorkspaceSettingsInput;
}>;


export type UpdateWorkspaceSettingsMutation = { updateWorkspaceSettings: { id: string, settings: { adminsManageAccess: boolean } } };

export type AuditTrailQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  filter?: InputMaybe<AuditFilterInput>;
  page?: InputMaybe<PageInput>;
}>;


export type AuditTrailQuery = { auditTrail: { nodes: Array<{ id: string, action: AuditAction, actorUserId: string, actorMemberId?: string | null, accountId?: string | null, details: Record<string, unknown>, createdAt: string }>, pageInfo: { endCursor?: string | null, hasNextPage: boolean } } };

export type ReadAccountCredentialsMutationVariables = Exact<{
  accountId: Scalars['ID']['input'];
}>;


export type ReadAccountCredentialsMutation = { readAccountCredentials: { accountId: string, appSlug: string, expiresAt?: string | null, fields: Array<{ name: string, value: string }>, externalIdentity?: { id?: string | null, displayName?: string | null } | null } };

export type SendAccountRequestMutationVariables = Exact<{
  input: AccountRequestInput;
}>;


export type SendAccountRequestMutation = { sendAccountRequest: { status: number, headers: Record<string, unknown>, body: string, truncated: boolean } };

export type CreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type CreateApiTokenMutation = { createApiToken: { token: string, apiToken: { id: string, name: string, prefix: string, last4: string, scope: ApiTokenScope } } };

export type ApiTokensQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
}>;


export type ApiTokensQuery = { apiTokens: Array<{ id: string, prefix: string, last4: string, scope: ApiTokenScope, revokedAt?: string | null }> };

export type RevokeApiTokenMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RevokeApiTokenMutation = { revokeApiToken: { id: string, revokedAt?: string | null } };

export type AppSummaryFragment = { slug: string, name: string, authType: AuthType, apiBaseUrl: string };

export type AppsQueryVariables = Exact<{
  search?: InputMaybe<Scalars['String']['input']>;
  authType?: InputMaybe<AuthType>;
  page?: InputMaybe<PageInput>;
}>;


export type AppsQuery = { apps: { totalCount: number, nodes: Array<{ slug: string, name: string, authType: AuthType, apiBaseUrl: string }>, pageInfo: { endCursor?: string | null, hasNextPage: boolean } } };

export type AppQueryVariables = Exact<{
  slug: Scalars['String']['input'];
}>;


export type AppQuery = { app: { description: string, categories: Array<string>, homepageUrl?: string | null, authHeaderNames: Array<string>, hasTestRequest: boolean, hosts: Array<string>, slug: string, name: string, authType: AuthType, apiBaseUrl: string, parameters: Array<{ name: string, label: string, description?: string | null, pattern?: string | null, optional: boolean, default?: string | null, example: string, choices?: Array<{ value: string, label: string }> | null }>, learnedValues: Array<{ name: string, label: string }>, oauth?: { authorizationUrl: string, tokenUrl: string, revocationUrl?: string | null, defaultScopes: Array<string>, scopeSeparator: string, pkce: boolean } | null, fields: Array<{ name: string, label: string, secret: boolean, optional: boolean, pattern?: string | null }> } };

export type EnvironmentVariablesQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
}>;


export type EnvironmentVariablesQuery = { environmentVariables: Array<{ id: string, name: string, secret: boolean, description?: string | null, value?: string | null, updatedAt: string }> };

export type SetEnvironmentVariableMutationVariables = Exact<{
  input: SetEnvironmentVariableInput;
}>;


export type SetEnvironmentVariableMutation = { setEnvironmentVariable: { id: string, name: string, secret: boolean, description?: string | null, value?: string | null, updatedAt: string } };

export type DeleteEnvironmentVariableMutationVariables = Exact<{
  input: DeleteEnvironmentVariableInput;
}>;


export type DeleteEnvironmentVariableMutation = { deleteEnvironmentVariable: string };

export type RequestAppMutationVariables = Exact<{
  input: RequestAppInput;
}>;


export type RequestAppMutation = { requestApp: { id: string, name: string, url?: string | null, reason?: string | null, count: number, status: AppRequestStatus, requestedByMemberId: string, createdAt: string, updatedAt: string, closedAt?: string | null } };

export type AppRequestsQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  status?: InputMaybe<AppRequestStatus>;
}>;


export type AppRequestsQuery = { appRequests: Array<{ id: string, name: string, url?: string | null, reason?: string | null, count: number, status: AppRequestStatus, requestedByMemberId: string, createdAt: string, closedAt?: string | null }> };

export type CloseAppRequestMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CloseAppRequestMutation = { closeAppRequest: { id: string, status: AppRequestStatus, count: number, closedAt?: string | null } };

export type EgressIpRangesQueryVariables = Exact<{ [key: string]: never; }>;


export type EgressIpRangesQuery = { egressIpRanges: Array<string> };

export type AccountEventFieldsFragment = { id: string, cursor: number, kind: AccountEventKind, accountId: string, workspaceId: string, details: Record<string, unknown>, occurredAt: string };

export type AccountEventsSubscriptionVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['Int']['input']>;
  kinds?: InputMaybe<Array<AccountEventKind> | AccountEventKind>;
  accountIds?: InputMaybe<Array<Scalars['ID']['input']> | Scalars['ID']['input']>;
}>;


export type AccountEventsSubscription = { accountEvents: { id: string, cursor: number, kind: AccountEventKind, accountId: string, workspaceId: string, details: Record<string, unknown>, occurredAt: string } };

export type AccountAlertsSubscriptionVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['Int']['input']>;
}>;


export type AccountAlertsSubscription = { accountAlerts: { id: string, cursor: number, kind: AccountEventKind, accountId: string, workspaceId: string, details: Record<string, unknown>, occurredAt: string } };

export type AccountEventLogQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['Int']['input']>;
}>;


export type AccountEventLogQuery = { accountEventLog: Array<{ id: string, cursor: number, kind: AccountEventKind, accountId: string, workspaceId: string, details: Record<string, unknown>, occurredAt: string }> };

export type StartOAuthConnectMutationVariables = Exact<{
  input: StartOAuthConnectInput;
}>;


export type StartOAuthConnectMutation = { startOAuthConnect: { authorizationUrl: string, expiresAt: string } };

export type StartOAuthReconnectMutationVariables = Exact<{
  input: StartOAuthReconnectInput;
}>;


export type StartOAuthReconnectMutation = { startOAuthReconnect: { authorizationUrl: string, expiresAt: string } };

export type OAuthClientsQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
}>;


export type OAuthClientsQuery = { oauthClients: Array<{ id: string, appSlug: string, name: string, clientId: string, scopes: Array<string>, status: string, lastError?: string | null, redirectUri: string }> };

export type RegisterOAuthClientMutationVariables = Exact<{
  input: RegisterOAuthClientInput;
}>;


export type RegisterOAuthClientMutation = { registerOAuthClient: { id: string, appSlug: string, clientId: string, scopes: Array<string>, status: string, redirectUri: string } };

export type UpdateOAuthClientMutationVariables = Exact<{
  input: UpdateOAuthClientInput;
}>;


export type UpdateOAuthClientMutation = { updateOAuthClient: { id: string, clientId: string, scopes: Array<string>, status: string } };

export type WebhookEndpointFieldsFragment = { id: string, workspaceId: string, url: string, description?: string | null, kinds?: Array<string> | null, accountIds?: Array<string> | null, enabled: boolean, disabledReason?: string | null, cursor: number, failingSince?: string | null, nextAttemptAt?: string | null, previousSecretValidUntil?: string | null, createdAt: string, updatedAt: string };

export type WebhookDeliveryFieldsFragment = { id: string, kind: string, eventId?: string | null, cursor?: number | null, messageId: string, status: string, attempts: number, responseStatus?: number | null, error?: string | null, latencyMs?: number | null, responseExcerpt?: string | null, nextAttemptAt?: string | null, createdAt: string, updatedAt: string };

export type WebhookEndpointsQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
}>;


export type WebhookEndpointsQuery = { webhookEndpoints: Array<{ id: string, workspaceId: string, url: string, description?: string | null, kinds?: Array<string> | null, accountIds?: Array<string> | null, enabled: boolean, disabledReason?: string | null, cursor: number, failingSince?: string | null, nextAttemptAt?: string | null, previousSecretValidUntil?: string | null, createdAt: string, updatedAt: string }> };

export type WebhookEndpointQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type WebhookEndpointQuery = { webhookEndpoint: { id: string, workspaceId: string, url: string, description?: string | null, kinds?: Array<string> | null, accountIds?: Array<string> | null, enabled: boolean, disabledReason?: string | null, cursor: number, failingSince?: string | null, nextAttemptAt?: string | null, previousSecretValidUntil?: string | null, createdAt: string, updatedAt: string, deliveries: Array<{ id: string, kind: string, eventId?: string | null, cursor?: number | null, messageId: string, status: string, attempts: number, responseStatus?: number | null, error?: string | null, latencyMs?: number | null, responseExcerpt?: string | null, nextAttemptAt?: string | null, createdAt: string, updatedAt: string }> } };

export type CreateWebhookEndpointMutationVariables = Exact<{
  input: CreateWebhookEndpointInput;
}>;


export type CreateWebhookEndpointMutation = { createWebhookEndpoint: { secret: string, endpoint: { id: string, workspaceId: string, url: string, description?: string | null, kinds?: Array<string> | null, accountIds?: Array<string> | null, enabled: boolean, disabledReason?: string | null, cursor: number, failingSince?: string | null, nextAttemptAt?: string | null, previousSecretValidUntil?: string | null, createdAt: string, updatedAt: string } } };

export type UpdateWebhookEndpointMutationVariables = Exact<{
  input: UpdateWebhookEndpointInput;
}>;


export type UpdateWebhookEndpointMutation = { updateWebhookEndpoint: { id: string, workspaceId: string, url: string, description?: string | null, kinds?: Array<string> | null, accountIds?: Array<string> | null, enabled: boolean, disabledReason?: string | null, cursor: number, failingSince?: string | null, nextAttemptAt?: string | null, previousSecretValidUntil?: string | null, createdAt: string, updatedAt: string } };

export type RotateWebhookSecretMutationVariables = Exact<{
  endpointId: Scalars['ID']['input'];
  graceSeconds?: InputMaybe<Scalars['Int']['input']>;
}>;


export type RotateWebhookSecretMutation = { rotateWebhookSecret: { secret: string, endpoint: { id: string, workspaceId: string, url: string, description?: string | null, kinds?: Array<string> | null, accountIds?: Array<string> | null, enabled: boolean, disabledReason?: string | null, cursor: number, failingSince?: string | null, nextAttemptAt?: string | null, previousSecretValidUntil?: string | null, createdAt: string, updatedAt: string } } };

export type TestWebhookEndpointMutationVariables = Exact<{
  endpointId: Scalars['ID']['input'];
}>;


export type TestWebhookEndpointMutation = { testWebhookEndpoint: { id: string, kind: string, eventId?: string | null, cursor?: number | null, messageId: string, status: string, attempts: number, responseStatus?: number | null, error?: string | null, latencyMs?: number | null, responseExcerpt?: string | null, nextAttemptAt?: string | null, createdAt: string, updatedAt: string } };

export type RedeliverWebhooksMutationVariables = Exact<{
  endpointId: Scalars['ID']['input'];
  afterCursor: Scalars['Int']['input'];
}>;


export type RedeliverWebhooksMutation = { redeliverWebhooks: { id: string, workspaceId: string, url: string, description?: string | null, kinds?: Array<string> | null, accountIds?: Array<string> | null, enabled: boolean, disabledReason?: string | null, cursor: number, failingSince?: string | null, nextAttemptAt?: string | null, previousSecretValidUntil?: string | null, createdAt: string, updatedAt: string } };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  endpointId: Scalars['ID']['input'];
}>;


export type DeleteWebhookEndpointMutation = { deleteWebhookEndpoint: string };

export type StepRowFragment = { id: string, position: number, kind: StepKind, name: string, appSlug?: string | null, props: Record<string, unknown>, code?: string | null, http?: Record<string, unknown> | null, accountRemoved: boolean, account?: { id: string, nickname: string, appSlug: string, owner?: { id: string, userId: string, displayName?: string | null } | null } | null, viewerCan: { edit: boolean, test: boolean, readOnlyReason?: string | null } };

export type WorkflowsQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
}>;


export type WorkflowsQuery = { workflows: Array<{ id: string, name: string, builderVersion: BuilderVersion }> };

export type WorkflowQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type WorkflowQuery = { workflow: { id: string, name: string, builderVersion: BuilderVersion, steps: Array<{ id: string, position: number, kind: StepKind, name: string, appSlug?: string | null, props: Record<string, unknown>, code?: string | null, http?: Record<string, unknown> | null, accountRemoved: boolean, runs: Array<{ id: string, status: string, exports: Record<string, unknown>, logs: Array<string>, error?: string | null }>, account?: { id: string, nickname: string, appSlug: string, owner?: { id: string, userId: string, displayName?: string | null } | null } | null, viewerCan: { edit: boolean, test: boolean, readOnlyReason?: string | null } }> } };

export type CreateWorkflowMutationVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  builderVersion?: InputMaybe<BuilderVersion>;
}>;


export type CreateWorkflowMutation = { createWorkflow: { id: string, name: string, builderVersion: BuilderVersion } };

export type AddStepMutationVariables = Exact<{
  input: AddStepInput;
}>;


export type AddStepMutation = { addStep: { id: string, position: number, kind: StepKind, name: string, appSlug?: string | null, props: Record<string, unknown>, code?: string | null, http?: Record<string, unknown> | null, accountRemoved: boolean, account?: { id: string, nickname: string, appSlug: string, owner?: { id: string, userId: string, displayName?: string | null } | null } | null, viewerCan: { edit: boolean, test: boolean, readOnlyReason?: string | null } } };

export type UpdateStepMutationVariables = Exact<{
  input: UpdateStepInput;
}>;


export type UpdateStepMutation = { updateStep: { id: string, position: number, kind: StepKind, name: string, appSlug?: string | null, props: Record<string, unknown>, code?: string | null, http?: Record<string, unknown> | null, accountRemoved: boolean, account?: { id: string, nickname: string, appSlug: string, owner?: { id: string, userId: string, displayName?: string | null } | null } | null, viewerCan: { edit: boolean, test: boolean, readOnlyReason?: string | null } } };

export type MoveStepMutationVariables = Exact<{
  stepId: Scalars['ID']['input'];
  position: Scalars['Int']['input'];
}>;


export type MoveStepMutation = { moveStep: Array<{ id: string, position: number }> };

export type RemoveStepMutationVariables = Exact<{
  stepId: Scalars['ID']['input'];
}>;


export type RemoveStepMutation = { removeStep: string };

export type SwitchStepAccountMutationVariables = Exact<{
  stepId: Scalars['ID']['input'];
  accountId: Scalars['ID']['input'];
}>;


export type SwitchStepAccountMutation = { switchStepAccount: { clearedProps: Array<string>, step: { id: string, position: number, kind: StepKind, name: string, appSlug?: string | null, props: Record<string, unknown>, code?: string | null, http?: Record<string, unknown> | null, accountRemoved: boolean, account?: { id: string, nickname: string, appSlug: string, owner?: { id: string, userId: string, displayName?: string | null } | null } | null, viewerCan: { edit: boolean, test: boolean, readOnlyReason?: string | null } } } };

export type TestStepMutationVariables = Exact<{
  stepId: Scalars['ID']['input'];
}>;


export type TestStepMutation = { testStep: { id: string, status: string, inputs: Record<string, unknown>, exports: Record<string, unknown>, logs: Array<string>, error?: string | null, durationMs: number } };

export type AccessChangeImpactQueryVariables = Exact<{
  input: AccessChangeInput;
}>;


export type AccessChangeImpactQuery = { accessChangeImpact: Array<{ memberId?: string | null, effect: string }> };

export type AccountUsageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type AccountUsageQuery = { account: { id: string, steps: Array<{ id: string, workflow: { id: string, name: string } }> } };

export type TestStepWithCredentialsMutationVariables = Exact<{
  stepId: Scalars['ID']['input'];
  externalCredentials?: InputMaybe<Array<CredentialFieldInput> | CredentialFieldInput>;
}>;


export type TestStepWithCredentialsMutation = { testStep: { id: string, status: string, inputs: Record<string, unknown>, exports: Record<string, unknown>, logs: Array<string>, error?: string | null } };

export type MemberFieldsFragment = { id: string, userId: string, role: WorkspaceRole, displayName?: string | null, email?: string | null, isViewer: boolean, viewerCan: { remove: boolean, changeRole: boolean } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { userId: string, displayName?: string | null, workspaces: Array<{ id: string, name: string, viewerRole: WorkspaceRole }> } };

export type WorkspaceQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type WorkspaceQuery = { workspace: { id: string, name: string, createdAt: string, viewerRole: WorkspaceRole, viewerCan: { manage: boolean, manageMembers: boolean, assignableRoles: Array<WorkspaceRole>, changeSettings: boolean }, settings: { adminsManageAccess: boolean }, members: Array<{ id: string, userId: string, role: WorkspaceRole, displayName?: string | null, email?: string | null, isViewer: boolean, viewerCan: { remove: boolean, changeRole: boolean } }> } };

export type MemberQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type MemberQuery = { member: { id: string, userId: string, role: WorkspaceRole, displayName?: string | null, email?: string | null, isViewer: boolean, workspace: { id: string }, viewerCan: { remove: boolean, changeRole: boolean } } };

export type CreateWorkspaceMutationVariables = Exact<{
  input: CreateWorkspaceInput;
}>;


export type CreateWorkspaceMutation = { createWorkspace: { id: string, name: string, viewerRole: WorkspaceRole } };

export type RenameWorkspaceMutationVariables = Exact<{
  input: RenameWorkspaceInput;
}>;


export type RenameWorkspaceMutation = { renameWorkspace: { id: string, name: string } };

export type AddMemberMutationVariables = Exact<{
  input: AddMemberInput;
}>;


export type AddMemberMutation = { addMember: { id: string, userId: string, role: WorkspaceRole, displayName?: string | null, email?: string | null, isViewer: boolean, viewerCan: { remove: boolean, changeRole: boolean } } };

export type ChangeMemberRoleMutationVariables = Exact<{
  input: ChangeMemberRoleInput;
}>;


export type ChangeMemberRoleMutation = { changeMemberRole: { id: string, role: WorkspaceRole } };

export type RemoveMemberMutationVariables = Exact<{
  input: RemoveMemberInput;
}>;


export type RemoveMemberMutation = { removeMember: { memberId: string, workspaceId: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AccountCapabilitiesFragmentDoc = new TypedDocumentString(`
    fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}
    `, {"fragmentName":"AccountCapabilities"}) as unknown as TypedDocumentString<AccountCapabilitiesFragment, unknown>;
export const AccountListItemFragmentDoc = new TypedDocumentString(`
    fragment AccountListItem on Account {
  id
  nickname
  appSlug
  isLegacy
  scopes
  shared
  sharedWithViewer
  connectedAt
  app {
    slug
    name
    authType
  }
  owner {
    id
    userId
    displayName
    isViewer
  }
  externalIdentity {
    id
    displayName
  }
  health {
    status
    lastError
  }
  grants {
    id
    wholeWorkspace
    member {
      id
      userId
      displayName
    }
  }
  steps {
    id
    name
    workflow {
      id
      name
    }
  }
  viewerCan {
    ...AccountCapabilities
  }
}
    fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}`, {"fragmentName":"AccountListItem"}) as unknown as TypedDocumentString<AccountListItemFragment, unknown>;
export const AccountRowFragmentDoc = new TypedDocumentString(`
    fragment AccountRow on Account {
  id
  nickname
  appSlug
  isLegacy
  scopes
  shared
  sharedWithViewer
  connectedAt
  createdAt
  app {
    slug
    name
  }
  owner {
    id
    userId
    displayName
  }
  externalIdentity {
    id
    displayName
  }
  health {
    status
    lastError
    expiresAt
    lastRefreshedAt
    nextRefreshAt
  }
  grants {
    id
    wholeWorkspace
    member {
      id
      userId
    }
    grantedBy {
      id
    }
  }
  viewerCan {
    ...AccountCapabilities
  }
}
    fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}`, {"fragmentName":"AccountRow"}) as unknown as TypedDocumentString<AccountRowFragment, unknown>;
export const AppSummaryFragmentDoc = new TypedDocumentString(`
    fragment AppSummary on App {
  slug
  name
  authType
  apiBaseUrl
}
    `, {"fragmentName":"AppSummary"}) as unknown as TypedDocumentString<AppSummaryFragment, unknown>;
export const AccountEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment AccountEventFields on AccountEvent {
  id
  cursor
  kind
  accountId
  workspaceId
  details
  occurredAt
}
    `, {"fragmentName":"AccountEventFields"}) as unknown as TypedDocumentString<AccountEventFieldsFragment, unknown>;
export const WebhookEndpointFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  workspaceId
  url
  description
  kinds
  accountIds
  enabled
  disabledReason
  cursor
  failingSince
  nextAttemptAt
  previousSecretValidUntil
  createdAt
  updatedAt
}
    `, {"fragmentName":"WebhookEndpointFields"}) as unknown as TypedDocumentString<WebhookEndpointFieldsFragment, unknown>;
export const WebhookDeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  kind
  eventId
  cursor
  messageId
  status
  attempts
  responseStatus
  error
  latencyMs
  responseExcerpt
  nextAttemptAt
  createdAt
  updatedAt
}
    `, {"fragmentName":"WebhookDeliveryFields"}) as unknown as TypedDocumentString<WebhookDeliveryFieldsFragment, unknown>;
export const StepRowFragmentDoc = new TypedDocumentString(`
    fragment StepRow on Step {
  id
  position
  kind
  name
  appSlug
  props
  code
  http
  accountRemoved
  account {
    id
    nickname
    appSlug
    owner {
      id
      userId
      displayName
    }
  }
  viewerCan {
    edit
    test
    readOnlyReason
  }
}
    `, {"fragmentName":"StepRow"}) as unknown as TypedDocumentString<StepRowFragment, unknown>;
export const MemberFieldsFragmentDoc = new TypedDocumentString(`
    fragment MemberFields on Member {
  id
  userId
  role
  displayName
  email
  isViewer
  viewerCan {
    remove
    changeRole
  }
}
    `, {"fragmentName":"MemberFields"}) as unknown as TypedDocumentString<MemberFieldsFragment, unknown>;
export const AccountsPageDocument = new TypedDocumentString(`
    query AccountsPage($workspaceId: ID!, $filter: AccountFilterInput, $after: String) {
  accounts(
    workspaceId: $workspaceId
    filter: $filter
    page: {first: 25, after: $after}
  ) {
    nodes {
      ...AccountListItem
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    fragment AccountListItem on Account {
  id
  nickname
  appSlug
  isLegacy
  scopes
  shared
  sharedWithViewer
  connectedAt
  app {
    slug
    name
    authType
  }
  owner {
    id
    userId
    displayName
    isViewer
  }
  externalIdentity {
    id
    displayName
  }
  health {
    status
    lastError
  }
  grants {
    id
    wholeWorkspace
    member {
      id
      userId
      displayName
    }
  }
  steps {
    id
    name
    workflow {
      id
      name
    }
  }
  viewerCan {
    ...AccountCapabilities
  }
}
fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}`) as unknown as TypedDocumentString<AccountsPageQuery, AccountsPageQueryVariables>;
export const AccountsPageItemDocument = new TypedDocumentString(`
    query AccountsPageItem($id: ID!) {
  account(id: $id) {
    ...AccountListItem
  }
}
    fragment AccountListItem on Account {
  id
  nickname
  appSlug
  isLegacy
  scopes
  shared
  sharedWithViewer
  connectedAt
  app {
    slug
    name
    authType
  }
  owner {
    id
    userId
    displayName
    isViewer
  }
  externalIdentity {
    id
    displayName
  }
  health {
    status
    lastError
  }
  grants {
    id
    wholeWorkspace
    member {
      id
      userId
      displayName
    }
  }
  steps {
    id
    name
    workflow {
      id
      name
    }
  }
  viewerCan {
    ...AccountCapabilities
  }
}
fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}`) as unknown as TypedDocumentString<AccountsPageItemQuery, AccountsPageItemQueryVariables>;
export const AccountsDocument = new TypedDocumentString(`
    query Accounts($workspaceId: ID!, $filter: AccountFilterInput, $page: PageInput) {
  accounts(workspaceId: $workspaceId, filter: $filter, page: $page) {
    nodes {
      ...AccountRow
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}
fragment AccountRow on Account {
  id
  nickname
  appSlug
  isLegacy
  scopes
  shared
  sharedWithViewer
  connectedAt
  createdAt
  app {
    slug
    name
  }
  owner {
    id
    userId
    displayName
  }
  externalIdentity {
    id
    displayName
  }
  health {
    status
    lastError
    expiresAt
    lastRefreshedAt
    nextRefreshAt
  }
  grants {
    id
    wholeWorkspace
    member {
      id
      userId
    }
    grantedBy {
      id
    }
  }
  viewerCan {
    ...AccountCapabilities
  }
}`) as unknown as TypedDocumentString<AccountsQuery, AccountsQueryVariables>;
export const AccountDocument = new TypedDocumentString(`
    query Account($id: ID!) {
  account(id: $id) {
    ...AccountRow
    parameters {
      name
      value
    }
    learnedValues {
      name
      value
    }
  }
}
    fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}
fragment AccountRow on Account {
  id
  nickname
  appSlug
  isLegacy
  scopes
  shared
  sharedWithViewer
  connectedAt
  createdAt
  app {
    slug
    name
  }
  owner {
    id
    userId
    displayName
  }
  externalIdentity {
    id
    displayName
  }
  health {
    status
    lastError
    expiresAt
    lastRefreshedAt
    nextRefreshAt
  }
  grants {
    id
    wholeWorkspace
    member {
      id
      userId
    }
    grantedBy {
      id
    }
  }
  viewerCan {
    ...AccountCapabilities
  }
}`) as unknown as TypedDocumentString<AccountQuery, AccountQueryVariables>;
export const ConnectKeyAccountDocument = new TypedDocumentString(`
    mutation ConnectKeyAccount($input: ConnectKeyAccountInput!) {
  connectKeyAccount(input: $input) {
    ...AccountRow
  }
}
    fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}
fragment AccountRow on Account {
  id
  nickname
  appSlug
  isLegacy
  scopes
  shared
  sharedWithViewer
  connectedAt
  createdAt
  app {
    slug
    name
  }
  owner {
    id
    userId
    displayName
  }
  externalIdentity {
    id
    displayName
  }
  health {
    status
    lastError
    expiresAt
    lastRefreshedAt
    nextRefreshAt
  }
  grants {
    id
    wholeWorkspace
    member {
      id
      userId
    }
    grantedBy {
      id
    }
  }
  viewerCan {
    ...AccountCapabilities
  }
}`) as unknown as TypedDocumentString<ConnectKeyAccountMutation, ConnectKeyAccountMutationVariables>;
export const ReconnectKeyAccountDocument = new TypedDocumentString(`
    mutation ReconnectKeyAccount($input: ReconnectKeyAccountInput!) {
  reconnectKeyAccount(input: $input) {
    claimed
    account {
      ...AccountRow
    }
  }
}
    fragment AccountCapabilities on AccountCapabilities {
  view
  use
  modifySteps
  testSteps
  manageAccess
  reconnect
  rename
  delete
  readCredentials
}
fragment AccountRow on Account {
  id
  nickname
  appSlug
  isLegacy
  scopes
  shared
  sharedWithViewer
  connectedAt
  createdAt
  app {
    slug
    name
  }
  owner {
    id
    userId
    displayName
  }
  externalIdentity {
    id
    displayName
  }
  health {
    status
    lastError
    expiresAt
    lastRefreshedAt
    nextRefreshAt
  }
  grants {
    id
    wholeWorkspace
    member {
      id
      userId
    }
    grantedBy {
      id
    }
  }
  viewerCan {
    ...AccountCapabilities
  }
}`) as unknown as TypedDocumentString<ReconnectKeyAccountMutation, ReconnectKeyAccountMutationVariables>;
export const RenameAccountDocument = new TypedDocumentString(`
    mutation RenameAccount($input: RenameAccountInput!) {
  renameAccount(input: $input) {
    id
    nickname
  }
}
    `) as unknown as TypedDocumentString<RenameAccountMutation, RenameAccountMutationVariables>;
export const DeleteAccountDocument = new TypedDocumentString(`
    mutation DeleteAccount($input: DeleteAccountInput!) {
  deleteAccount(input: $input) {
    accountId
  }
}
    `) as unknown as TypedDocumentString<DeleteAccountMutation, DeleteAccountMutationVariables>;
export const ShareAccountDocument = new TypedDocumentString(`
    mutation ShareAccount($input: AccountAccessInput!) {
  shareAccount(input: $input) {
    id
    shared
    grants {
      wholeWorkspace
      member {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ShareAccountMutation, ShareAccountMutationVariables>;
export const RevokeAccountAccessDocument = new TypedDocumentString(`
    mutation RevokeAccountAccess($input: AccountAccessInput!) {
  revokeAccountAccess(input: $input) {
    id
    shared
    grants {
      wholeWorkspace
      member {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeAccountAccessMutation, RevokeAccountAccessMutationVariables>;
export const ImportLegacyAccountsDocument = new TypedDocumentString(`
    mutation ImportLegacyAccounts($input: ImportLegacyAccountsInput!) {
  importLegacyAccounts(input: $input) {
    id
    nickname
    isLegacy
    shared
    createdAt
  }
}
    `) as unknown as TypedDocumentString<ImportLegacyAccountsMutation, ImportLegacyAccountsMutationVariables>;
export const UpdateWorkspaceSettingsDocument = new TypedDocumentString(`
    mutation UpdateWorkspaceSettings($input: UpdateWorkspaceSettingsInput!) {
  updateWorkspaceSettings(input: $input) {
    id
    settings {
      adminsManageAccess
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateWorkspaceSettingsMutation, UpdateWorkspaceSettingsMutationVariables>;
export const AuditTrailDocument = new TypedDocumentString(`
    query AuditTrail($workspaceId: ID!, $filter: AuditFilterInput, $page: PageInput) {
  auditTrail(workspaceId: $workspaceId, filter: $filter, page: $page) {
    nodes {
      id
      action
      actorUserId
      actorMemberId
      accountId
      details
      createdAt
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    `) as unknown as TypedDocumentString<AuditTrailQuery, AuditTrailQueryVariables>;
export const ReadAccountCredentialsDocument = new TypedDocumentString(`
    mutation ReadAccountCredentials($accountId: ID!) {
  readAccountCredentials(accountId: $accountId) {
    accountId
    appSlug
    expiresAt
    fields {
      name
      value
    }
    externalIdentity {
      id
      displayName
    }
  }
}
    `) as unknown as TypedDocumentString<ReadAccountCredentialsMutation, ReadAccountCredentialsMutationVariables>;
export const SendAccountRequestDocument = new TypedDocumentString(`
    mutation SendAccountRequest($input: AccountRequestInput!) {
  sendAccountRequest(input: $input) {
    status
    headers
    body
    truncated
  }
}
    `) as unknown as TypedDocumentString<SendAccountRequestMutation, SendAccountRequestMutationVariables>;
export const CreateApiTokenDocument = new TypedDocumentString(`
    mutation CreateApiToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    token
    apiToken {
      id
      name
      prefix
      last4
      scope
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const ApiTokensDocument = new TypedDocumentString(`
    query ApiTokens($workspaceId: ID!) {
  apiTokens(workspaceId: $workspaceId) {
    id
    prefix
    last4
    scope
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<ApiTokensQuery, ApiTokensQueryVariables>;
export const RevokeApiTokenDocument = new TypedDocumentString(`
    mutation RevokeApiToken($id: ID!) {
  revokeApiToken(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const AppsDocument = new TypedDocumentString(`
    query Apps($search: String, $authType: AuthType, $page: PageInput) {
  apps(search: $search, authType: $authType, page: $page) {
    nodes {
      ...AppSummary
    }
    pageInfo {
      endCursor
      hasNextPage
    }
    totalCount
  }
}
    fragment AppSummary on App {
  slug
  name
  authType
  apiBaseUrl
}`) as unknown as TypedDocumentString<AppsQuery, AppsQueryVariables>;
export const AppDocument = new TypedDocumentString(`
    query App($slug: String!) {
  app(slug: $slug) {
    ...AppSummary
    description
    categories
    homepageUrl
    authHeaderNames
    hasTestRequest
    hosts
    parameters {
      name
      label
      description
      pattern
      choices {
        value
        label
      }
      optional
      default
      example
    }
    learnedValues {
      name
      label
    }
    oauth {
      authorizationUrl
      tokenUrl
      revocationUrl
      defaultScopes
      scopeSeparator
      pkce
    }
    fields {
      name
      label
      secret
      optional
      pattern
    }
  }
}
    fragment AppSummary on App {
  slug
  name
  authType
  apiBaseUrl
}`) as unknown as TypedDocumentString<AppQuery, AppQueryVariables>;
export const EnvironmentVariablesDocument = new TypedDocumentString(`
    query EnvironmentVariables($workspaceId: ID!) {
  environmentVariables(workspaceId: $workspaceId) {
    id
    name
    secret
    description
    value
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<EnvironmentVariablesQuery, EnvironmentVariablesQueryVariables>;
export const SetEnvironmentVariableDocument = new TypedDocumentString(`
    mutation SetEnvironmentVariable($input: SetEnvironmentVariableInput!) {
  setEnvironmentVariable(input: $input) {
    id
    name
    secret
    description
    value
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<SetEnvironmentVariableMutation, SetEnvironmentVariableMutationVariables>;
export const DeleteEnvironmentVariableDocument = new TypedDocumentString(`
    mutation DeleteEnvironmentVariable($input: DeleteEnvironmentVariableInput!) {
  deleteEnvironmentVariable(input: $input)
}
    `) as unknown as TypedDocumentString<DeleteEnvironmentVariableMutation, DeleteEnvironmentVariableMutationVariables>;
export const RequestAppDocument = new TypedDocumentString(`
    mutation RequestApp($input: RequestAppInput!) {
  requestApp(input: $input) {
    id
    name
    url
    reason
    count
    status
    requestedByMemberId
    createdAt
    updatedAt
    closedAt
  }
}
    `) as unknown as TypedDocumentString<RequestAppMutation, RequestAppMutationVariables>;
export const AppRequestsDocument = new TypedDocumentString(`
    query AppRequests($workspaceId: ID!, $status: AppRequestStatus) {
  appRequests(workspaceId: $workspaceId, status: $status) {
    id
    name
    url
    reason
    count
    status
    requestedByMemberId
    createdAt
    closedAt
  }
}
    `) as unknown as TypedDocumentString<AppRequestsQuery, AppRequestsQueryVariables>;
export const CloseAppRequestDocument = new TypedDocumentString(`
    mutation CloseAppRequest($id: ID!) {
  closeAppRequest(id: $id) {
    id
    status
    count
    closedAt
  }
}
    `) as unknown as TypedDocumentString<CloseAppRequestMutation, CloseAppRequestMutationVariables>;
export const EgressIpRangesDocument = new TypedDocumentString(`
    query EgressIpRanges {
  egressIpRanges
}
    `) as unknown as TypedDocumentString<EgressIpRangesQuery, EgressIpRangesQueryVariables>;
export const AccountEventsDocument = new TypedDocumentString(`
    subscription AccountEvents($workspaceId: ID!, $after: Int, $kinds: [AccountEventKind!], $accountIds: [ID!]) {
  accountEvents(
    workspaceId: $workspaceId
    after: $after
    kinds: $kinds
    accountIds: $accountIds
  ) {
    ...AccountEventFields
  }
}
    fragment AccountEventFields on AccountEvent {
  id
  cursor
  kind
  accountId
  workspaceId
  details
  occurredAt
}`) as unknown as TypedDocumentString<AccountEventsSubscription, AccountEventsSubscriptionVariables>;
export const AccountAlertsDocument = new TypedDocumentString(`
    subscription AccountAlerts($workspaceId: ID!, $after: Int) {
  accountAlerts(workspaceId: $workspaceId, after: $after) {
    ...AccountEventFields
  }
}
    fragment AccountEventFields on AccountEvent {
  id
  cursor
  kind
  accountId
  workspaceId
  details
  occurredAt
}`) as unknown as TypedDocumentString<AccountAlertsSubscription, AccountAlertsSubscriptionVariables>;
export const AccountEventLogDocument = new TypedDocumentString(`
    query AccountEventLog($workspaceId: ID!, $after: Int) {
  accountEventLog(workspaceId: $workspaceId, after: $after) {
    ...AccountEventFields
  }
}
    fragment AccountEventFields on AccountEvent {
  id
  cursor
  kind
  accountId
  workspaceId
  details
  occurredAt
}`) as unknown as TypedDocumentString<AccountEventLogQuery, AccountEventLogQueryVariables>;
export const StartOAuthConnectDocument = new TypedDocumentString(`
    mutation StartOAuthConnect($input: StartOAuthConnectInput!) {
  startOAuthConnect(input: $input) {
    authorizationUrl
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<StartOAuthConnectMutation, StartOAuthConnectMutationVariables>;
export const StartOAuthReconnectDocument = new TypedDocumentString(`
    mutation StartOAuthReconnect($input: StartOAuthReconnectInput!) {
  startOAuthReconnect(input: $input) {
    authorizationUrl
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<StartOAuthReconnectMutation, StartOAuthReconnectMutationVariables>;
export const OAuthClientsDocument = new TypedDocumentString(`
    query OAuthClients($workspaceId: ID!) {
  oauthClients(workspaceId: $workspaceId) {
    id
    appSlug
    name
    clientId
    scopes
    status
    lastError
    redirectUri
  }
}
    `) as unknown as TypedDocumentString<OAuthClientsQuery, OAuthClientsQueryVariables>;
export const RegisterOAuthClientDocument = new TypedDocumentString(`
    mutation RegisterOAuthClient($input: RegisterOAuthClientInput!) {
  registerOAuthClient(input: $input) {
    id
    appSlug
    clientId
    scopes
    status
    redirectUri
  }
}
    `) as unknown as TypedDocumentString<RegisterOAuthClientMutation, RegisterOAuthClientMutationVariables>;
export const UpdateOAuthClientDocument = new TypedDocumentString(`
    mutation UpdateOAuthClient($input: UpdateOAuthClientInput!) {
  updateOAuthClient(input: $input) {
    id
    clientId
    scopes
    status
  }
}
    `) as unknown as TypedDocumentString<UpdateOAuthClientMutation, UpdateOAuthClientMutationVariables>;
export const WebhookEndpointsDocument = new TypedDocumentString(`
    query WebhookEndpoints($workspaceId: ID!) {
  webhookEndpoints(workspaceId: $workspaceId) {
    ...WebhookEndpointFields
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  workspaceId
  url
  description
  kinds
  accountIds
  enabled
  disabledReason
  cursor
  failingSince
  nextAttemptAt
  previousSecretValidUntil
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<WebhookEndpointsQuery, WebhookEndpointsQueryVariables>;
export const WebhookEndpointDocument = new TypedDocumentString(`
    query WebhookEndpoint($id: ID!, $first: Int) {
  webhookEndpoint(id: $id) {
    ...WebhookEndpointFields
    deliveries(first: $first) {
      ...WebhookDeliveryFields
    }
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  workspaceId
  url
  description
  kinds
  accountIds
  enabled
  disabledReason
  cursor
  failingSince
  nextAttemptAt
  previousSecretValidUntil
  createdAt
  updatedAt
}
fragment WebhookDeliveryFields on WebhookDelivery {
  id
  kind
  eventId
  cursor
  messageId
  status
  attempts
  responseStatus
  error
  latencyMs
  responseExcerpt
  nextAttemptAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<WebhookEndpointQuery, WebhookEndpointQueryVariables>;
export const CreateWebhookEndpointDocument = new TypedDocumentString(`
    mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    secret
    endpoint {
      ...WebhookEndpointFields
    }
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  workspaceId
  url
  description
  kinds
  accountIds
  enabled
  disabledReason
  cursor
  failingSince
  nextAttemptAt
  previousSecretValidUntil
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables>;
export const UpdateWebhookEndpointDocument = new TypedDocumentString(`
    mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) {
    ...WebhookEndpointFields
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  workspaceId
  url
  description
  kinds
  accountIds
  enabled
  disabledReason
  cursor
  failingSince
  nextAttemptAt
  previousSecretValidUntil
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<UpdateWebhookEndpointMutation, UpdateWebhookEndpointMutationVariables>;
export const RotateWebhookSecretDocument = new TypedDocumentString(`
    mutation RotateWebhookSecret($endpointId: ID!, $graceSeconds: Int) {
  rotateWebhookSecret(endpointId: $endpointId, graceSeconds: $graceSeconds) {
    secret
    endpoint {
      ...WebhookEndpointFields
    }
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  workspaceId
  url
  description
  kinds
  accountIds
  enabled
  disabledReason
  cursor
  failingSince
  nextAttemptAt
  previousSecretValidUntil
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const TestWebhookEndpointDocument = new TypedDocumentString(`
    mutation TestWebhookEndpoint($endpointId: ID!) {
  testWebhookEndpoint(endpointId: $endpointId) {
    ...WebhookDeliveryFields
  }
}
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  kind
  eventId
  cursor
  messageId
  status
  attempts
  responseStatus
  error
  latencyMs
  responseExcerpt
  nextAttemptAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<TestWebhookEndpointMutation, TestWebhookEndpointMutationVariables>;
export const RedeliverWebhooksDocument = new TypedDocumentString(`
    mutation RedeliverWebhooks($endpointId: ID!, $afterCursor: Int!) {
  redeliverWebhooks(endpointId: $endpointId, afterCursor: $afterCursor) {
    ...WebhookEndpointFields
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  workspaceId
  url
  description
  kinds
  accountIds
  enabled
  disabledReason
  cursor
  failingSince
  nextAttemptAt
  previousSecretValidUntil
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<RedeliverWebhooksMutation, RedeliverWebhooksMutationVariables>;
export const DeleteWebhookEndpointDocument = new TypedDocumentString(`
    mutation DeleteWebhookEndpoint($endpointId: ID!) {
  deleteWebhookEndpoint(endpointId: $endpointId)
}
    `) as unknown as TypedDocumentString<DeleteWebhookEndpointMutation, DeleteWebhookEndpointMutationVariables>;
export const WorkflowsDocument = new TypedDocumentString(`
    query Workflows($workspaceId: ID!) {
  workflows(workspaceId: $workspaceId) {
    id
    name
    builderVersion
  }
}
    `) as unknown as TypedDocumentString<WorkflowsQuery, WorkflowsQueryVariables>;
export const WorkflowDocument = new TypedDocumentString(`
    query Workflow($id: ID!) {
  workflow(id: $id) {
    id
    name
    builderVersion
    steps {
      ...StepRow
      runs(first: 5) {
        id
        status
        exports
        logs
        error
      }
    }
  }
}
    fragment StepRow on Step {
  id
  position
  kind
  name
  appSlug
  props
  code
  http
  accountRemoved
  account {
    id
    nickname
    appSlug
    owner {
      id
      userId
      displayName
    }
  }
  viewerCan {
    edit
    test
    readOnlyReason
  }
}`) as unknown as TypedDocumentString<WorkflowQuery, WorkflowQueryVariables>;
export const CreateWorkflowDocument = new TypedDocumentString(`
    mutation CreateWorkflow($workspaceId: ID!, $name: String!, $builderVersion: BuilderVersion) {
  createWorkflow(
    workspaceId: $workspaceId
    name: $name
    builderVersion: $builderVersion
  ) {
    id
    name
    builderVersion
  }
}
    `) as unknown as TypedDocumentString<CreateWorkflowMutation, CreateWorkflowMutationVariables>;
export const AddStepDocument = new TypedDocumentString(`
    mutation AddStep($input: AddStepInput!) {
  addStep(input: $input) {
    ...StepRow
  }
}
    fragment StepRow on Step {
  id
  position
  kind
  name
  appSlug
  props
  code
  http
  accountRemoved
  account {
    id
    nickname
    appSlug
    owner {
      id
      userId
      displayName
    }
  }
  viewerCan {
    edit
    test
    readOnlyReason
  }
}`) as unknown as TypedDocumentString<AddStepMutation, AddStepMutationVariables>;
export const UpdateStepDocument = new TypedDocumentString(`
    mutation UpdateStep($input: UpdateStepInput!) {
  updateStep(input: $input) {
    ...StepRow
  }
}
    fragment StepRow on Step {
  id
  position
  kind
  name
  appSlug
  props
  code
  http
  accountRemoved
  account {
    id
    nickname
    appSlug
    owner {
      id
      userId
      displayName
    }
  }
  viewerCan {
    edit
    test
    readOnlyReason
  }
}`) as unknown as TypedDocumentString<UpdateStepMutation, UpdateStepMutationVariables>;
export const MoveStepDocument = new TypedDocumentString(`
    mutation MoveStep($stepId: ID!, $position: Int!) {
  moveStep(stepId: $stepId, position: $position) {
    id
    position
  }
}
    `) as unknown as TypedDocumentString<MoveStepMutation, MoveStepMutationVariables>;
export const RemoveStepDocument = new TypedDocumentString(`
    mutation RemoveStep($stepId: ID!) {
  removeStep(stepId: $stepId)
}
    `) as unknown as TypedDocumentString<RemoveStepMutation, RemoveStepMutationVariables>;
export const SwitchStepAccountDocument = new TypedDocumentString(`
    mutation SwitchStepAccount($stepId: ID!, $accountId: ID!) {
  switchStepAccount(stepId: $stepId, accountId: $accountId) {
    clearedProps
    step {
      ...StepRow
    }
  }
}
    fragment StepRow on Step {
  id
  position
  kind
  name
  appSlug
  props
  code
  http
  accountRemoved
  account {
    id
    nickname
    appSlug
    owner {
      id
      userId
      displayName
    }
  }
  viewerCan {
    edit
    test
    readOnlyReason
  }
}`) as unknown as TypedDocumentString<SwitchStepAccountMutation, SwitchStepAccountMutationVariables>;
export const TestStepDocument = new TypedDocumentString(`
    mutation TestStep($stepId: ID!) {
  testStep(stepId: $stepId) {
    id
    status
    inputs
    exports
    logs
    error
    durationMs
  }
}
    `) as unknown as TypedDocumentString<TestStepMutation, TestStepMutationVariables>;
export const AccessChangeImpactDocument = new TypedDocumentString(`
    query AccessChangeImpact($input: AccessChangeInput!) {
  accessChangeImpact(input: $input) {
    memberId
    effect
  }
}
    `) as unknown as TypedDocumentString<AccessChangeImpactQuery, AccessChangeImpactQueryVariables>;
export const AccountUsageDocument = new TypedDocumentString(`
    query AccountUsage($id: ID!) {
  account(id: $id) {
    id
    steps {
      id
      workflow {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AccountUsageQuery, AccountUsageQueryVariables>;
export const TestStepWithCredentialsDocument = new TypedDocumentString(`
    mutation TestStepWithCredentials($stepId: ID!, $externalCredentials: [CredentialFieldInput!]) {
  testStep(stepId: $stepId, externalCredentials: $externalCredentials) {
    id
    status
    inputs
    exports
    logs
    error
  }
}
    `) as unknown as TypedDocumentString<TestStepWithCredentialsMutation, TestStepWithCredentialsMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    userId
    displayName
    workspaces {
      id
      name
      viewerRole
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const WorkspaceDocument = new TypedDocumentString(`
    query Workspace($id: ID!) {
  workspace(id: $id) {
    id
    name
    createdAt
    viewerRole
    viewerCan {
      manage
      manageMembers
      assignableRoles
      changeSettings
    }
    settings {
      adminsManageAccess
    }
    members {
      ...MemberFields
    }
  }
}
    fragment MemberFields on Member {
  id
  userId
  role
  displayName
  email
  isViewer
  viewerCan {
    remove
    changeRole
  }
}`) as unknown as TypedDocumentString<WorkspaceQuery, WorkspaceQueryVariables>;
export const MemberDocument = new TypedDocumentString(`
    query Member($id: ID!) {
  member(id: $id) {
    ...MemberFields
    workspace {
      id
    }
  }
}
    fragment MemberFields on Member {
  id
  userId
  role
  displayName
  email
  isViewer
  viewerCan {
    remove
    changeRole
  }
}`) as unknown as TypedDocumentString<MemberQuery, MemberQueryVariables>;
export const CreateWorkspaceDocument = new TypedDocumentString(`
    mutation CreateWorkspace($input: CreateWorkspaceInput!) {
  createWorkspace(input: $input) {
    id
    name
    viewerRole
  }
}
    `) as unknown as TypedDocumentString<CreateWorkspaceMutation, CreateWorkspaceMutationVariables>;
export const RenameWorkspaceDocument = new TypedDocumentString(`
    mutation RenameWorkspace($input: RenameWorkspaceInput!) {
  renameWorkspace(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<RenameWorkspaceMutation, RenameWorkspaceMutationVariables>;
export const AddMemberDocument = new TypedDocumentString(`
    mutation AddMember($input: AddMemberInput!) {
  addMember(input: $input) {
    ...MemberFields
  }
}
    fragment MemberFields on Member {
  id
  userId
  role
  displayName
  email
  isViewer
  viewerCan {
    remove
    changeRole
  }
}`) as unknown as TypedDocumentString<AddMemberMutation, AddMemberMutationVariables>;
export const ChangeMemberRoleDocument = new TypedDocumentString(`
    mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
  changeMemberRole(input: $input) {
    id
    role
  }
}
    `) as unknown as TypedDocumentString<ChangeMemberRoleMutation, ChangeMemberRoleMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($input: RemoveMemberInput!) {
  removeMember(input: $input) {
    memberId
    workspaceId
  }
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;