import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

/** An event as a subscriber receives it. */
export interface ReceivedEvent {
  id: string;
  cursor: number;
  kind: string;
  accountId: string;
  details: Record<string, unknown>;
}

/** A graphql-ws client against a test service, with what it received collected. */
export class Subscriber {
  readonly events: ReceivedEvent[] = [];
  readonly errors: unknown[] = [];
  closed: { code: number; reason: string } | null = null;
  private readonly client: Client;
  private dispose?: () => void;

  constructor(url: string, token: string | null, options: { lazy?: boolean; connectionParams?: Record<string, unknown> } = {}) {
    this.client = createClient({
      url: url.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: options.lazy ?? true,
      connectionParams: options.connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
      on: {
        closed: (event) => {
          const e = event as { code: number; reason: string };
          this.closed = { code: e.code, reason: e.reason };
        },
      },
    });
  }

  /** Starts a subscription; events land in `events`. */
  subscribe(query: string, variables: Record<string, unknown>): this {
    this.dispose = this.client.subscribe(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...result.errors);
          const data = result.data as Record<string, ReceivedEvent> | null | undefined;
          const event = data && Object.values(data)[0];
          if (event) this.events.push(event);
        },
        error: (error) => this.errors.push(error),
        complete: () => undefined,
      },
    );
    return this;
  }

  /** Waits until `predicate` holds (or fails the test after `timeoutMs`). */
  async waitFor(predicate: (s: Subscriber) => boolean, timeoutMs = 8000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > until) throw new Error(`timed out; received ${JSON.stringify(this.events.map((e) => [e.cursor, e.kind]))}, errors ${JSON.stringify(this.errors)}, closed ${JSON.stringify(this.closed)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.dispose?.();
    await this.client.dispose();
  }
}

/** The subscription the tests use. */
export const ACCOUNT_EVENTS = `subscription ($workspaceId: ID!, $after: Int, $kinds: [AccountEventKind!], $accountIds: [ID!]) {
  accountEvents(workspaceId: $workspaceId, after: $after, kinds: $kinds, accountIds: $accountIds) { id cursor kind accountId details }
}`;

/** Lets pending deliveries arrive before asserting that something did NOT arrive. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
