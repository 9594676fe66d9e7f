import type { DataSource, EntityManager } from "typeorm";
import { accountCapabilities, type AccountSubject, type AccountViewer } from "../../authz/account-access";
import { isIdentityKnown, subjectOf } from "../../authz/account-subject";
import { resolveAccountViewer } from "../workspaces/account-viewer";
import type { Loaders } from "../loaders";
import { newId } from "../../db/ids";
import { inTransaction } from "../../db/transactions";
import { AppError, badInput, forbidden, notFound } from "../../errors/app-error";
import type { AccountEntity } from "../accounts/account.entity";
import type { CredentialAccessService } from "../credentials/credential-access.service";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { AppDefinition } from "../apps/app-definition";
import { checkAppRequest, sendAppRequest, type AppRequestInput } from "../proxy/proxy-request";
import { makeRedactor, redactDeep, type Redactor } from "../proxy/redact";
import { testRequestPath } from "../accounts/app-check";
import { checkJsonBounds, jsonTextDepth } from "../../validation/json";
import { checkText, cleanName } from "../../validation/text";
import { WORKSPACE_GRANTEE } from "../accounts/grant.entity";
import { MemberEntity } from "../workspaces/member.entity";
import { canAttachAccount, stepCapabilities, type StepCapabilities } from "./step-access";
import { validateCredentials, type CredentialInput } from "../accounts/account-credentials";
import { substituteEnv } from "../env-vars/substitute";
import { BUILDER_VERSIONS, newStep, PROPS_BOUNDS, STEP_KINDS, StepEntity, StepRunEntity, WorkflowEntity, type BuilderVersion, type StepKind } from "./workflow.entity";
import { NO_CONNECTION_VALUES, parseConnection } from "../apps/app-connection";

/** Fields of a step a caller sets. */
export interface StepCommand {
  kind?: StepKind | null;
  name?: string | null;
  appSlug?: string | null;
  accountId?: string | null;
  props?: Record<string, unknown> | null;
  code?: string | null;
  http?: AppRequestInput | null;
  position?: number | null;
}

/** A step and what the viewer may do with it. */
export interface StepView {
  step: StepEntity;
  workflow: WorkflowEntity;
  capabilities: StepCapabilities;
}

/** One step that a change would make read-only (or break) for one member. */
export interface StepImpact {
  stepId: string;
  workflowId: string;
  memberId: string | null;
  effect: "READ_ONLY" | "ACCOUNT_REMOVED";
}

/** What a step's text columns (code, http, props) hold: TEXT on MariaDB, 65,535 bytes. */
const MAX_STEP_COLUMN_BYTES = 65_535;
/** Largest request body an HTTP request step sends. */
const MAX_STEP_REQUEST_BYTES = 1024 * 1024;
/** Largest answer a step run keeps. */
const MAX_STEP_RESPONSE_BYTES = 1024 * 1024;
// An app's JSON answer nested deeper than this is kept as text: every serializer on the way
// (the run record, GraphQL's) recurses, and thousands of levels exhaust the stack.
const MAX_ANSWER_DEPTH = 64;

function checkProps(props: Record<string, unknown>): string {
  if (props === null || typeof props !== "object" || Array.isArray(props)) throw badInput("props must be an object.", "props");
  checkJsonBounds(props, "props", PROPS_BOUNDS);
  return JSON.stringify(props);
}

function checkCode(code: string): string {
  if (Buffer.byteLength(code) > MAX_STEP_COLUMN_BYTES) throw badInput(`code is larger than ${MAX_STEP_COLUMN_BYTES} bytes.`, "code");
  checkText(code, "code", "text");
  return code;
}

/** What one JSON column of a run record holds at most (a TEXT column on MariaDB: 65,535 bytes). */
const RECORD_FIELD_MAX_BYTES = 65_000;

// A value of the run record as JSON that fits its column. Past that, an app's answer (`body`) is
// cut, never inside a secret or a marker, and `truncated` says so; any other value is kept as the
// start of its JSON text.
function recordJson(value: unknown, redact: Redactor): string {
  const json = JSON.stringify(value);
  if (Buffer.byteLength(json) <= RECORD_FIELD_MAX_BYTES) return json;
  const record = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  const [text, shape] =
    record && "body" in record
      ? [typeof record.body === "string" ? record.body : JSON.stringify(record.body), (cut: string) => ({ ...record, body: cut, truncated: true })]
      : [json, (cut: string) => ({ truncated: true, text: cut })];
  // JSON escaping can make the cut text longer than its bytes: halve until it fits.
  for (let budget = RECORD_FIELD_MAX_BYTES - 4096; ; budget = Math.floor(budget / 2)) {
    const fitted = JSON.stringify(shape(redact.cut(text, budget)));
    if (Buffer.byteLength(fitted) <= RECORD_FIELD_MAX_BYTES || budget < 64) return fitted;
  }
}

// JSON read back as a value, or kept as its text when nested deeper than `maxDepth` (an app's
// answer; props stored before their depth was bounded).
function parseStored(text: string, maxDepth: number): unknown {
  return jsonTextDepth(text, maxDepth) > maxDepth ? text : (JSON.parse(text) as unknown);
}

// An HTTP request step's request as stored: checked now (the path may still hold {{env.X}}
// references; values are checked again once substituted, when the step runs).
function checkStepRequest(http: AppRequestInput): string {
  try {
    checkAppRequest(http, MAX_STEP_REQUEST_BYTES);
  } catch (error) {
    // Named as the input names it (`http.path`), like the schema's own input checks.
    if (error instanceof AppError && typeof error.details?.field === "string") throw badInput(error.message, `http.${error.details.field}`);
    throw error;
  }
  const { method, path, query, headers, body } = http;
  const stored = JSON.stringify({ method, path, query: query ?? null, headers: headers ?? null, body: body ?? null });
  if (Buffer.byteLength(stored) > MAX_STEP_COLUMN_BYTES) throw badInput(`http is larger than ${MAX_STEP_COLUMN_BYTES} bytes.`, "http");
  return stored;
}

/** Workflows and steps, with access enforced at the step (SPEC §3). */
export class WorkflowService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apps: AppCatalogService,
    private readonly credentials: Pick<CredentialAccessService, "credentialsFor">,
    private readonly requestTimeoutMs: number,
    private readonly envVars: { resolveForRun(workspaceId: string): Promise<{ values: Record<string, string>; secrets: string[] }> },
  ) {}

  /** The caller as a member of a workspace (NOT_FOUND otherwise). */
  private async viewerOf(loaders: Loaders, workspaceId: string): Promise<AccountViewer> {
    const viewer = await resolveAccountViewer(loaders.workspaces, workspaceId);
    if (!viewer) throw notFound("Workflow");
    return viewer;
  }

  /** In an account's deleting transaction: its steps keep their configuration and say their account was removed. */
  async detachAccount(manager: EntityManager, accountId: string): Promise<void> {
    await manager.update(StepEntity, { accountId }, { accountId: null, accountRemoved: true });
  }

  /** The matrix facts of an account (batched). */
  async accountSubject(loaders: Loaders, accountId: string | null): Promise<{ account: AccountEntity; subject: AccountSubject } | null> {
    if (!accountId) return null;
    const account = await loaders.accounts.accountById.load(accountId);
    if (!account) return null;
    const grants = await loaders.accounts.grantsByAccount.load(accountId);
    return { account, subject: subjectOf({ ...account, identityKnown: isIdentityKnown(account) }, grants) };
  }

  /** A workflow of a workspace the caller belongs to. */
  async getWorkflow(loaders: Loaders, workflowId: string): Promise<WorkflowEntity> {
    const workflow = await loaders.workflows.workflowById.load(workflowId);
    if (!workflow || !(await resolveAccountViewer(loaders.workspaces, workflow.workspaceId))) throw notFound("Workflow");
    return workflow;
  }

  /** Every workflow of a workspace (any member sees them all), newest first. */
  async list(loaders: Loaders, workspaceId: string): Promise<WorkflowEntity[]> {
    await this.viewerOf(loaders, workspaceId);
    const rows = await this.dataSource.getRepository(WorkflowEntity).find({ where: { workspaceId }, order: { id: "DESC" } });
    for (const row of rows) loaders.workflows.workflowById.prime(row.id, row);
    return rows;
  }

  /** The viewer's capabilities on a step. */
  async capabilitiesOf(loaders: Loaders, step: Pick<StepEntity, "workflowId" | "accountId">): Promise<StepCapabilities> {
    const workflow = await this.getWorkflow(loaders, step.workflowId);
    const viewer = await this.viewerOf(loaders, workflow.workspaceId);
    const account = await this.accountSubject(loaders, step.accountId);
    return stepCapabilities(viewer, workflow.builderVersion, account?.subject ?? null);
  }

  /** A step of a workflow the caller can see. */
  async getStep(loaders: Loaders, stepId: string): Promise<StepView> {
    const step = await this.dataSource.getRepository(StepEntity).findOneBy({ id: stepId });
    if (!step) throw notFound("Step");
    const workflow = await this.getWorkflow(loaders, step.workflowId).catch(() => {
      throw notFound("Step");
    });
    return { step, workflow, capabilities: await this.capabilitiesOf(loaders, step) };
  }

  async createWorkflow(loaders: Loaders, workspaceId: string, name: string, builder: BuilderVersion): Promise<WorkflowEntity> {
    const viewer = await this.viewerOf(loaders, workspaceId);
    if (!(BUILDER_VERSIONS as readonly string[]).includes(builder)) throw badInput("Unknown builder version.", "builderVersion");
    const now = new Date();
    const workflow = Object.assign(new WorkflowEntity(), {
      id: newId(),
      workspaceId,
      name: cleanName(name, "name"),
      builderVersion: builder,
      createdByMemberId: viewer.memberId,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.getRepository(WorkflowEntity).insert(workflow);
    return workflow;
  }

  async renameWorkflow(loaders: Loaders, workflowId: string, name: string): Promise<WorkflowEntity> {
    const workflow = await this.getWorkflow(loaders, workflowId);
    workflow.name = cleanName(name, "name");
    workflow.updatedAt = new Date();
    await this.dataSource.getRepository(WorkflowEntity).update({ id: workflow.id }, { name: workflow.name, updatedAt: workflow.updatedAt });
    return workflow;
  }

  /** Deletes a workflow; refused while it has a step the caller may not edit (someone else's account). */
  async deleteWorkflow(loaders: Loaders, workflowId: string): Promise<WorkflowEntity> {
    const workflow = await this.getWorkflow(loaders, workflowId);
    for (const step of await loaders.workflows.stepsByWorkflow.load(workflow.id)) await this.requireEdit(loaders, step);
    await this.dataSource.getRepository(WorkflowEntity).delete({ id: workflow.id });
    return workflow;
  }

  /** Adds a step; attaching an account needs "add to a new trigger or step" (and, in V1, a workspace share). */
  async addStep(loaders: Loaders, workflowId: string, command: StepCommand): Promise<StepEntity> {
    const workflow = await this.getWorkflow(loaders, workflowId);
    const viewer = await this.viewerOf(loaders, workflow.workspaceId);
    if (!command.kind || !(STEP_KINDS as readonly string[]).includes(command.kind)) throw badInput("Unknown step kind.", "kind");
    const app = command.appSlug ? this.apps.get(command.appSlug) : null;
    if (command.accountId) await this.requireAttach(loaders, viewer, workflow, command.accountId, app);
    const siblings = await loaders.workflows.stepsByWorkflow.load(workflow.id);
    const step = newStep({
      id: newId(),
      workflowId: workflow.id,
      workspaceId: workflow.workspaceId,
      position: siblings.length,
      kind: command.kind,
      name: cleanName(command.name ?? command.kind, "name"),
      appSlug: app?.slug ?? null,
      accountId: command.accountId ?? null,
      props: checkProps(command.props ?? {}),
      code: command.code === null || command.code === undefined ? null : checkCode(command.code),
      http: command.http ? checkStepRequest(command.http) : null,
    });
    await this.dataSource.getRepository(StepEntity).insert(step);
    loaders.workflows.stepsByWorkflow.clear(workflow.id);
    return step;
  }

  /** Changes a step's name, props, code or HTTP request: only for members who may edit it. */
  async updateStep(loaders: Loaders, stepId: string, command: StepCommand): Promise<StepEntity> {
    const { step } = await this.getStep(loaders, stepId);
    await this.requireEdit(loaders, step);
    if (command.name !== undefined && command.name !== null) step.name = cleanName(command.name, "name");
    if (command.props) step.props = checkProps(command.props);
    if (command.code !== undefined && command.code !== null) step.code = checkCode(command.code);
    if (command.http) step.http = checkStepRequest(command.http);
    step.updatedAt = new Date();
    await this.dataSource.getRepository(StepEntity).save(step);
    return step;
  }

  /** Moves a step to a position (0-based); others shift. */
  async moveStep(loaders: Loaders, stepId: string, position: number): Promise<StepEntity[]> {
    const { step, workflow } = await this.getStep(loaders, stepId);
    const steps = [...(await loaders.workflows.stepsByWorkflow.load(workflow.id))];
    if (!Number.isInteger(position) || position < 0 || position >= steps.length) throw badInput("position is out of range.", "position");
    const ordered = steps.filter((s) => s.id !== step.id);
    ordered.splice(position, 0, step);
    await inTransaction(this.dataSource, async (manager) => {
      for (const [index, s] of ordered.entries()) {
        if (s.position !== index) await manager.update(StepEntity, { id: s.id }, { position: index });
        s.position = index;
      }
    });
    loaders.workflows.stepsByWorkflow.clear(workflow.id);
    return ordered;
  }

  /** Removes a step (members who may edit it). */
  async removeStep(loaders: Loaders, stepId: string): Promise<StepEntity> {
    const { step, workflow } = await this.getStep(loaders, stepId);
    await this.requireEdit(loaders, step);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.delete(StepEntity, { id: step.id });
      await manager
        .createQueryBuilder()
        .update(StepEntity)
        .set({ position: () => "position - 1" })
        .where("workflow_id = :workflowId AND position > :position", { workflowId: workflow.id, position: step.position })
        .execute();
    });
    return step;
  }

  /**
   * Switches a step to an account the caller may use: the way to unlock a read-only step. Props
   * that depend on the old account (the app's `dependentProps`) are cleared and named.
   */
  async switchAccount(loaders: Loaders, stepId: string, accountId: string): Promise<{ step: StepEntity; clearedProps: string[] }> {
    const { step, workflow } = await this.getStep(loaders, stepId);
    const viewer = await this.viewerOf(loaders, workflow.workspaceId);
    const app = step.appSlug ? this.apps.get(step.appSlug) : null;
    const target = await this.requireAttach(loaders, viewer, workflow, accountId, app);
    const props = JSON.parse(step.props) as Record<string, unknown>;
    const dependent = new Set(this.apps.find(target.appSlug)?.dependentProps ?? app?.dependentProps ?? []);
    const clearedProps = Object.keys(props).filter((name) => dependent.has(name));
    for (const name of clearedProps) delete props[name];
    step.accountId = accountId;
    step.appSlug = target.appSlug;
    step.accountRemoved = false;
    step.props = JSON.stringify(props);
    step.updatedAt = new Date();
    await this.dataSource.getRepository(StepEntity).save(step);
    return { step, clearedProps };
  }

  /**
   * Tests a step server-side with its account's credentials (which the tester never sees) and
   * records the run for every member to read, with every credential redacted. HTTP request steps
   * send their request to the app; other steps send the app's test request.
   */
  async testStep(loaders: Loaders, stepId: string, external?: CredentialInput[] | null): Promise<StepRunEntity> {
    const { step, workflow, capabilities } = await this.getStep(loaders, stepId);
    const viewer = await this.viewerOf(loaders, workflow.workspaceId);
    if (!capabilities.test) throw forbidden("You may not test this step.");
    const started = Date.now();
    const logs: string[] = [];
    let exports: unknown = {};
    let error: string | null = null;
    let secrets: string[] = [];
    const inputs = { props: parseStored(step.props, PROPS_BOUNDS.maxDepth), http: step.http ? (JSON.parse(step.http) as unknown) : null };
    // External credentials (from the caller's secrets store): checked against the app's fields,
    // used for this run only, never stored, redacted from everything recorded.
    let externalValues: Record<string, string> | null = null;
    if (external) {
      if (!step.appSlug) throw badInput("This step has no app to take credentials for.", "externalCredentials");
      const app = this.apps.get(step.appSlug);
      externalValues = app.authType === "OAUTH2" ? externalOAuth(external) : validateCredentials(app, external);
      secrets = Object.values(externalValues);
    }
    try {
      const resolved = externalValues ? null : await this.accountSubject(loaders, step.accountId);
      if (!externalValues && !resolved) {
        throw new AppError("BAD_USER_INPUT", step.accountRemoved ? "This step's account was removed." : "This step has no account to test with.");
      }
      const app = this.apps.get(resolved ? resolved.account.appSlug : step.appSlug!);
      const credentials = externalValues ?? (await this.credentials.credentialsFor(resolved!.account));
      // Workspace variables are resolved now, at run time; secret ones join the redaction list.
      const env = await this.envVars.resolveForRun(step.workspaceId);
      secrets = [...Object.values(credentials), ...env.secrets];
      const request = withEnv(this.requestOf(step, app, credentials), env.values, logs);
      logs.push(`${request.method} ${request.path}`);
      const limits = { timeoutMs: this.requestTimeoutMs, maxRequestBytes: MAX_STEP_REQUEST_BYTES, maxResponseBytes: MAX_STEP_RESPONSE_BYTES };
      // The account's own API (a tenant's host); external credentials have no connection values.
      const connection = resolved ? parseConnection(resolved.account.connection) : NO_CONNECTION_VALUES;
      const response = await sendAppRequest(app, this.apps.apiBaseUrl(app, connection), credentials, request, limits, {
        secrets: env.secrets,
        connection,
        dial: (url) => this.apps.dial(url),
      });
      logs.push(`HTTP ${response.status}`);
      let body: unknown = response.body;
      try {
        body = parseStored(response.body, MAX_ANSWER_DEPTH);
        if (body === response.body && /^\s*[[{]/.test(response.body)) logs.push(`the answer is nested more than ${MAX_ANSWER_DEPTH} levels deep; kept as text`);
      } catch {
        // not JSON: keep the text
      }
      exports = { status: response.status, headers: response.headers, body };
      if (response.status >= 400) error = `${app.name} answered HTTP ${response.status}.`;
    } catch (caught) {
      error = caught instanceof AppError ? caught.message : "The test failed.";
    }
    // Every string of the record is redacted as a value (the JSON text is made from redacted
    // strings, so no escape of JSON's can hide a secret, and no redaction can break the JSON).
    const redact = makeRedactor(secrets);
    const run = Object.assign(new StepRunEntity(), {
      id: newId(),
      stepId: step.id,
      workspaceId: step.workspaceId,
      testerMemberId: viewer.memberId,
      status: error ? ("ERROR" as const) : ("SUCCESS" as const),
      inputs: recordJson(redactDeep(inputs, redact), redact),
      exports: recordJson(redactDeep(exports, redact), redact),
      logs: JSON.stringify(redactDeep(logs, redact).map((line) => redact.cut(line, 1000))),
      error: error ? redact.cut(error, 1000) : null,
      durationMs: Date.now() - started,
      createdAt: new Date(),
    });
    await this.dataSource.getRepository(StepRunEntity).insert(run);
    return run;
  }

  /**
   * Which steps a change to an account's access would make read-only (or leave without an
   * account), and for whom: computed with the same capability function, on the grants as they
   * would be after the change.
   */
  async impactOf(loaders: Loaders, accountId: string, change: { deleteAccount?: boolean; revokeWorkspace?: boolean; revokeMemberIds?: string[] }): Promise<StepImpact[]> {
    const account = await loaders.accounts.accountById.load(accountId);
    if (!account) throw notFound("Account");
    const viewer = await resolveAccountViewer(loaders.workspaces, account.workspaceId);
    const grants = await loaders.accounts.grantsByAccount.load(accountId);
    const before = subjectOf({ ...account, identityKnown: isIdentityKnown(account) }, grants);
    const caps = accountCapabilities(viewer, before);
    if (!caps.view) throw notFound("Account");
    if (!(change.deleteAccount ? caps.delete : caps.manageAccess)) throw forbidden("You may not change this account's access.");
    const steps = await loaders.workflows.stepsByAccount.load(accountId);
    if (change.deleteAccount) return steps.map((s) => ({ stepId: s.id, workflowId: s.workflowId, memberId: null, effect: "ACCOUNT_REMOVED" as const }));
    const removed = new Set([...(change.revokeWorkspace ? [WORKSPACE_GRANTEE] : []), ...(change.revokeMemberIds ?? [])]);
    const after: AccountSubject = { ...before, grantees: before.grantees.filter((g) => !removed.has(g)) };
    const members = await this.dataSource.getRepository(MemberEntity).find({ where: { workspaceId: account.workspaceId }, order: { id: "ASC" } });
    const workflows = await loaders.workflows.workflowById.loadMany([...new Set(steps.map((s) => s.workflowId))]);
    const builderOf = new Map(workflows.filter((w): w is WorkflowEntity => w instanceof WorkflowEntity).map((w) => [w.id, w.builderVersion]));
    const workspace = await loaders.workspaces.workspaceById.load(account.workspaceId);
    const impacts: StepImpact[] = [];
    for (const step of steps) {
      const builder = builderOf.get(step.workflowId) ?? "V2";
      for (const member of members) {
        const asMember: AccountViewer = { workspaceId: account.workspaceId, memberId: member.id, role: member.role, adminsManageAccess: workspace?.adminsManageAccess ?? false };
        if (stepCapabilities(asMember, builder, before).edit && !stepCapabilities(asMember, builder, after).edit) {
          impacts.push({ stepId: step.id, workflowId: step.workflowId, memberId: member.id, effect: "READ_ONLY" });
        }
      }
    }
    return impacts;
  }

  private requestOf(step: StepEntity, app: AppDefinition, credentials: Readonly<Record<string, string>>): AppRequestInput {
    if (step.kind === "HTTP_REQUEST") {
      if (!step.http) throw badInput("This HTTP request step has no request.", "http");
      return JSON.parse(step.http) as AppRequestInput;
    }
    if (!app.testRequest) throw badInput(`${app.name} has no test request.`, "stepId");
    // The app's test path may name credential fields (`/Account/{{auth_id}}/`).
    return { method: app.testRequest.method, path: testRequestPath(app, credentials) };
  }

  private async requireEdit(loaders: Loaders, step: StepEntity): Promise<void> {
    const capabilities = await this.capabilitiesOf(loaders, step);
    if (capabilities.edit) return;
    const resolved = await this.accountSubject(loaders, step.accountId);
    const owner = resolved?.account.ownerMemberId ? await loaders.workspaces.memberById.load(resolved.account.ownerMemberId) : null;
    const whom = owner ? (owner.displayName ?? owner.userId) : "an owner or admin";
    const why =
      capabilities.readOnlyReason === "V1_REQUIRES_WORKSPACE_SHARE"
        ? "in the legacy (V1) builder, an account must be shared with the entire workspace"
        : "its account is not shared with you";
    throw forbidden(`This step is read-only for you: ${why}. Ask ${whom} for access to "${resolved?.account.nickname ?? "the account"}", or switch the step to an account you can use.`, {
      reason: capabilities.readOnlyReason,
      accountId: step.accountId,
      accountNickname: resolved?.account.nickname ?? null,
      ownerMemberId: owner?.id ?? null,
    });
  }

  private async requireAttach(
    loaders: Loaders,
    viewer: AccountViewer,
    workflow: WorkflowEntity,
    accountId: string,
    app: AppDefinition | null,
  ): Promise<AccountEntity> {
    const resolved = await this.accountSubject(loaders, accountId);
    if (!resolved || resolved.account.workspaceId !== workflow.workspaceId || !accountCapabilities(viewer, resolved.subject).view) {
      throw notFound("Account");
    }
    if (app && resolved.account.appSlug !== app.slug) throw badInput(`That account is not a ${app.name} account.`, "accountId");
    if (!canAttachAccount(viewer, workflow.builderVersion, resolved.subject)) {
      const v1 = workflow.builderVersion === "V1" && accountCapabilities(viewer, resolved.subject).use;
      throw forbidden(
        v1 ? "In the legacy (V1) builder, only accounts shared with the entire workspace can be used." : "You may not add this account to a step.",
        { reason: v1 ? "V1_REQUIRES_WORKSPACE_SHARE" : "ACCOUNT_NOT_SHARED", accountId },
      );
    }
    return resolved.account;
  }
}

// External credentials for an OAuth app: an access token, nothing else.
function externalOAuth(input: CredentialInput[]): Record<string, string> {
  const token = input.find((c) => c.name === "oauth_access_token")?.value.trim();
  if (!token || input.length !== 1) throw badInput("External credentials for an OAuth app are one oauth_access_token.", "externalCredentials");
  return { oauth_access_token: token };
}

// Resolves {{env.NAME}} references in every part of a request; unknown ones are logged by name.
// Values go into the path percent-encoded, one segment's worth: a value cannot add segments,
// climb out with "..", or start a query or fragment. Anything else that is not a string is left
// for sendAppRequest to refuse (steps stored before that was checked).
function withEnv(request: AppRequestInput, values: Record<string, string>, logs: string[]): AppRequestInput {
  const missing = new Set<string>();
  const sub = (text: string, encode?: (value: string) => string) => {
    const result = substituteEnv(text, values, encode);
    for (const name of result.missing) missing.add(name);
    return result.text;
  };
  const map = (record: Record<string, string> | null | undefined) =>
    record ? Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === "string" ? sub(v) : v])) : record;
  const resolved = {
    method: request.method,
    path: typeof request.path === "string" ? sub(request.path, encodeURIComponent) : request.path,
    query: map(request.query),
    headers: map(request.headers),
    body: typeof request.body === "string" ? sub(request.body) : request.body,
  };
  if (missing.size > 0) logs.push(`unknown environment variables: ${[...missing].join(", ")}`);
  return resolved;
}
