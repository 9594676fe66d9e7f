import type { DataSource } from "typeorm";
import type { Principal } from "../auth/principal";
import type { AccountEventType } from "./account-event.type";
import type { EventBus, EventNotice } from "../events/event-bus";
import type { AccountEventEntity, EventKind } from "../events/event.entity";
import { DeliveryAccess } from "./delivery-access";
import { presentEvent } from "./event-present";
import { metrics } from "../observability/metrics";
import { inSpan } from "../observability/tracing";

/** What the feed needs from the log (the EventLog itself; an interface to keep imports one-way). */
export interface FeedSource {
  readonly dataSource: DataSource;
  readonly bus: EventBus;
  after(workspaceId: string, seq: number, limit?: number): Promise<AccountEventEntity[]>;
  /** The latest sequence numbers of these workspaces (the head poll). */
  heads?(workspaceIds: readonly string[]): Promise<Map<string, number>>;
}

const PAGE = 500;
// Events queued for one subscriber that is not taking them: past this it is cut off (it may
// resume with `after`), so one stuck consumer cannot grow the server's memory without bound.
const MAX_QUEUED = 1000;
const RETRY_MS = 1000;

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** A subscriber that fell too far behind. */
export class SubscriberLaggingError extends Error {
  constructor() {
    super("Too many undelivered events: resubscribe with `after` set to the last cursor received.");
  }
}

/**
 * One subscriber's stream of events: an async iterator the feed pushes into. Holds only its
 * cursor, its filters and (while it has something to take) a small queue, so an idle
 * subscription costs little. `map` turns each event into what the consumer wants (the ws layer
 * maps to a shared execution result) without another iterator around this one.
 */
export class FeedSubscription<T = AccountEventType> implements AsyncIterableIterator<T> {
  private queue: AccountEventType[] | null = null;
  private waiting: ((result: IteratorResult<T> | Promise<IteratorResult<T>>) => void) | null = null;
  private rejectWaiting: ((error: Error) => void) | null = null;
  /** Direct mode: the feed awaits `prepare` for each event, then `send` takes it synchronously. */
  prepare: ((event: AccountEventType) => PromiseLike<unknown> | undefined) | null = null;
  private send: ((event: AccountEventType) => void | "full") | null = null;
  /** Direct mode: its client's buffer is full; the feed passes it by (its cursor stays) until `resume`. */
  paused = false;
  private closed = false;
  private failure: Error | null = null;
  private transform: ((event: AccountEventType) => T | Promise<T>) | null = null;

  constructor(
    private readonly feed: WorkspaceFeed,
    readonly principal: Principal,
    /** The last event seq this subscriber was given (or skipped): never goes back. */
    public cursor: number,
    private readonly kinds: ReadonlySet<EventKind> | null,
    private readonly accountIds: ReadonlySet<string> | null,
  ) {}

  /** Whether the subscriber asked for this event at all (before authorization). */
  wants(row: AccountEventEntity): boolean {
    return (!this.kinds || this.kinds.has(row.kind)) && (!this.accountIds || this.accountIds.has(row.accountId));
  }

  /** Makes this iterator yield `fn(event)` instead of the event. */
  map<R>(fn: (event: AccountEventType) => R | Promise<R>): FeedSubscription<R> {
    const self = this as unknown as FeedSubscription<R>;
    self.transform = fn;
    return self;
  }

  /**
   * Hands each event to `send` as the feed delivers it, once `prepare` (shared by subscribers
   * with the same result) has settled, instead of through this iterator: the iterator then only
   * ends (return) or fails. Saves a promise round trip per subscriber and event.
   */
  deliverDirectly(prepare: (event: AccountEventType) => PromiseLike<unknown> | undefined, send: (event: AccountEventType) => void | "full"): this {
    this.prepare = prepare;
    this.send = send;
    return this;
  }

  /** Called by the feed, in cursor order. */
  push(event: AccountEventType): void {
    if (this.closed) return;
    if (this.send) {
      try {
        // "full": the event went out, but the client has this much unsent: take no more until it
        // drains. Nothing is lost: the log keeps what follows, from this subscriber's cursor.
        if (this.send(event) === "full") this.paused = true;
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
      }
      return;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.rejectWaiting = null;
      resolve(this.result(event));
      return;
    }
    (this.queue ??= []).push(event);
    if (this.queue.length > MAX_QUEUED) {
      this.queue = null;
      this.fail(new SubscriberLaggingError());
    }
  }

  private fail(error: Error): void {
    this.detach();
    const reject = this.rejectWaiting;
    this.waiting = this.rejectWaiting = null;
    if (reject) {
      this.closed = true;
      reject(error);
    } else {
      this.failure = error;
    }
  }

  private result(event: AccountEventType): IteratorResult<T> | Promise<IteratorResult<T>> {
    if (!this.transform) return { value: event as unknown as T, done: false };
    const value = this.transform(event);
    return isPromiseLike(value) ? Promise.resolve(value).then((v) => ({ value: v, done: false })) : { value, done: false };
  }

  next(): Promise<IteratorResult<T>> {
    const event = this.queue?.shift();
    if (event) {
      if (this.queue!.length === 0) this.queue = null;
      return Promise.resolve(this.result(event));
    }
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      this.closed = true;
      return Promise.reject(failure);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.rejectWaiting = reject;
    });
  }

  /** The client drained: catch up from the log (from this subscriber's cursor) and go on. */
  resume(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    this.feed.wake();
  }

  return(): Promise<IteratorResult<T>> {
    this.closed = true;
    this.queue = null;
    this.detach();
    const waiting = this.waiting;
    this.waiting = this.rejectWaiting = null;
    waiting?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private detach(): void {
    this.feed.remove(this as FeedSubscription<unknown>);
  }
}

/**
 * The live subscribers of one workspace and the one reader of its log for them all: on each
 * notice the log is read once (from the lowest cursor among them, in pages), every event is
 * presented once and authorized once per user with set-based reads, then pushed to each
 * subscriber whose cursor it passes. A notice that arrives while reading makes one more pass, so
 * nothing is missed; cursors only move forward, so nothing is delivered twice.
 */
export class WorkspaceFeed {
  private readonly subscribers = new Set<FeedSubscription<unknown>>();
  /**
   * The highest sequence this feed knows the log reached (from notices, polls and its own reads);
   * -1 until it knows. A subscriber joining at or past it has nothing to read: events after its
   * cursor come with notices still to arrive, so joining costs no walk and no read.
   */
  private knownHead = -1;
  private running = false;
  private again = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly source: FeedSource,
    readonly workspaceId: string,
    private readonly onEmpty: (feed: WorkspaceFeed) => void,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a subscriber and reads the log for it (its replay, or what happened since it read the head). */
  add(subscription: FeedSubscription<unknown>): void {
    this.subscribers.add(subscription);
    // A replay, or an event that got to this feed between the subscriber reading the head and
    // joining: read. Otherwise (10,000 clients subscribing from now) there is nothing to do.
    if (this.knownHead < 0 || subscription.cursor < this.knownHead) void this.pump();
  }

  remove(subscription: FeedSubscription<unknown>): void {
    this.subscribers.delete(subscription);
    if (this.subscribers.size === 0) {
      if (this.retry) clearTimeout(this.retry);
      this.retry = null;
      this.onEmpty(this);
    }
  }

  /** A notice that the log grew to `seq`: reads it unless every subscriber is already past it (or paused). */
  notify(seq: number): void {
    if (seq > this.knownHead) this.knownHead = seq;
    for (const s of this.subscribers) {
      if (!s.paused && s.cursor < seq) {
        void this.pump();
        return;
      }
    }
  }

  /** Reads the log again (a paused subscriber resumed and must catch up). */
  wake(): void {
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        for (;;) {
          if (this.subscribers.size === 0) return;
          let from = Infinity;
          for (const s of this.subscribers) if (!s.paused && s.cursor < from) from = s.cursor;
          if (from === Infinity) return;
          const rows = await this.source.after(this.workspaceId, from, PAGE);
          // The log reached at least this far when it was read.
          const reached = rows.length > 0 ? rows[rows.length - 1]!.seq : from;
          if (reached > this.knownHead) this.knownHead = reached;
          if (rows.length > 0) await inSpan("events deliver", { "ca.events": rows.length }, () => this.deliver(rows, from));
          if (rows.length < PAGE) break;
        }
      } while (this.again);
    } catch {
      // The database failed: cursors did not move, so a later pass delivers the same events.
      this.retry ??= setTimeout(() => {
        this.retry = null;
        void this.pump();
      }, RETRY_MS).unref();
    } finally {
      this.running = false;
    }
  }

  /**
   * Delivers one page of the log, read after cursor `from`. A subscriber's cursor only ever moves
   * over events it was given or that were not for it, one after the other: this page goes only to
   * subscribers whose cursor it continues (at or after `from`: one that joined, or left a pause,
   * with an older cursor while the page was read is served by the next pass, which reads from its
   * cursor), and a subscriber that pauses during the page gets nothing more of it, even if it
   * drains before the page ends.
   */
  private async deliver(rows: AccountEventEntity[], from: number): Promise<void> {
    const last = rows[rows.length - 1]!.seq;
    const targets = [...this.subscribers].filter((s) => !s.paused && s.cursor >= from && s.cursor < last);
    if (targets.length === 0) return;
    const access = await DeliveryAccess.load(this.source.dataSource, this.workspaceId, targets.map((s) => s.principal.userId), rows);
    const stopped = new Set<FeedSubscription<unknown>>();
    const isStopped = (s: FeedSubscription<unknown>) => {
      if (s.paused) stopped.add(s);
      return stopped.has(s);
    };
    for (const row of rows) {
      const recipients: FeedSubscription<unknown>[] = [];
      for (const s of targets) {
        if (row.seq <= s.cursor || isStopped(s)) continue;
        if (s.wants(row) && access.mayView(s.principal, row)) recipients.push(s);
        // Not for this subscriber: passed over at once. A recipient's cursor moves when it is sent the event.
        else s.cursor = row.seq;
      }
      if (recipients.length === 0) continue;
      const event = presentEvent(row);
      // What direct subscribers send is prepared once per result (shared promises), before any is sent.
      const preparing = new Set<PromiseLike<unknown>>();
      for (const s of recipients) {
        const pending = s.prepare?.(event);
        if (pending) preparing.add(pending);
      }
      if (preparing.size > 0) await Promise.all(preparing);
      const committedAt = row.createdAt.getTime();
      for (const s of recipients) {
        // Paused while this event was being prepared: it stays unsent, and the cursor before it.
        if (isStopped(s)) continue;
        s.cursor = row.seq;
        s.push(event);
        metrics.eventDelivered((Date.now() - committedAt) / 1000);
      }
    }
  }
}

/**
 * The live feeds of this process, one per workspace with subscribers, fed by the bus's notices and,
 * every `pollMs`, by the log itself: the heads of every workspace followed here are read in one
 * statement and any feed behind its head reads on. The log is the truth; the bus only makes
 * delivery quick. With Redis down, or a notice lost, an event still reaches every instance within
 * one poll interval.
 */
export class EventFeed {
  private readonly feeds = new Map<string, WorkspaceFeed>();
  private readonly unsubscribe: () => void;
  private poll: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly source: FeedSource,
    private readonly pollMs = 0,
  ) {
    this.unsubscribe = source.bus.subscribe((notice: EventNotice) => this.feeds.get(notice.workspaceId)?.notify(notice.seq));
  }

  private startPolling(): void {
    if (this.poll || this.pollMs <= 0 || !this.source.heads) return;
    this.poll = setInterval(() => void this.pollHeads(), this.pollMs).unref();
  }

  private async pollHeads(): Promise<void> {
    if (this.feeds.size === 0) {
      if (this.poll) clearInterval(this.poll);
      this.poll = null;
      return;
    }
    if (this.polling) return;
    this.polling = true;
    try {
      const followed = [...this.feeds.keys()];
      const heads = await this.source.heads!(followed);
      for (const [workspaceId, seq] of heads) this.feeds.get(workspaceId)?.notify(seq);
      // A workspace without a head is being deleted (or gone): its notice may have been lost.
      for (const workspaceId of followed) if (!heads.has(workspaceId)) this.source.bus.publishWorkspaceGone(workspaceId);
    } catch {
      // The database is away: the next poll (or a notice) catches up.
    } finally {
      this.polling = false;
    }
  }

  /** A live subscription starting after `cursor`. */
  open(principal: Principal, workspaceId: string, cursor: number, kinds: ReadonlySet<EventKind> | null, accountIds: ReadonlySet<string> | null): FeedSubscription {
    let feed = this.feeds.get(workspaceId);
    if (!feed) {
      feed = new WorkspaceFeed(this.source, workspaceId, (empty) => {
        if (this.feeds.get(empty.workspaceId) === empty) this.feeds.delete(empty.workspaceId);
      });
      this.feeds.set(workspaceId, feed);
    }
    const subscription = new FeedSubscription(feed, principal, cursor, kinds, accountIds);
    feed.add(subscription as FeedSubscription<unknown>);
    this.startPolling();
    return subscription;
  }

  /** Live subscriptions of a workspace in this process (diagnostics; tests check release with it). */
  subscriberCount(workspaceId: string): number {
    return this.feeds.get(workspaceId)?.size ?? 0;
  }

  close(): void {
    this.unsubscribe();
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }
}

// The one live feed per event log in this process (a process runs one service; tests run several).
const feeds = new WeakMap<FeedSource, EventFeed>();

/** The live subscribers of this process for a log: made on first use, listening to the log's bus and polling its heads every `pollMs`. */
export function feedOf(source: FeedSource & { readonly pollMs?: number }): EventFeed {
  let feed = feeds.get(source);
  if (!feed) feeds.set(source, (feed = new EventFeed(source, source.pollMs ?? 0)));
  return feed;
}

/** Closes a log's live feed, if it has one (at shutdown). */
export function closeFeedOf(source: FeedSource): void {
  feeds.get(source)?.close();
  feeds.delete(source);
}
