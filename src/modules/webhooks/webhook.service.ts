import type { DataSource, EntityManager } from "typeorm";
import type { Config } from "../../config";
import { Sealer, type SealContext } from "../../crypto/sealer";
import { newId } from "../../db/ids";
import { inTransaction } from "../../db/transactions";
import { badInput, forbidden, notFound } from "../../errors/app-error";
import { EVENT_KINDS, type AccountEventEntity } from "../../events/event.entity";
import type { EventLog } from "../../events/event-log";
import { cleanOptionalText } from "../../validation/text";
import type { AuditActor, AuditService } from "../audit/audit.service";
import type { WorkspaceLoaders } from "../workspaces/workspace.loaders";
import { WORKSPACE_POLICY } from "../workspaces/workspace.policy";
import type { WorkspaceService } from "../workspaces/workspace.service";
import { WebhookDeliveryEntity, WebhookEndpointEntity } from "./webhook.entity";
import { messageIdOf, newWebhookSecret, signedHeaders } from "./webhook-signature";
import { checkWebhookUrl, sendWebhook, type SendResult } from "./webhook-target";

const TABLE = "webhook_endpoints";
const MAX_ENDPOINTS = 20;
const MAX_ACCOUNT_FILTER = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type WebhookSettings = Config["webhooks"];

/** Input of createWebhookEndpoint. */
export interface CreateEndpointCommand {
  workspaceId: string;
  url: string;
  description?: string | null;
  kinds?: readonly string[] | null;
  accountIds?: readonly string[] | null;
  enabled?: boolean | null;
}

/** Input of updateWebhookEndpoint: what is given changes. */
export interface UpdateEndpointCommand {
  endpointId: string;
  url?: string | null;
  description?: string | null;
  kinds?: readonly string[] | null;
  accountIds?: readonly string[] | null;
  enabled?: boolean | null;
  /** When enabling: go on from the endpoint's cursor (default), or skip to now. */
  resumeFrom?: "CURSOR" | "NOW" | null;
}

/** The payload of one message, as the subscription delivers the event (ids and non-secret details). */
export function webhookPayload(row: AccountEventEntity): string {
  const { details } = JSON.parse(row.payload) as { details: Record<string, unknown> };
  return JSON.stringify({
    type: row.kind,
    timestamp: row.createdAt.toISOString(),
    data: { id: row.id, kind: row.kind, workspaceId: row.workspaceId, accountId: row.accountId, cursor: row.seq, details, occurredAt: row.createdAt.toISOString() },
  });
}

/**
 * Webhook endpoints of a workspace: OWNER/ADMIN create, change, rotate, test, redeliver and delete
 * them, and read their deliveries; members see none of it. Secrets are sealed and shown once, at
 * creation and at each rotation. Delivery itself is the dispatcher's (webhook-dispatcher.ts).
 */
export class WebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workspaces: WorkspaceService,
    private readonly sealer: Sealer,
    private readonly audit: AuditService,
    private readonly events: EventLog,
    private readonly settings: WebhookSettings,
  ) {}

  async list(loaders: WorkspaceLoaders, workspaceId: string): Promise<WebhookEndpointEntity[]> {
    await this.requireManager(loaders, workspaceId);
    return this.dataSource.getRepository(WebhookEndpointEntity).find({ where: { workspaceId }, order: { createdAt: "ASC", id: "ASC" } });
  }

  async get(loaders: WorkspaceLoaders, endpointId: string): Promise<WebhookEndpointEntity> {
    const endpoint = UUID.test(endpointId) ? await this.dataSource.getRepository(WebhookEndpointEntity).findOneBy({ id: endpointId }) : null;
    if (!endpoint) throw notFound("Webhook endpoint");
    // Not a manager of its workspace (or not a member): as if it did not exist.
    const membership = await loaders.viewerMembership.load(endpoint.workspaceId);
    if (!membership || !WORKSPACE_POLICY[membership.role].manageWorkspace) throw notFound("Webhook endpoint");
    return endpoint;
  }

  /** Creates an endpoint that starts at the log's head (events from now on); answers it and its secret, shown this once. */
  async create(loaders: WorkspaceLoaders, command: CreateEndpointCommand): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const actor = await this.requireManager(loaders, command.workspaceId);
    const url = checkWebhookUrl(command.url, this.settings.allowPrivate);
    const kinds = validKinds(command.kinds);
    const accountIds = validAccountIds(command.accountIds);
    const description = cleanOptionalText(command.description, "description", 500);
    const secret = newWebhookSecret();
    // Events from now on: the log's head as the endpoint is made.
    const head = await this.events.head(command.workspaceId);
    const endpoint = await inTransaction(this.dataSource, async (manager) => {
      const count = await manager.getRepository(WebhookEndpointEntity).countBy({ workspaceId: command.workspaceId });
      if (count >= MAX_ENDPOINTS) throw badInput(`A workspace has at most ${MAX_ENDPOINTS} webhook endpoints.`, "workspaceId");
      const now = new Date();
      const row = Object.assign(new WebhookEndpointEntity(), {
        id: newId(),
        workspaceId: command.workspaceId,
        url,
        description,
        kinds: kinds ? JSON.stringify(kinds) : null,
        accountIds: accountIds ? JSON.stringify(accountIds) : null,
        enabled: command.enabled ?? true,
        disabledReason: command.enabled === false ? "disabled by an admin" : null,
        previousSecret: null,
        previousSecretUntil: null,
        cursor: head,
        leaseOwner: null,
        leaseUntil: null,
        nextAttemptAt: null,
        failingSince: null,
        attempts: 0,
        createdAt: now,
        updatedAt: now,
      });
      row.secret = this.sealer.seal(secret, sealContext(row, "secret"));
      await manager.insert(WebhookEndpointEntity, row);
      await this.audit.record(manager, row.workspaceId, actor, "WEBHOOK_ENDPOINT_CREATED", null, { endpointId: row.id, kinds: kinds ?? "all" });
      return row;
    });
    return { endpoint, secret };
  }

  async update(loaders: WorkspaceLoaders, command: UpdateEndpointCommand): Promise<WebhookEndpointEntity> {
    const endpoint = await this.get(loaders, command.endpointId);
    const actor = await this.requireManager(loaders, endpoint.workspaceId);
    const changes: Partial<WebhookEndpointEntity> = { updatedAt: new Date() };
    if (command.url !== undefined && command.url !== null) changes.url = checkWebhookUrl(command.url, this.settings.allowPrivate);
    if (command.description !== undefined) changes.description = cleanOptionalText(command.description, "description", 500);
    if (command.kinds !== undefined) changes.kinds = command.kinds === null ? null : JSON.stringify(validKinds(command.kinds));
    if (command.accountIds !== undefined) changes.accountIds = command.accountIds === null ? null : JSON.stringify(validAccountIds(command.accountIds));
    const head = command.resumeFrom === "NOW" ? await this.events.head(endpoint.workspaceId) : null;
    return inTransaction(this.dataSource, async (manager) => {
      if (command.enabled === true && !endpoint.enabled) {
        Object.assign(changes, { enabled: true, disabledReason: null, failingSince: null, nextAttemptAt: null, attempts: 0 });
        if (head !== null) changes.cursor = head;
      } else if (command.enabled === false && endpoint.enabled) {
        Object.assign(changes, { enabled: false, disabledReason: "disabled by an admin" });
      }
      await manager.update(WebhookEndpointEntity, { id: endpoint.id }, changes);
      await this.audit.record(manager, endpoint.workspaceId, actor, "WEBHOOK_ENDPOINT_UPDATED", null, { endpointId: endpoint.id, changed: Object.keys(changes).filter((k) => k !== "updatedAt") });
      return Object.assign(endpoint, changes);
    });
  }

  /** A new secret, shown this once; the previous one keeps signing too for `graceSeconds` (default a day). */
  async rotateSecret(loaders: WorkspaceLoaders, endpointId: string, graceSeconds = 86_400): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const endpoint = await this.get(loaders, endpointId);
    const actor = await this.requireManager(loaders, endpoint.workspaceId);
    if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > 7 * 86_400) throw badInput("graceSeconds must be 0 to 604800.", "graceSeconds");
    const secret = newWebhookSecret();
    const current = this.sealer.open(endpoint.secret, sealContext(endpoint, "secret"));
    const changes = {
      secret: this.sealer.seal(secret, sealContext(endpoint, "secret")),
      previousSecret: graceSeconds > 0 ? this.sealer.seal(current, sealContext(endpoint, "previous_secret")) : null,
      previousSecretUntil: graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null,
      updatedAt: new Date(),
    };
    await inTransaction(this.dataSource, async (manager) => {
      await manager.update(WebhookEndpointEntity, { id: endpoint.id }, changes);
      await this.audit.record(manager, endpoint.workspaceId, actor, "WEBHOOK_SECRET_ROTATED", null, { endpointId: endpoint.id, graceSeconds });
    });
    return { endpoint: Object.assign(endpoint, changes), secret };
  }

  async delete(loaders: WorkspaceLoaders, endpointId: string): Promise<WebhookEndpointEntity> {
    const endpoint = await this.get(loaders, endpointId);
    const actor = await this.requireManager(loaders, endpoint.workspaceId);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.delete(WebhookDeliveryEntity, { endpointId: endpoint.id });
      await manager.delete(WebhookEndpointEntity, { id: endpoint.id });
      await this.audit.record(manager, endpoint.workspaceId, actor, "WEBHOOK_ENDPOINT_DELETED", null, { endpointId: endpoint.id });
    });
    return endpoint;
  }

  /** Sends a signed `WEBHOOK_PING` now and records it as a delivery (whether or not the endpoint is enabled). */
  async test(loaders: WorkspaceLoaders, endpointId: string): Promise<WebhookDeliveryEntity> {
    const endpoint = await this.get(loaders, endpointId);
    const now = new Date();
    const messageId = `msg_ping_${newId().replace(/-/g, "")}`;
    const body = JSON.stringify({ type: "WEBHOOK_PING", timestamp: now.toISOString(), data: { endpointId: endpoint.id, workspaceId: endpoint.workspaceId } });
    const result = await this.send(endpoint, messageId, body);
    const delivery = Object.assign(new WebhookDeliveryEntity(), {
      id: newId(),
      endpointId: endpoint.id,
      workspaceId: endpoint.workspaceId,
      eventId: null,
      seq: null,
      kind: "WEBHOOK_PING",
      messageId,
      ...outcomeFields(result, 1, result.status !== null && result.status >= 200 && result.status < 300 ? "SUCCEEDED" : "FAILED", null),
      createdAt: now,
      updatedAt: new Date(),
    });
    await this.dataSource.getRepository(WebhookDeliveryEntity).insert(delivery);
    return delivery;
  }

  /**
   * Delivers again: the events after `afterCursor` (the endpoint's cursor goes back there; receivers
   * deduplicate by `webhook-id`, which stays the same). Answers the endpoint.
   */
  async redeliver(loaders: WorkspaceLoaders, endpointId: string, afterCursor: number): Promise<WebhookEndpointEntity> {
    const endpoint = await this.get(loaders, endpointId);
    const actor = await this.requireManager(loaders, endpoint.workspaceId);
    if (!Number.isInteger(afterCursor) || afterCursor < 0) throw badInput("afterCursor must be a cursor (0 or more).", "afterCursor");
    // Never forward (that would skip events); and always a change of updatedAt, so that a pass in
    // flight, whose cursor move is not committed yet, stops and the next one starts from here.
    const changes = { cursor: Math.min(afterCursor, endpoint.cursor), nextAttemptAt: null, failingSince: null, attempts: 0, updatedAt: new Date() };
    await inTransaction(this.dataSource, async (manager) => {
      await manager.update(WebhookEndpointEntity, { id: endpoint.id }, changes);
      await this.audit.record(manager, endpoint.workspaceId, actor, "WEBHOOK_ENDPOINT_UPDATED", null, { endpointId: endpoint.id, redeliverAfter: afterCursor });
    });
    return Object.assign(endpoint, changes);
  }

  /** A page of an endpoint's deliveries, newest first. */
  async deliveries(endpoint: WebhookEndpointEntity, first: number): Promise<WebhookDeliveryEntity[]> {
    return this.dataSource.getRepository(WebhookDeliveryEntity).find({ where: { endpointId: endpoint.id }, order: { createdAt: "DESC", id: "DESC" }, take: Math.min(Math.max(first, 1), 100) });
  }

  /** Signs with the current secret (and the previous one during its grace) and sends. */
  send(endpoint: WebhookEndpointEntity, messageId: string, body: string): Promise<SendResult> {
    return this.sender(endpoint)(messageId, body);
  }

  /** A sender for one endpoint: its secrets opened once for the messages it sends now. */
  sender(endpoint: WebhookEndpointEntity): (messageId: string, body: string) => Promise<SendResult> {
    const secrets = [this.sealer.open(endpoint.secret, sealContext(endpoint, "secret"))];
    if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil.getTime() > Date.now()) {
      secrets.push(this.sealer.open(endpoint.previousSecret, sealContext(endpoint, "previous_secret")));
    }
    return (messageId, body) => sendWebhook(endpoint.url, signedHeaders(secrets, messageId, Math.floor(Date.now() / 1000), body), body, this.settings.timeoutMs, this.settings.allowPrivate);
  }

  /**
   * The workspace's last message: a signed `WORKSPACE_DELETED` to each enabled endpoint, one
   * attempt within the webhook timeout, all at once (the endpoints and their secrets are deleted
   * right after, so there is nothing to retry from). The id is the same for a deletion resumed
   * after a crash, so a receiver that got it once can drop the second. Resolves to how many
   * endpoints answered 2xx, of how many were sent to.
   */
  async announceWorkspaceDeleted(workspaceId: string, data: Record<string, unknown>): Promise<{ sent: number; delivered: number }> {
    const endpoints = await this.dataSource.getRepository(WebhookEndpointEntity).findBy({ workspaceId, enabled: true });
    const now = new Date();
    const body = JSON.stringify({ type: "WORKSPACE_DELETED", timestamp: now.toISOString(), data: { workspaceId, ...data } });
    const results = await Promise.all(
      endpoints.map((endpoint) =>
        // A secret that no longer opens (a key dropped too early): that endpoint gets nothing.
        this.send(endpoint, messageIdOf(endpoint.id, `workspace-deleted:${workspaceId}`), body).catch(() => null),
      ),
    );
    return { sent: endpoints.length, delivered: results.filter((r) => r && r.status !== null && r.status >= 200 && r.status < 300).length };
  }

  /** The message id of an event at an endpoint. */
  messageId(endpoint: Pick<WebhookEndpointEntity, "id">, event: Pick<AccountEventEntity, "id">): string {
    return messageIdOf(endpoint.id, event.id);
  }

  private async requireManager(loaders: WorkspaceLoaders, workspaceId: string): Promise<AuditActor> {
    const membership = await this.workspaces.requireMembership(loaders, workspaceId);
    if (!WORKSPACE_POLICY[membership.role].manageWorkspace) throw forbidden("Only owners and admins manage webhooks.");
    return { userId: membership.userId, memberId: membership.id };
  }
}

/** The columns of a delivery that one attempt sets. */
export function outcomeFields(result: SendResult, attempts: number, status: string, nextAttemptAt: Date | null) {
  return {
    status,
    attempts,
    responseStatus: result.status,
    error: result.error?.slice(0, 300) ?? null,
    latencyMs: result.latencyMs,
    responseExcerpt: result.excerpt,
    nextAttemptAt,
  };
}

export function sealContext(endpoint: Pick<WebhookEndpointEntity, "id" | "workspaceId">, field: "secret" | "previous_secret"): SealContext {
  return { workspaceId: endpoint.workspaceId, table: TABLE, rowId: endpoint.id, field };
}

function validKinds(kinds: readonly string[] | null | undefined): string[] | null {
  if (kinds === null || kinds === undefined) return null;
  if (kinds.length === 0) throw badInput("kinds must name at least one event kind (or be left out for all).", "kinds");
  for (const kind of kinds) if (!(EVENT_KINDS as readonly string[]).includes(kind)) throw badInput("kinds holds an unknown event kind.", "kinds");
  return [...new Set(kinds)];
}

function validAccountIds(ids: readonly string[] | null | undefined): string[] | null {
  if (ids === null || ids === undefined) return null;
  if (ids.length === 0 || ids.length > MAX_ACCOUNT_FILTER) throw badInput(`accountIds must list 1 to ${MAX_ACCOUNT_FILTER} accounts (or be left out for all).`, "accountIds");
  for (const id of ids) if (!UUID.test(id)) throw badInput("accountIds holds something that is not an account id.", "accountIds");
  return [...new Set(ids)];
}

/** Whether an endpoint wants an event (its kinds and accounts filters). */
export function wants(endpoint: Pick<WebhookEndpointEntity, "kinds" | "accountIds">, event: Pick<AccountEventEntity, "kind" | "accountId">): boolean {
  if (endpoint.kinds && !(JSON.parse(endpoint.kinds) as string[]).includes(event.kind)) return false;
  if (endpoint.accountIds && !(JSON.parse(endpoint.accountIds) as string[]).includes(event.accountId)) return false;
  return true;
}

export type { EntityManager };
