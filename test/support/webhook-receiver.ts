import http, { type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** One message as a receiver got it, verified with the `standardwebhooks` package. */
export interface ReceivedMessage {
  id: string;
  timestamp: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed payload, when the signature verified under one of the receiver's secrets. */
  payload: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  at: number;
}

/** What the receiver answers to a message (by default 204). */
export type ReceiverAnswer = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | "hang";

/**
 * A webhook receiver on loopback, as a backend would run one: every message is verified with the
 * Standard Webhooks reference library against the secrets it was given.
 */
export class WebhookReceiver {
  readonly messages: ReceivedMessage[] = [];
  secrets: string[] = [];
  answer: (message: ReceivedMessage) => ReceiverAnswer = () => ({ status: 204 });
  private server: Server | null = null;
  private readonly hanging = new Set<http.ServerResponse>();
  url = "";

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let payload: ReceivedMessage["payload"] = null;
        for (const secret of this.secrets) {
          try {
            payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as ReceivedMessage["payload"];
            break;
          } catch {
            // try the next secret
          }
        }
        const message: ReceivedMessage = { id: String(req.headers["webhook-id"]), timestamp: Number(req.headers["webhook-timestamp"]), headers: req.headers, body, payload, at: Date.now() };
        this.messages.push(message);
        const answer = this.answer(message);
        if (answer === "hang") {
          this.hanging.add(res);
          return;
        }
        const send = () => res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? "");
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  /** Messages whose signature verified, as their payloads. */
  verified(): NonNullable<ReceivedMessage["payload"]>[] {
    return this.messages.flatMap((m) => (m.payload ? [m.payload] : []));
  }

  async waitFor(predicate: (r: this) => boolean, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > until) throw new Error(`receiver: timed out with ${this.messages.length} messages: ${JSON.stringify(this.messages.map((m) => [m.id, m.payload?.type ?? "unverified"]))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
