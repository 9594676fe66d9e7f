import { EventEmitter } from "node:events";
import Redis from "ioredis";
import type { Logger } from "../logging/logger";

/** A notice that a workspace's event log grew to `seq`: subscribers read the events from the log. */
export interface EventNotice {
  workspaceId: string;
  seq: number;
}

/**
 * Fans notices out to every instance. Only the notice crosses (ids, never payloads): the event
 * log is the source of truth, so a notice lost on the way (Redis drops what no one hears) only
 * delays delivery until the next notice or a resume, and loses nothing.
 */
export interface EventBus {
  publish(notice: EventNotice): void;
  subscribe(listener: (notice: EventNotice) => void): () => void;
  /** Tells every instance that a personal API token was revoked (its open connections close). */
  publishRevoked(apiTokenId: string): void;
  onRevoked(listener: (apiTokenId: string) => void): () => void;
  /** Tells every instance that a workspace is being deleted (its members' subscriptions to it end). */
  publishWorkspaceGone(workspaceId: string): void;
  onWorkspaceGone(listener: (workspaceId: string) => void): () => void;
  close(): Promise<void>;
}

/** The embedded default: notices stay in this process. */
export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(notice: EventNotice): void {
    this.emitter.emit("notice", notice);
  }

  subscribe(listener: (notice: EventNotice) => void): () => void {
    this.emitter.on("notice", listener);
    return () => this.emitter.off("notice", listener);
  }

  publishRevoked(apiTokenId: string): void {
    this.emitter.emit("revoked", apiTokenId);
  }

  onRevoked(listener: (apiTokenId: string) => void): () => void {
    this.emitter.on("revoked", listener);
    return () => this.emitter.off("revoked", listener);
  }

  publishWorkspaceGone(workspaceId: string): void {
    this.emitter.emit("workspace-gone", workspaceId);
  }

  onWorkspaceGone(listener: (workspaceId: string) => void): () => void {
    this.emitter.on("workspace-gone", listener);
    return () => this.emitter.off("workspace-gone", listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

const CHANNEL = "connected-accounts:events";
const REVOKED_CHANNEL = "connected-accounts:revoked";
const WORKSPACE_GONE_CHANNEL = "connected-accounts:workspace-gone";

/** Several instances: notices go through Redis pub/sub (and to this process's listeners directly). */
export class RedisEventBus implements EventBus {
  private readonly local = new LocalEventBus();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {}

  /** Connects both Redis clients before subscribing (events published before that would be lost). */
  static async connect(url: string, logger: Logger): Promise<RedisEventBus> {
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000, enableOfflineQueue: false };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [publisher, subscriber]) client.on("error", (error: Error) => logger.warn({ err: { message: error.message } }, "redis error"));
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const bus = new RedisEventBus(publisher, subscriber);
    await subscriber.subscribe(CHANNEL, REVOKED_CHANNEL, WORKSPACE_GONE_CHANNEL);
    subscriber.on("message", (channel: string, message: string) => {
      if (channel === REVOKED_CHANNEL) {
        if (/^[\w-]{1,64}$/.test(message)) bus.local.publishRevoked(message);
        return;
      }
      if (channel === WORKSPACE_GONE_CHANNEL) {
        if (/^[\w-]{1,64}$/.test(message)) bus.local.publishWorkspaceGone(message);
        return;
      }
      try {
        const notice = JSON.parse(message) as EventNotice;
        if (typeof notice.workspaceId === "string" && Number.isInteger(notice.seq)) bus.local.publish(notice);
      } catch {
        // not ours
      }
    });
    return bus;
  }

  publish(notice: EventNotice): void {
    // Redis echoes our own message back to our subscriber, which delivers it locally.
    this.publisher.publish(CHANNEL, JSON.stringify(notice)).catch(() => this.local.publish(notice));
  }

  subscribe(listener: (notice: EventNotice) => void): () => void {
    return this.local.subscribe(listener);
  }

  publishRevoked(apiTokenId: string): void {
    // Always here at once; through Redis to the others (a lost message is made up by their re-check).
    this.local.publishRevoked(apiTokenId);
    this.publisher.publish(REVOKED_CHANNEL, apiTokenId).catch(() => undefined);
  }

  onRevoked(listener: (apiTokenId: string) => void): () => void {
    return this.local.onRevoked(listener);
  }

  publishWorkspaceGone(workspaceId: string): void {
    // As revocations: here at once, the others through Redis (their head poll makes up a lost one).
    this.local.publishWorkspaceGone(workspaceId);
    this.publisher.publish(WORKSPACE_GONE_CHANNEL, workspaceId).catch(() => undefined);
  }

  onWorkspaceGone(listener: (workspaceId: string) => void): () => void {
    return this.local.onWorkspaceGone(listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
