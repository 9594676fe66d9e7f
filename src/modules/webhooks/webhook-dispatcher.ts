import { randomUUID } from "node:crypto";
import { LessThan, type DataSource, type EntityManager } from "typeorm";
import { inTransaction } from "../../db/transactions";
import { isDuplicateKey } from "../../errors/database-errors";
import type { EventBus } from "../../events/event-bus";
import type { AccountEventEntity } from "../../events/event.entity";
import type { EventLog } from "../../events/event-log";
import type { Logger } from "../../logging/logger";
import { metrics } from "../../observability/metrics";
import { inSpan } from "../../observability/tracing";
import type { AuditService } from "../audit/audit.service";
import { WorkspaceEntity } from "../workspaces/workspace.entity";
import { WebhookDeliveryEntity, WebhookEndpointEntity } from "./webhook.entity";
import { outcomeFields, wants, webhookPayload, type WebhookService, type WebhookSettings } from "./webhook.service";
import type { SendResult } from "./webhook-target";

const SYSTEM_ACTOR = { userId: "system", memberId: null };
// Events read per page, and delivered per lease before the endpoint goes back in line.
const PAGE = 50;
const PER_LEASE = 500;
// Successes recorded together (see deliver).
const FLUSH_EVERY = 50;
const FLUSH_MS = 250;

/**
 * Delivers each endpoint's events from the durable log, in log order, at least once. An instance
 * takes an endpoint with a lease (a conditional UPDATE, as refreshes do), sends the events after
 * its cursor one at a time, and moves the cursor after each success; a failure stops that endpoint
 * until its next attempt (exponential backoff with jitter, at least the receiver's Retry-After),
 * and only that endpoint: each one is delivered to on its own. An instance that dies holding a
 * lease leaves its endpoint to another once the lease lapses; the event it was sending goes again,
 * with the same `webhook-id`. Endpoints answering 410, or failing for the whole retry window, are
 * disabled (audited).
 */
export class WebhookDispatcher {
  private readonly owner = `wh-${randomUUID()}`;
  private readonly inflight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private scanning = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly service: WebhookService,
    private readonly events: EventLog,
    private readonly bus: EventBus,
    private readonly audit: AuditService,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.settings.pollMs === 0 || this.timer) return;
    this.timer = setInterval(() => void this.scan(), this.settings.pollMs);
    this.timer.unref();
    // A new event anywhere: look soon (a notice is a hint; the poll is what guarantees delivery).
    this.unsubscribe = this.bus.subscribe(() => this.scanSoon());
    this.scanSoon();
  }

  /** Stops taking endpoints and waits for the deliveries in flight (each bounded by its deadline). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.unsubscribe?.();
    this.timer = this.soon = null;
    while (this.inflight.size > 0 || this.scanning) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private scanSoon(): void {
    if (this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.scan();
    }, 20);
    this.soon.unref();
  }

  /** Takes the endpoints due now (up to the concurrency) and delivers to each on its own. */
  async scan(): Promise<void> {
    if (this.scanning || this.stopped) return;
    this.scanning = true;
    try {
      const room = this.settings.concurrency - this.inflight.size;
      if (room <= 0) return;
      const now = new Date();
      const due = await this.dataSource
        .getRepository(WebhookEndpointEntity)
        .createQueryBuilder("e")
        .select("e.id", "id")
        .innerJoin(WorkspaceEntity, "w", "w.id = e.workspace_id")
        .where("e.enabled = :enabled", { enabled: true })
        // A workspace being deleted sends only its WORKSPACE_DELETED message (the deletion's).
        .andWhere("w.deleting_at IS NULL")
        .andWhere("w.event_seq > e.cursor")
        .andWhere("(e.next_attempt_at IS NULL OR e.next_attempt_at <= :now)", { now })
        .andWhere("(e.lease_until IS NULL OR e.lease_until < :now)")
        .orderBy("e.next_attempt_at")
        .addOrderBy("e.id")
        .limit(room * 2)
        .getRawMany<{ id: string }>();
      for (const { id } of due) {
        if (this.inflight.size >= this.settings.concurrency) break;
        if (this.inflight.has(id) || !(await this.claim(id))) continue;
        this.inflight.add(id);
        void inSpan("webhooks deliver", {}, () => this.deliver(id))
          .catch((error: unknown) => this.logger.warn({ err: error, endpointId: id }, "webhook delivery stopped by an error; retried at the next poll"))
          .finally(() => {
            this.inflight.delete(id);
            void this.release(id).catch(() => undefined);
            // More may be waiting (this endpoint's next page, or endpoints that found no room).
            this.scanSoon();
          });
      }
    } catch (error) {
      this.logger.warn({ err: error }, "webhook scan failed; retried at the next poll");
    } finally {
      this.scanning = false;
    }
  }

  private async claim(endpointId: string): Promise<boolean> {
    const now = new Date();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(WebhookEndpointEntity)
      .set({ leaseOwner: this.owner, leaseUntil: new Date(now.getTime() + this.settings.leaseMs) })
      .where("id = :id AND enabled = :enabled", { id: endpointId, enabled: true })
      .andWhere("(lease_until IS NULL OR lease_until < :now)", { now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async release(endpointId: string): Promise<void> {
    await this.dataSource.getRepository(WebhookEndpointEntity).update({ id: endpointId, leaseOwner: this.owner }, { leaseOwner: null, leaseUntil: null });
  }

  /**
   * Moves the cursor past `seq` (delivered, or not for this endpoint) while the lease is still ours
   * and nobody changed the endpoint since it was read (`updatedAt`: an admin's redelivery rewinds
   * the cursor, a disable or a new URL changes what to do), and extends the lease. False: stop, and
   * let the next pass start from what the endpoint is now.
   */
  private async advance(endpoint: Pick<WebhookEndpointEntity, "id" | "updatedAt">, seq: number, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager.getRepository(WebhookEndpointEntity).update(
      { id: endpoint.id, leaseOwner: this.owner, cursor: LessThan(seq), updatedAt: endpoint.updatedAt },
      { cursor: seq, leaseUntil: new Date(Date.now() + this.settings.leaseMs), failingSince: null, nextAttemptAt: null, attempts: 0 },
    );
    return (result.affected ?? 0) > 0;
  }

  /**
   * Sends the endpoint's events after its cursor, in order, until one fails or the page budget is
   * spent. Successes are recorded and the cursor moved in one commit per group (at most
   * FLUSH_EVERY messages or FLUSH_MS): a crash before the commit only sends them again, with the
   * same `webhook-id`s, which at-least-once allows; a commit per message would make the database's
   * log flush the pace of delivery.
   */
  private async deliver(endpointId: string): Promise<void> {
    let sent = 0;
    const done: Array<{ event: AccountEventEntity; messageId: string; result: SendResult }> = [];
    let passedOver: number | null = null;
    let flushedAt = Date.now();
    const flush = async (endpoint: WebhookEndpointEntity): Promise<boolean> => {
      const last = Math.max(done.at(-1)?.event.seq ?? 0, passedOver ?? 0);
      if (last === 0) return true;
      const batch = done.splice(0);
      passedOver = null;
      flushedAt = Date.now();
      const moved = await inTransaction(this.dataSource, async (manager) => {
        if (batch.length > 0) {
          const now = new Date();
          const rows = batch.map(({ event, messageId, result }) =>
            deliveryRow(endpoint, event, messageId, outcomeFields(result, 1, "SUCCEEDED", null), now),
          );
          try {
            // First attempts, nearly always: one INSERT for the group.
            await manager.insert(WebhookDeliveryEntity, rows);
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
            // Some were recorded before (retried, redelivered): one by one.
            for (const item of batch) await this.record(endpoint, item.event, item.messageId, item.result, "SUCCEEDED", null, 1, manager);
          }
        }
        return this.advance(endpoint, last, manager);
      });
      endpoint.cursor = last;
      return moved;
    };
    let endpoint: WebhookEndpointEntity | null = null;
    try {
      while (sent < PER_LEASE && !this.stopped) {
        endpoint = await this.dataSource.getRepository(WebhookEndpointEntity).findOneBy({ id: endpointId, leaseOwner: this.owner });
        if (!endpoint || !endpoint.enabled) return;
        const send = this.service.sender(endpoint);
        const page = await this.events.after(endpoint.workspaceId, endpoint.cursor, PAGE);
        if (page.length === 0) return;
        for (const event of page) {
          if (!wants(endpoint, event)) {
            passedOver = event.seq;
            continue;
          }
          const messageId = this.service.messageId(endpoint, event);
          const result = await send(messageId, webhookPayload(event));
          sent++;
          const ok = result.status !== null && result.status >= 200 && result.status < 300;
          metrics.webhookDelivery(ok ? "ok" : result.status === null ? "error" : `${Math.floor(result.status / 100)}xx`, result.latencyMs / 1000);
          if (!ok) {
            if (!(await flush(endpoint))) return;
            await this.failed(endpoint, event, messageId, result);
            return;
          }
          done.push({ event, messageId, result });
          if ((done.length >= FLUSH_EVERY || Date.now() - flushedAt >= FLUSH_MS) && !(await flush(endpoint))) return;
        }
        if (!(await flush(endpoint))) return;
      }
    } finally {
      if (endpoint && (done.length > 0 || passedOver !== null)) await flush(endpoint);
    }
  }

  private async failed(endpoint: WebhookEndpointEntity, event: AccountEventEntity, messageId: string, result: SendResult): Promise<void> {
    const now = Date.now();
    const attempts = endpoint.attempts + 1;
    const failingSince = endpoint.failingSince ?? new Date(now);
    const gone = result.status === 410;
    const exhausted = now - failingSince.getTime() >= this.settings.retryWindowMs;
    if (gone || exhausted) {
      const reason = gone ? "the receiver answered 410 Gone" : `failing for ${Math.round(this.settings.retryWindowMs / 3600_000)} h`;
      await this.record(endpoint, event, messageId, result, "FAILED", null, attempts);
      await inTransaction(this.dataSource, async (manager) => {
        await manager.update(WebhookEndpointEntity, { id: endpoint.id, leaseOwner: this.owner }, { enabled: false, disabledReason: reason, nextAttemptAt: null, attempts, failingSince, updatedAt: new Date() });
        await this.audit.record(manager, endpoint.workspaceId, SYSTEM_ACTOR, "WEBHOOK_ENDPOINT_DISABLED", null, { endpointId: endpoint.id, reason, cursor: endpoint.cursor });
      });
      metrics.webhookEndpointDisabled();
      this.logger.warn({ endpointId: endpoint.id, reason, status: result.status }, "webhook endpoint disabled");
      return;
    }
    const backoff = Math.min(this.settings.retryBaseMs * 4 ** (attempts - 1), this.settings.retryMaxMs) * (0.8 + Math.random() * 0.4);
    const nextAttemptAt = new Date(now + Math.max(backoff, result.retryAfterMs ?? 0));
    await this.record(endpoint, event, messageId, result, "RETRYING", nextAttemptAt, attempts);
    await this.dataSource.getRepository(WebhookEndpointEntity).update({ id: endpoint.id, leaseOwner: this.owner }, { attempts, failingSince, nextAttemptAt });
    this.logger.info({ endpointId: endpoint.id, status: result.status, error: result.error, attempts, retryInMs: nextAttemptAt.getTime() - now }, "webhook attempt failed; retrying");
  }

  // One row per event and endpoint: created at the first attempt (most are), updated by the next ones.
  private async record(
    endpoint: WebhookEndpointEntity,
    event: AccountEventEntity,
    messageId: string,
    result: SendResult,
    status: string,
    nextAttemptAt: Date | null,
    attempts = endpoint.attempts + 1,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const repo = manager.getRepository(WebhookDeliveryEntity);
    const fields = outcomeFields(result, attempts, status, nextAttemptAt);
    const now = new Date();
    if (attempts === 1) {
      try {
        await repo.insert(deliveryRow(endpoint, event, messageId, fields, now));
        return;
      } catch (error) {
        // Only "already recorded" falls through (MariaDB and SQLite keep the transaction going).
        if (!isDuplicateKey(error)) throw error;
      }
    }
    // A later attempt, a redelivery, or another instance recorded it first (a lease that lapsed mid-attempt).
    const row = await repo.findOneBy({ endpointId: endpoint.id, seq: event.seq });
    if (row) await repo.update({ id: row.id }, { ...fields, attempts: row.attempts + 1, updatedAt: now });
    else await repo.insert(deliveryRow(endpoint, event, messageId, fields, now));
  }
}

// The row recording one event's delivery at one endpoint, with its last attempt's outcome.
function deliveryRow(endpoint: WebhookEndpointEntity, event: AccountEventEntity, messageId: string, fields: ReturnType<typeof outcomeFields>, now: Date): WebhookDeliveryEntity {
  return Object.assign(new WebhookDeliveryEntity(), { id: randomUUID(), endpointId: endpoint.id, workspaceId: endpoint.workspaceId, eventId: event.id, seq: event.seq, kind: event.kind, messageId, ...fields, createdAt: now, updatedAt: now });
}
