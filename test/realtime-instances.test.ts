import { RevokeAccountAccessDocument, ShareAccountDocument } from "../operations/generated";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildTeam } from "./support/factories";
import { FaultProxy } from "./support/fault-proxy";
import { dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { ACCOUNT_EVENTS, Subscriber, settle } from "./support/ws-client";

let redisProxy: FaultProxy;
let a: TestService;
let b: TestService;
const subscribers: Subscriber[] = [];

beforeAll(async () => {
  // Each instance reaches Redis through a proxy the test can cut, as a Redis restart would.
  redisProxy = await new FaultProxy("127.0.0.1", 6379).start();
  // The head poll is off here: these tests are about what notices alone do (see the last test for the poll).
  const redis = { REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, EVENT_POLL_MS: "0" };
  a = await startTestService(redis);
  const shared: Record<string, string> = a.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(a.dataSource.options.database) } : {};
  b = await startTestService({ ...redis, ...shared });
}, 30_000);
afterAll(async () => {
  for (const s of subscribers) await s.close();
  redisProxy?.resume();
  await a?.close();
  await b?.close();
  await redisProxy?.stop();
});

describe("events across instances through Redis", () => {
  it("delivers a change made on one instance to a subscriber on the other, and fills what Redis dropped from the log", async () => {
    const team = await buildTeam(a);
    const account = await buildAccount(a, { workspaceId: team.workspace.id, owner: team.owner, grants: [WORKSPACE_GRANTEE] });
    const subscriber = new Subscriber(b.url, await b.token(team.member.userId)).subscribe(ACCOUNT_EVENTS, { workspaceId: team.workspace.id });
    subscribers.push(subscriber);
    await settle(200);

    const share = () => a.call(team.owner.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } });
    const revoke = () => a.call(team.owner.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } });
    dataOf(await share());
    await subscriber.waitFor((s) => s.events.length === 1);

    // Redis goes away: notices published meanwhile are lost, the log keeps the events.
    redisProxy.refuse();
    redisProxy.dropAll();
    dataOf(await revoke());
    dataOf(await share());
    dataOf(await revoke());
    await settle(300);
    expect(subscriber.events).toHaveLength(1);

    // Redis is back: the next notice makes the subscriber read everything after its cursor.
    redisProxy.resume();
    await settle(2500); // ioredis reconnects and re-subscribes
    dataOf(await share());
    await subscriber.waitFor((s) => s.events.length === 5, 10_000);
    const cursors = subscriber.events.map((e) => e.cursor);
    expect(cursors).toEqual(Array.from({ length: 5 }, (_, i) => cursors[0]! + i));
    expect(subscriber.events.map((e) => (e.details.granted as string[]).length > 0 ? "granted" : "revoked")).toEqual([
      "granted",
      "revoked",
      "granted",
      "revoked",
      "granted",
    ]);
  });

  it("delivers across instances with Redis down, within the head poll's interval, from the log", async () => {
    // Two more instances on the same database and the same (cut) Redis, polling log heads every 300 ms.
    const polling = { REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, EVENT_POLL_MS: "300" };
    const shared: Record<string, string> = a.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(a.dataSource.options.database) } : {};
    const c = await startTestService({ ...polling, ...shared });
    const d = await startTestService({ ...polling, ...shared });
    try {
      const team = await buildTeam(c);
      const account = await buildAccount(c, { workspaceId: team.workspace.id, owner: team.owner, grants: [WORKSPACE_GRANTEE] });
      const subscriber = new Subscriber(d.url, await d.token(team.member.userId)).subscribe(ACCOUNT_EVENTS, { workspaceId: team.workspace.id });
      subscribers.push(subscriber);
      await settle(200);
      redisProxy.refuse();
      redisProxy.dropAll();
      for (let i = 0; i < 3; i++) {
        dataOf(await c.call(team.owner.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
        // Within a few poll intervals, while Redis is still down (the notice never comes).
        await subscriber.waitFor((s) => s.events.length === 2 * i + 1, 3000);
        dataOf(await c.call(team.owner.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
        await subscriber.waitFor((s) => s.events.length === 2 * i + 2, 3000);
      }
      const cursors = subscriber.events.map((e) => e.cursor);
      expect(cursors).toEqual(Array.from({ length: 6 }, (_, i) => cursors[0]! + i));
    } finally {
      redisProxy.resume();
      await c.close();
      await d.close();
    }
  });
});
