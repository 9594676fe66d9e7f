/**
 * Many lean WebSocket clients in the bench process (graphql-ws's own client costs too much at
 * 10k): each speaks just enough of the graphql-transport-ws protocol to authenticate and start one
 * subscription, or nothing at all (raw sockets for the `ws` baseline), and counts what arrives so
 * "nothing lost, nothing twice" can be checked per socket.
 */
import WebSocket from "ws";

export interface ClientSpec {
  /** Bearer token for connection_init; null: a raw socket that never speaks. */
  token: string | null;
  /** The subscribe payload (graphql-ws only). */
  subscribe?: { query: string; variables: Record<string, unknown> };
}

/** A set of connected clients and what each received. */
export class ClientSet {
  readonly sockets: WebSocket[] = [];
  /** Messages each socket received (next frames for graphql-ws, any frame for raw). */
  readonly received: Int32Array;
  /** The last cursor each graphql-ws socket received (-1: none). */
  readonly lastCursor: Float64Array;
  /** Cursors that arrived twice or out of order, and error/complete frames: must stay 0. */
  misordered = 0;
  errors: string[] = [];
  /** The first data frame one socket received, byte for byte (what the baseline broadcasts). */
  sample: string | null = null;
  total = 0;
  private waiter: { target: number; resolve: () => void } | null = null;

  constructor(readonly size: number) {
    this.received = new Int32Array(size);
    this.lastCursor = new Float64Array(size).fill(-1);
  }

  onFrame(index: number, data: string, graphqlWs: boolean): void {
    if (graphqlWs) {
      const message = JSON.parse(data) as { type: string; payload?: { data?: Record<string, { cursor: number }> } };
      if (message.type === "connection_ack" || message.type === "pong" || message.type === "ping") return;
      if (message.type !== "next") {
        if (this.errors.length < 5) this.errors.push(data.slice(0, 300));
        return;
      }
      const event = message.payload?.data && Object.values(message.payload.data)[0];
      if (!event) {
        if (this.errors.length < 5) this.errors.push(data.slice(0, 300));
        return;
      }
      if (event.cursor <= this.lastCursor[index]!) this.misordered++;
      this.lastCursor[index] = event.cursor;
    }
    this.sample ??= data;
    this.received[index]!++;
    this.total++;
    if (this.waiter && this.total >= this.waiter.target) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve();
    }
  }

  /** Resolves once `target` frames arrived in total (or rejects after `timeoutMs`). */
  waitForTotal(target: number, timeoutMs: number): Promise<void> {
    if (this.total >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`timed out: ${this.total} of ${target} frames; errors ${JSON.stringify(this.errors)}`));
      }, timeoutMs);
      this.waiter = {
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  /** Sockets that did not receive exactly `expected` frames. */
  countOff(expected: number): number {
    let off = 0;
    for (const n of this.received) if (n !== expected) off++;
    return off;
  }

  /** Closes every socket and waits until they are all gone. */
  async close(): Promise<void> {
    await Promise.all(
      this.sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve();
            socket.once("close", () => resolve());
            socket.terminate();
          }),
      ),
    );
  }
}

/** Opens `specs.length` clients, `concurrency` at a time; resolves once each has sent its subscribe (or opened, raw). */
export async function connectClients(url: string, specs: ClientSpec[], concurrency = 200): Promise<ClientSet> {
  const set = new ClientSet(specs.length);
  const wsUrl = url.replace(/^http/, "ws");
  let next = 0;
  const openOne = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const spec = specs[index]!;
      const graphqlWs = spec.token !== null;
      const socket = new WebSocket(wsUrl, graphqlWs ? "graphql-transport-ws" : undefined, { perMessageDeflate: false });
      set.sockets[index] = socket;
      socket.once("error", reject);
      socket.once("close", (code: number, reason: Buffer) => {
        if (code !== 1005 && code !== 1006 && set.errors.length < 5) set.errors.push(`socket ${index} closed ${code} ${String(reason)}`);
        reject(new Error(`closed ${code} ${String(reason)}`));
      });
      socket.once("open", () => {
        if (!graphqlWs) return resolve();
        socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${spec.token}` } }));
      });
      socket.on("message", (data: Buffer) => {
        const text = data.toString("utf8");
        if (graphqlWs && text.includes('"connection_ack"')) {
          socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: spec.subscribe }));
          return resolve();
        }
        set.onFrame(index, text, graphqlWs);
      });
    });
  await Promise.all(
    Array.from({ length: Math.min(concurrency, specs.length) }, async () => {
      while (next < specs.length) await openOne(next++);
    }),
  );
  return set;
}
