import Database from "better-sqlite3";
import { CreateWorkspaceDocument, ViewerDocument } from "../operations/generated";
import { codesOf, dataOf } from "./support/graphql-client";
import { FaultProxy } from "./support/fault-proxy";
import { freshSqlitePath, MARIADB_SERVER, mariadbUrl, TEST_DB } from "./support/test-database";
import { startTestService, type TestService } from "./support/test-service";
import { uniqueUser } from "./support/factories";

const QUERY_DEADLINE_MS = 1500;
const ACQUIRE_DEADLINE_MS = 1500;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await work();
  return { value, ms: Date.now() - start };
}

async function readiness(service: TestService): Promise<number> {
  return (await fetch(`${service.baseUrl}/readyz`, { signal: AbortSignal.timeout(15_000) })).status;
}

(TEST_DB === "mariadb" ? describe : describe.skip)("a stalled or dropped MariaDB (through a fault proxy)", () => {
  let proxy: FaultProxy;
  let service: TestService;

  beforeAll(async () => {
    proxy = await new FaultProxy(MARIADB_SERVER.host, MARIADB_SERVER.port).start();
    service = await startTestService({
      DATABASE_URL: mariadbUrl(proxy.port),
      DB_POOL_SIZE: "2",
      DB_QUERY_TIMEOUT_MS: String(QUERY_DEADLINE_MS),
      DB_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_DEADLINE_MS),
      DB_CONNECT_TIMEOUT_MS: "1500",
    });
  });
  afterAll(async () => {
    proxy?.resume();
    await service?.close();
    await proxy?.stop();
  });

  it("fails calls with SERVICE_UNAVAILABLE within their deadline while stalled, then serves again without a restart", async () => {
    const user = uniqueUser();
    expect(dataOf(await service.call(user, CreateWorkspaceDocument, { input: { name: "Before" } })).createWorkspace.name).toBe("Before");
    expect(await readiness(service)).toBe(200);

    proxy.stall();
    // More concurrent calls than pool connections: the extra ones wait for a connection and must
    // fail at the acquire deadline, not queue forever.
    const stalled = await timed(() => Promise.all(Array.from({ length: 5 }, () => service.call(user, ViewerDocument))));
    for (const result of stalled.value) {
      expect(codesOf(result)).toEqual(["SERVICE_UNAVAILABLE"]);
      expect(result.errors?.[0]?.message).toBe("The database did not answer in time; try again later.");
    }
    expect(stalled.ms).toBeLessThan(QUERY_DEADLINE_MS + ACQUIRE_DEADLINE_MS + 3000);
    expect(await readiness(service)).toBe(503);

    proxy.resume();
    const after = await service.call(user, CreateWorkspaceDocument, { input: { name: "After" } });
    expect(dataOf(after).createWorkspace.name).toBe("After");
    const viewer = dataOf(await service.call(user, ViewerDocument)).viewer;
    expect(viewer.workspaces.map((w) => w.name)).toEqual(["Before", "After"]);
    expect(await readiness(service)).toBe(200);
  });

  it("recovers when every connection is dropped, and when new connections are refused for a while", async () => {
    const user = uniqueUser();
    expect(codesOf(await service.call(user, ViewerDocument))).toEqual([]);
    proxy.dropAll();
    proxy.refuse();
    const refused = await timed(() => service.call(user, ViewerDocument));
    expect(codesOf(refused.value)).toEqual(["SERVICE_UNAVAILABLE"]);
    expect(refused.ms).toBeLessThan(5000);
    proxy.resume();
    expect(codesOf(await service.call(user, ViewerDocument))).toEqual([]);
    expect(await readiness(service)).toBe(200);
  });
});

(TEST_DB === "sqlite" ? describe : describe.skip)("a locked SQLite database", () => {
  it("fails writes with SERVICE_UNAVAILABLE at the deadline while another process holds the lock, then recovers", async () => {
    const file = freshSqlitePath();
    const service = await startTestService({ SQLITE_PATH: file, DB_QUERY_TIMEOUT_MS: "500" });
    const other = new Database(file);
    try {
      const user = uniqueUser();
      other.exec("BEGIN EXCLUSIVE");
      const blocked = await timed(() => service.call(user, CreateWorkspaceDocument, { input: { name: "Blocked" } }));
      expect(codesOf(blocked.value)).toEqual(["SERVICE_UNAVAILABLE"]);
      expect(blocked.ms).toBeLessThan(5000);
      other.exec("ROLLBACK");
      const after = await service.call(user, CreateWorkspaceDocument, { input: { name: "After" } });
      expect(dataOf(after).createWorkspace.name).toBe("After");
      expect(dataOf(await service.call(user, ViewerDocument)).viewer.workspaces.map((w) => w.name)).toEqual(["After"]);
    } finally {
      other.close();
      await service.close();
    }
  });
});

describe("health endpoints", () => {
  it("answers /healthz always and /readyz when the database answers", async () => {
    const service = await startTestService();
    try {
      const health = await fetch(`${service.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      expect(await readiness(service)).toBe(200);
      const missing = await fetch(`${service.baseUrl}/nope`);
      expect(missing.status).toBe(404);
    } finally {
      await service.close();
    }
  });
});
