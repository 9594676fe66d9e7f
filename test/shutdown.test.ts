/**
 * SIGTERM stops the service gracefully: /readyz answers 503 at once while everything is still
 * served (load balancers take the instance out), requests that arrived just before the signal are
 * answered (none is reset), answers during the drain close their connections, and the process
 * exits 0 once what was accepted is done. The service runs as its own process, signalled for real.
 */
import http from "node:http";
import { databaseEnv } from "./support/test-database";
import { startServiceProcess, type ServiceProcess } from "./support/service-process";
import { TEST_AUDIENCE, TEST_ISSUER, mintToken, testIssuerKeys } from "./support/tokens";

jest.setTimeout(60_000);

// One request on a connection of its own (no agent: nothing is reused), with what came of it.
function get(origin: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; connection: string | undefined; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(`${origin}${path}`, { agent: false, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      res.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

describe("SIGTERM", () => {
  let service: ServiceProcess | undefined;
  afterEach(() => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) service.child.kill("SIGKILL");
  });

  it("answers /readyz 503 first, answers every request that arrived before it, then exits 0", async () => {
    const { publicPem } = await testIssuerKeys();
    service = await startServiceProcess({
      ...databaseEnv(),
      AUTH_PUBLIC_KEY: publicPem,
      AUTH_ISSUER: TEST_ISSUER,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      DEV_TOKENS: "false",
      SHUTDOWN_DELAY_MS: "800",
      REFRESHER_INTERVAL_MS: "0",
    });
    const origin = service.url.replace(/\/graphql$/, "");
    const token = await mintToken("shutdown-user");
    expect(await get(origin, "/readyz")).toMatchObject({ status: 200 });

    const exited = new Promise<number | null>((resolve) => service!.child.once("exit", (code) => resolve(code)));
    // A burst of requests, each on a new connection, and the signal 15 ms after they were sent.
    const burst = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? get(origin, "/healthz") : get(origin, `/graphql?query=${encodeURIComponent("{ viewer { userId } }")}`, { authorization: `Bearer ${token}`, "apollo-require-preflight": "1" }),
    );
    await new Promise((resolve) => setTimeout(resolve, 15));
    service.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Draining: not ready, but still serving, and not keeping connections.
    expect(await get(origin, "/readyz")).toMatchObject({ status: 503, connection: "close" });
    const during = await get(origin, "/healthz");
    expect(during).toMatchObject({ status: 200, connection: "close" });

    const answers = await Promise.all(burst);
    expect(answers.filter((a) => "error" in a)).toEqual([]);
    expect(answers.map((a) => ("status" in a ? a.status : 0))).toEqual(answers.map(() => 200));
    expect(await exited).toBe(0);
    const lines = service.stdout.map((l) => JSON.parse(l) as { msg: string; signal?: string });
    expect(lines.some((l) => l.msg === "shutting down" && l.signal === "SIGTERM")).toBe(true);
  });
});
