// The client's HTTP side and its cursor stores, against a real service where it matters.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ConnectedAccountsError, createConnectedAccounts, defaultCursorKey, localStorageCursorStore } from "@connected-accounts/client";
import { AccountDocument, CreateWorkspaceDocument, ViewerDocument } from "@connected-accounts/client/operations";
import { startService, TestIssuer, uniqueUser, type ServiceProcess } from "./support/service.js";

const issuer = new TestIssuer();
let service: ServiceProcess;

before(async () => {
  service = await startService(issuer);
});
after(async () => {
  await service?.stop();
});

describe("request", () => {
  it("sends a typed operation with the token getToken gives, and answers its data", async () => {
    const user = uniqueUser("alice");
    let calls = 0;
    const client = createConnectedAccounts({ url: service.url, getToken: async () => (calls++, issuer.token(user)) });
    const created = await client.request(CreateWorkspaceDocument, { input: { name: "Typed" } });
    assert.equal(created.createWorkspace.viewerRole, "OWNER");
    const viewer = await client.request(ViewerDocument);
    assert.equal(viewer.viewer.userId, user);
    assert.deepEqual(
      viewer.viewer.workspaces.map((w) => w.id),
      [created.createWorkspace.id],
    );
    assert.equal(calls, 2);
  });

  it("rejects with the service's error code", async () => {
    const client = createConnectedAccounts({ url: service.url, getToken: async () => issuer.token(uniqueUser("bob")) });
    const error = await client.request(AccountDocument, { id: "00000000-0000-0000-0000-000000000000" }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConnectedAccountsError);
    assert.equal(error.code, "NOT_FOUND");
  });

  it("asks for a token again once after a 401, then reports UNAUTHENTICATED", async () => {
    const tokens = ["not-a-token", "still-not-a-token"];
    const client = createConnectedAccounts({ url: service.url, getToken: async () => tokens.shift() ?? "none-left" });
    const error = await client.request(ViewerDocument).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConnectedAccountsError);
    assert.equal(error.code, "UNAUTHENTICATED");
    assert.deepEqual(tokens, []);
  });

  it("reports an unreachable service as NETWORK_ERROR", async () => {
    const client = createConnectedAccounts({ url: "http://127.0.0.1:9/graphql", getToken: async () => "t" });
    const error = await client.request(ViewerDocument).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConnectedAccountsError);
    assert.equal(error.code, "NETWORK_ERROR");
  });
});

describe("cursor stores", () => {
  it("keep cursors in localStorage when there is one, in memory when there is none", () => {
    const memoryBacked = localStorageCursorStore();
    assert.equal(memoryBacked.load("k"), null);
    memoryBacked.save("k", 7);
    assert.equal(memoryBacked.load("k"), 7);

    const items = new Map<string, string>();
    const fake = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
    (globalThis as { localStorage?: unknown }).localStorage = fake;
    try {
      const store = localStorageCursorStore();
      store.save("k", 12);
      assert.equal(items.get("k"), "12");
      assert.equal(store.load("k"), 12);
      items.set("k", "garbage");
      assert.equal(store.load("k"), null);
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it("derive one key per workspace and filter, whatever the filter's order", () => {
    assert.equal(
      defaultCursorKey({ workspaceId: "w", kinds: ["ACCOUNT_DELETED", "ACCOUNT_CONNECTED"] }),
      defaultCursorKey({ workspaceId: "w", kinds: ["ACCOUNT_CONNECTED", "ACCOUNT_DELETED"] }),
    );
    assert.notEqual(defaultCursorKey({ workspaceId: "w" }), defaultCursorKey({ workspaceId: "w", accountIds: ["a"] }));
  });
});
