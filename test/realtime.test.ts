import {
  ChangeMemberRoleDocument,
  RemoveMemberDocument,
  RenameAccountDocument,
  RevokeAccountAccessDocument,
  ShareAccountDocument,
} from "../operations/generated";
import { AccountEventEntity } from "../src/events/event.entity";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildTeam } from "./support/factories";
import { dataOf } from "./support/graphql-client";
import { connectTestApp, reconnectTestApp, startOAuthWorld } from "./support/oauth-harness";
import WebSocket from "ws";
import { ACCOUNT_EVENTS, Subscriber, settle } from "./support/ws-client";

let world: Awaited<ReturnType<typeof startOAuthWorld>>;
const subscribers: Subscriber[] = [];
beforeAll(async () => {
  world = await startOAuthWorld({ env: { AUTH_FAILURE_THRESHOLD: "3" } });
}, 60_000);
afterEach(async () => {
  await world.provider.setTokenMode({ token: "normal" });
  await world.provider.grantScopes(null);
  for (const s of subscribers.splice(0)) await s.close();
});
afterAll(async () => {
  await world?.stop();
});

async function subscribe(user: string, workspaceId: string, variables: Record<string, unknown> = {}) {
  const subscriber = new Subscriber(world.service.url, await world.service.token(user)).subscribe(ACCOUNT_EVENTS, { workspaceId, ...variables });
  subscribers.push(subscriber);
  await settle(150); // the subscription is registered before the change happens
  return subscriber;
}

const accounts = () => world.service.dataSource.getRepository(AccountEntity);

describe("account events over graphql-ws", () => {
  it("delivers one ACCOUNT_RECONNECT_REQUIRED to the owner and members sharing the account, nothing to others", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    dataOf(await world.service.call(team.member.userId, ShareAccountDocument, { input: { accountId, memberIds: [team.admin.id] } }));
    const owner = await subscribe(team.member.userId, team.workspace.id, { kinds: ["ACCOUNT_RECONNECT_REQUIRED"] });
    const sharedWith = await subscribe(team.admin.userId, team.workspace.id, { kinds: ["ACCOUNT_RECONNECT_REQUIRED"] });
    const notShared = await subscribe(team.owner.userId, team.workspace.id, { kinds: ["ACCOUNT_RECONNECT_REQUIRED"] });
    const outsider = new Subscriber(world.service.url, await world.service.token(team.outsider.userId)).subscribe(ACCOUNT_EVENTS, { workspaceId: team.workspace.id });
    subscribers.push(outsider);

    await accounts().update({ id: accountId }, { expiresAt: new Date(Date.now() - 1000) });
    await world.provider.revokeAll();
    await expect(world.service.services.tokens.getAccessToken(accountId)).rejects.toMatchObject({ code: "CONFLICT" });

    await owner.waitFor((s) => s.events.length >= 1);
    await sharedWith.waitFor((s) => s.events.length >= 1);
    await settle();
    for (const s of [owner, sharedWith]) expect(s.events.map((e) => [e.kind, e.accountId])).toEqual([["ACCOUNT_RECONNECT_REQUIRED", accountId]]);
    // The workspace OWNER may view every account (SPEC §3), so they are told too; the outsider is not.
    expect(notShared.events.map((e) => e.kind)).toEqual(["ACCOUNT_RECONNECT_REQUIRED"]);
    expect(outsider.events).toEqual([]);
    expect(JSON.stringify(owner.events)).not.toMatch(/token/i);
  });

  it("a plain member the account is not shared with receives nothing about it", async () => {
    const team = await buildTeam(world.service);
    const watcher = await subscribe(team.member.userId, team.workspace.id);
    const account = await buildAccount(world.service, { workspaceId: team.workspace.id, owner: team.admin });
    dataOf(await world.service.call(team.admin.userId, RenameAccountDocument, { input: { accountId: account.id, nickname: "x" } }));
    dataOf(await world.service.call(team.admin.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.owner.id] } }));
    await settle(500);
    expect(watcher.events).toEqual([]);
  });

  it("delivers ACCOUNT_SCOPES_CHANGED with the added and removed scopes on a reconnect", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    const watcher = await subscribe(team.member.userId, team.workspace.id, { kinds: ["ACCOUNT_SCOPES_CHANGED"] });
    await world.provider.grantScopes(["openid", "profile"]);
    const result = await reconnectTestApp(world.service, world.provider, team.member.userId, accountId);
    expect(result.callback?.result?.status).toBe("success");
    await watcher.waitFor((s) => s.events.length >= 1);
    expect(watcher.events[0]).toMatchObject({ kind: "ACCOUNT_SCOPES_CHANGED", accountId, details: { added: [], removed: ["read"] } });
  });

  it("raises one ACCOUNT_AUTH_FAILED after repeated 5xx, then one ACCOUNT_RECOVERED", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    const watcher = await subscribe(team.member.userId, team.workspace.id, { kinds: ["ACCOUNT_AUTH_FAILED", "ACCOUNT_RECOVERED"] });
    await world.provider.setTokenMode({ token: "status", status: 503 });
    for (let attempt = 0; attempt < 5; attempt++) {
      await accounts().update({ id: accountId }, { expiresAt: new Date(Date.now() - 1000), nextRefreshAt: new Date(Date.now() - 1000) });
      await world.service.services.tokens.getAccessToken(accountId).catch(() => undefined);
    }
    await world.provider.setTokenMode({ token: "normal" });
    await accounts().update({ id: accountId }, { nextRefreshAt: new Date(Date.now() - 1000) });
    await world.service.services.tokens.getAccessToken(accountId);
    await watcher.waitFor((s) => s.events.length >= 2);
    await settle();
    expect(watcher.events.map((e) => e.kind)).toEqual(["ACCOUNT_AUTH_FAILED", "ACCOUNT_RECOVERED"]);
    expect(watcher.events[0]!.details).toMatchObject({ cause: "REPEATED_FAILURES", failures: 3 });
  });

  it("stops a member's events about an account as soon as their grant is revoked", async () => {
    const team = await buildTeam(world.service);
    const account = await buildAccount(world.service, { workspaceId: team.workspace.id, owner: team.admin, grants: [team.member.id] });
    const watcher = await subscribe(team.member.userId, team.workspace.id);
    dataOf(await world.service.call(team.admin.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.owner.id] } }));
    await watcher.waitFor((s) => s.events.length >= 1);
    dataOf(await world.service.call(team.admin.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.member.id] } }));
    dataOf(await world.service.call(team.admin.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.owner.id] } }));
    dataOf(await world.service.call(team.admin.userId, ShareAccountDocument, { input: { accountId: account.id, workspace: false, memberIds: [team.owner.id] } }));
    await settle(500);
    expect(watcher.events.map((e) => e.kind)).toEqual(["ACCOUNT_ACCESS_CHANGED"]);
  });

  it("resumes from a cursor: exactly the 50 events missed, in order, then live without a gap or duplicate", async () => {
    const team = await buildTeam(world.service);
    const account = await buildAccount(world.service, { workspaceId: team.workspace.id, owner: team.owner, grants: [WORKSPACE_GRANTEE] });
    const first = await subscribe(team.member.userId, team.workspace.id);
    dataOf(await world.service.call(team.owner.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
    await first.waitFor((s) => s.events.length === 1);
    const last = first.events[0]!.cursor;
    await first.close();
    for (let i = 0; i < 25; i++) {
      dataOf(await world.service.call(team.owner.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
      dataOf(await world.service.call(team.owner.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
    }
    const resumed = await subscribe(team.member.userId, team.workspace.id, { after: last });
    await resumed.waitFor((s) => s.events.length >= 50);
    dataOf(await world.service.call(team.owner.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
    await resumed.waitFor((s) => s.events.length >= 51);
    await settle();
    const cursors = resumed.events.map((e) => e.cursor);
    expect(cursors).toEqual(Array.from({ length: 51 }, (_, i) => last + 1 + i));
  });
});

describe("membership changes and retention", () => {
  it("stops a removed member's events, and a demoted admin's events about accounts they no longer see", async () => {
    const team = await buildTeam(world.service);
    const account = await buildAccount(world.service, { workspaceId: team.workspace.id, owner: team.owner, grants: [WORKSPACE_GRANTEE] });
    const privateOne = await buildAccount(world.service, { workspaceId: team.workspace.id, owner: team.owner });
    const member = await subscribe(team.member.userId, team.workspace.id);
    const admin = await subscribe(team.admin.userId, team.workspace.id, { accountIds: [privateOne.id] });
    dataOf(await world.service.call(team.owner.userId, RenameAccountDocument, { input: { accountId: account.id, nickname: "r" } }));
    dataOf(await world.service.call(team.owner.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
    dataOf(await world.service.call(team.owner.userId, ShareAccountDocument, { input: { accountId: privateOne.id, memberIds: [team.member.id] } }));
    await member.waitFor((s) => s.events.length === 2);
    await admin.waitFor((s) => s.events.length === 1);
    dataOf(await world.service.call(team.owner.userId, RemoveMemberDocument, { input: { memberId: team.member.id } }));
    dataOf(await world.service.call(team.owner.userId, ChangeMemberRoleDocument, { input: { memberId: team.admin.id, role: "MEMBER" } }));
    dataOf(await world.service.call(team.owner.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } }));
    dataOf(await world.service.call(team.owner.userId, RenameAccountDocument, { input: { accountId: privateOne.id, nickname: "p" } }));
    await settle(500);
    expect(member.events).toHaveLength(2);
    expect(admin.events).toHaveLength(1);
  });

  it("purges events older than the retention (EVENT_RETENTION_DAYS, test/retention.test.ts for the rest)", async () => {
    const team = await buildTeam(world.service);
    const account = await buildAccount(world.service, { workspaceId: team.workspace.id, owner: team.owner });
    dataOf(await world.service.call(team.owner.userId, ShareAccountDocument, { input: { accountId: account.id, workspace: true } }));
    const repo = world.service.dataSource.getRepository(AccountEventEntity);
    const [event] = await repo.findBy({ workspaceId: team.workspace.id });
    await repo.update({ id: event!.id }, { createdAt: new Date(Date.now() - 40 * 24 * 3600 * 1000) });
    await world.service.retention.purgeOnce();
    expect(await repo.countBy({ id: event!.id })).toBe(0);
  });
});

describe("graphql-ws connections", () => {
  async function closedWith(subscriber: Subscriber): Promise<number> {
    await subscriber.waitFor((s) => s.closed !== null || s.errors.length > 0, 8000);
    await settle(100);
    return subscriber.closed?.code ?? -1;
  }

  it("closes a connection whose connection_init carries a bad or expired token (4403), or none in time (4408)", async () => {
    const team = await buildTeam(world.service);
    const bad = new Subscriber(world.service.url, "not-a-token").subscribe(ACCOUNT_EVENTS, { workspaceId: team.workspace.id });
    const expired = new Subscriber(world.service.url, await world.service.token("someone", { expiresIn: -60 })).subscribe(ACCOUNT_EVENTS, { workspaceId: team.workspace.id });
    subscribers.push(bad, expired);
    expect(await closedWith(bad)).toBe(4403);
    expect(await closedWith(expired)).toBe(4403);
    // No connection_init at all: a raw socket that never speaks.
    const raw = new WebSocket(world.service.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const code = await new Promise<number>((resolve) => raw.on("close", (c: number) => resolve(c)));
    expect(code).toBe(4408);
    // The server is unharmed.
    const good = await subscribe(team.member.userId, team.workspace.id);
    expect(good.closed).toBeNull();
  });

  it("closes on an oversized message, and refuses subscriptions past the limit", async () => {
    const team = await buildTeam(world.service);
    const big = new Subscriber(world.service.url, await world.service.token(team.member.userId), { connectionParams: { authorization: `Bearer ${await world.service.token(team.member.userId)}`, padding: "x".repeat(200_000) } });
    big.subscribe(ACCOUNT_EVENTS, { workspaceId: team.workspace.id });
    subscribers.push(big);
    expect(await closedWith(big)).toBe(1009);

    const many = new Subscriber(world.service.url, await world.service.token(team.member.userId));
    subscribers.push(many);
    for (let i = 0; i < 21; i++) many.subscribe(ACCOUNT_EVENTS, { workspaceId: team.workspace.id });
    await many.waitFor((s) => s.errors.length >= 1);
    expect(JSON.stringify(many.errors)).toMatch(/At most 20 subscriptions per connection/);
  });
});
