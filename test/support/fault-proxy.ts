import net, { type AddressInfo, type Server, type Socket } from "node:net";

/** How the proxy treats traffic. */
export type ProxyMode = "pass" | "stall" | "refuse";

/**
 * A TCP proxy between the service and a real server that can stall traffic (connections stay
 * open, bytes stop flowing: a wedged network), drop every open connection, or refuse new ones.
 */
export class FaultProxy {
  private mode: ProxyMode = "pass";
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private server!: Server;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts listening on a free loopback port. */
  async start(): Promise<this> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  private accept(client: Socket): void {
    if (this.mode === "refuse") {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on("data", (chunk) => {
        // While stalled, bytes are swallowed: the peer sees a connection that never answers.
        if (this.mode === "pass") to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  }

  /** Stops forwarding bytes on every connection, open or new. */
  stall(): void {
    this.mode = "stall";
  }

  /** Forwards again (connections that lost bytes while stalled are broken; the pool must replace them). */
  resume(): void {
    this.mode = "pass";
  }

  /** Refuses new connections. */
  refuse(): void {
    this.mode = "refuse";
  }

  /** Destroys every open connection. */
  dropAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /** Open connection pairs. */
  get connections(): number {
    return this.pairs.size;
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
