import {
  AccountDocument,
  AccountsDocument,
  AuditTrailDocument,
  ConnectKeyAccountDocument,
  DeleteAccountDocument,
  ImportLegacyAccountsDocument,
  ReconnectKeyAccountDocument,
  RemoveMemberDocument,
  RenameAccountDocument,
  RevokeAccountAccessDocument,
  ShareAccountDocument,
  UpdateWorkspaceSettingsDocument,
} from "../operations/generated";
import { AccountSecretEntity } from "../src/modules/accounts/account-secret.entity";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { GrantEntity, WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildTeam, sendgridKey } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { codesOf, dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
let linode: FakeApp;
beforeAll(async () => {
  linode = await new FakeApp().start();
  service = await startTestService({ APP_BASE_URL_OVERRIDES: JSON.stringify({ linode: linode.url }), PROVIDER_TIMEOUT_MS: "1000" });
});
afterAll(async () => {
  await service?.close();
  await linode?.stop();
});

const accountCount = (workspaceId: string) => service.dataSource.getRepository(AccountEntity).countBy({ workspaceId });
const secretCount = (accountId: string) => service.dataSource.getRepository(AccountSecretEntity).countBy({ accountId });
const granteesOf = async (accountId: string) =>
  (await service.dataSource.getRepository(GrantEntity).findBy({ accountId })).map((g) => g.granteeKey).sort();

describe("connecting a key-based account", () => {
  it("connects a private account owned by the caller, with sealed credentials", async () => {
    const team = await buildTeam(service);
    const key = sendgridKey();
    const result = await service.call(team.member.userId, ConnectKeyAccountDocument, {
      input: { workspaceId: team.workspace.id, appSlug: "sendgrid", nickname: "Mail", credentials: [{ name: "api_key", value: key }], verify: false },
    });
    const account = dataOf(result).connectKeyAccount;
    expect(account).toMatchObject({ nickname: "Mail", appSlug: "sendgrid", isLegacy: false, shared: "PRIVATE", grants: [] });
    expect(account.owner?.id).toBe(team.member.id);
    expect(account.health.status).toBe("HEALTHY");
    expect(account.viewerCan).toMatchObject({ view: true, manageAccess: true, readCredentials: true, delete: true });
    expect(result.text).not.toContain(key);
    expect(await secretCount(account.id)).toBe(1);
    expect(await service.services.vault.open(service.dataSource, { id: account.id, workspaceId: team.workspace.id })).toEqual({ api_key: key });
  });

  it.each([
    ["a missing field", [], /required/],
    ["an unknown field", [{ name: "password", value: "x" }], /no credential field "password"/],
    ["a malformed value", [{ name: "api_key", value: "not-a-sendgrid-key" }], /not in the expected format/],
    ["an empty value", [{ name: "api_key", value: "   " }], /required/],
  ])("refuses %s with BAD_USER_INPUT and stores nothing", async (_label, credentials, message) => {
    const team = await buildTeam(service);
    const result = await service.call(team.member.userId, ConnectKeyAccountDocument, {
      input: { workspaceId: team.workspace.id, appSlug: "sendgrid", credentials, verify: false },
    });
    expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.message).toMatch(message);
    expect(await accountCount(team.workspace.id)).toBe(0);
  });

  it("refuses an OAuth app (BAD_USER_INPUT), an unknown app and another workspace (NOT_FOUND)", async () => {
    const team = await buildTeam(service);
    const creds = [{ name: "api_key", value: sendgridKey() }];
    const oauth = await service.call(team.member.userId, ConnectKeyAccountDocument, { input: { workspaceId: team.workspace.id, appSlug: "github", credentials: creds } });
    expect(codesOf(oauth)).toEqual(["BAD_USER_INPUT"]);
    const unknown = await service.call(team.member.userId, ConnectKeyAccountDocument, { input: { workspaceId: team.workspace.id, appSlug: "nope", credentials: creds } });
    expect(codesOf(unknown)).toEqual(["NOT_FOUND"]);
    const foreign = await service.call(team.outsider.userId, ConnectKeyAccountDocument, { input: { workspaceId: team.workspace.id, appSlug: "sendgrid", credentials: creds } });
    expect(codesOf(foreign)).toEqual(["NOT_FOUND"]);
    expect(await accountCount(team.workspace.id)).toBe(0);
  });

  it("checks the credentials against the app and records the external identity", async () => {
    const team = await buildTeam(service);
    linode.handler = (req) =>
      req.headers.authorization === "Bearer good-token" ? { status: 200, body: { uid: 4242, username: "ops-team" } } : { status: 401, body: {} };
    const ok = await service.call(team.member.userId, ConnectKeyAccountDocument, {
      input: { workspaceId: team.workspace.id, appSlug: "linode", credentials: [{ name: "access_token", value: "good-token" }] },
    });
    expect(dataOf(ok).connectKeyAccount.externalIdentity).toEqual({ id: "4242", displayName: "ops-team" });
    expect(linode.requests.at(-1)).toMatchObject({ method: "GET", url: "/profile" });

    const rejected = await service.call(team.member.userId, ConnectKeyAccountDocument, {
      input: { workspaceId: team.workspace.id, appSlug: "linode", credentials: [{ name: "access_token", value: "bad-token" }] },
    });
    expect(codesOf(rejected)).toEqual(["BAD_USER_INPUT"]);
    expect(rejected.errors?.[0]?.message).toMatch(/rejected these credentials/);
    expect(await accountCount(team.workspace.id)).toBe(1);
  });

  it("answers PROVIDER_UNAVAILABLE when the app fails or hangs, within the deadline, storing nothing", async () => {
    const team = await buildTeam(service);
    for (const handler of [() => ({ status: 503 }), () => ({ status: 200, hang: true })]) {
      linode.handler = handler;
      const started = Date.now();
      const result = await service.call(team.member.userId, ConnectKeyAccountDocument, {
        input: { workspaceId: team.workspace.id, appSlug: "linode", credentials: [{ name: "access_token", value: "tok" }] },
      });
      expect(codesOf(result)).toEqual(["PROVIDER_UNAVAILABLE"]);
      expect(Date.now() - started).toBeLessThan(5000);
    }
    expect(await accountCount(team.workspace.id)).toBe(0);
  });
});

describe("the accounts list", () => {
  it("shows OWNER/ADMIN every account and a member only theirs and those shared with them; others are absent", async () => {
    const team = await buildTeam(service);
    const mine = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.member, nickname: "Mine" });
    const adminsPrivate = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.admin, nickname: "Admin private" });
    const sharedAll = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.admin, nickname: "For all", grants: [WORKSPACE_GRANTEE] });
    const sharedMe = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, nickname: "For member", grants: [team.member.id] });
    const ids = async (user: string) =>
      dataOf(await service.call(user, AccountsDocument, { workspaceId: team.workspace.id })).accounts.nodes.map((n) => n.id);
    expect(await ids(team.member.userId)).toEqual([sharedMe.id, sharedAll.id, mine.id]);
    expect(await ids(team.admin.userId)).toEqual([sharedMe.id, sharedAll.id, adminsPrivate.id, mine.id]);
    const page = dataOf(await service.call(team.member.userId, AccountsDocument, { workspaceId: team.workspace.id }));
    const row = page.accounts.nodes.find((n) => n.id === sharedMe.id)!;
    expect(row.owner?.id).toBe(team.owner.id);
    expect(row).toMatchObject({ shared: "MEMBERS", sharedWithViewer: true });
    expect(row.grants.map((g) => g.member?.id)).toEqual([team.member.id]);
  });

  it("filters by app, owner, sharing state, health and nickname, and pages without gaps", async () => {
    const team = await buildTeam(service);
    const a = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, nickname: "Billing mail" });
    const b = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.admin, nickname: "Ops 100% mail", grants: [WORKSPACE_GRANTEE] });
    const c = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, nickname: "Linode", appSlug: "linode", credentials: { access_token: "t" }, grants: [team.member.id] });
    await service.dataSource.getRepository(AccountEntity).update({ id: c.id }, { healthStatus: "DEGRADED" });
    const list = async (filter: Record<string, unknown>) =>
      dataOf(await service.call(team.owner.userId, AccountsDocument, { workspaceId: team.workspace.id, filter })).accounts.nodes.map((n) => n.id);
    expect(await list({ appSlug: "linode" })).toEqual([c.id]);
    expect(await list({ ownerMemberId: team.admin.id })).toEqual([b.id]);
    expect(await list({ shared: "PRIVATE" })).toEqual([a.id]);
    expect(await list({ shared: "WORKSPACE" })).toEqual([b.id]);
    expect(await list({ shared: "MEMBERS" })).toEqual([c.id]);
    expect(await list({ health: "DEGRADED" })).toEqual([c.id]);
    expect(await list({ search: "mail" })).toEqual([b.id, a.id]);
    expect(await list({ search: "100%" })).toEqual([b.id]);
    expect(await list({ search: "%" })).toEqual([b.id]);

    const seen: string[] = [];
    let after: string | null | undefined;
    do {
      const page = dataOf(await service.call(team.owner.userId, AccountsDocument, { workspaceId: team.workspace.id, page: { first: 1, after } })).accounts;
      seen.push(...page.nodes.map((n) => n.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual([c.id, b.id, a.id]);
  });
});

describe("managing an account", () => {
  it("renames (trimmed; empty refused), reconnects with the same id, and deletes with its secrets and grants", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.member, grants: [WORKSPACE_GRANTEE] });
    expect(dataOf(await service.call(team.member.userId, RenameAccountDocument, { input: { accountId: account.id, nickname: "  New name " } })).renameAccount.nickname).toBe("New name");
    expect(codesOf(await service.call(team.member.userId, RenameAccountDocument, { input: { accountId: account.id, nickname: " " } }))).toEqual(["BAD_USER_INPUT"]);

    const key = sendgridKey();
    const reconnected = dataOf(
      await service.call(team.member.userId, ReconnectKeyAccountDocument, { input: { accountId: account.id, credentials: [{ name: "api_key", value: key }], verify: false } }),
    ).reconnectKeyAccount;
    expect(reconnected).toMatchObject({ claimed: false, account: { id: account.id, nickname: "New name" } });
    expect(await service.services.vault.open(service.dataSource, account)).toEqual({ api_key: key });

    expect(dataOf(await service.call(team.member.userId, DeleteAccountDocument, { input: { accountId: account.id } })).deleteAccount.accountId).toBe(account.id);
    expect(await secretCount(account.id)).toBe(0);
    expect(await granteesOf(account.id)).toEqual([]);
    expect(codesOf(await service.call(team.member.userId, AccountDocument, { id: account.id }))).toEqual(["NOT_FOUND"]);
  });

  it("shares and revokes; outsiders, duplicates and missing grants are refused and change nothing", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const share = (input: Record<string, unknown>) => service.call(team.owner.userId, ShareAccountDocument, { input: { accountId: account.id, ...input } });
    const revoke = (input: Record<string, unknown>) => service.call(team.owner.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, ...input } });

    expect(codesOf(await service.call(team.member.userId, AccountDocument, { id: account.id }))).toEqual(["NOT_FOUND"]);
    expect(dataOf(await share({ memberIds: [team.member.id] })).shareAccount.shared).toBe("MEMBERS");
    expect(codesOf(await service.call(team.member.userId, AccountDocument, { id: account.id }))).toEqual([]);

    expect(codesOf(await share({ memberIds: [team.outsider.id] }))).toEqual(["BAD_USER_INPUT"]);
    expect(codesOf(await share({ workspace: true, memberIds: [team.member.id] }))).toEqual(["CONFLICT"]);
    expect(codesOf(await share({ memberIds: [team.owner.id] }))).toEqual(["BAD_USER_INPUT"]);
    expect(codesOf(await share({}))).toEqual(["BAD_USER_INPUT"]);
    expect(codesOf(await revoke({ workspace: true }))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await revoke({ memberIds: [team.member.id, team.admin.id] }))).toEqual(["NOT_FOUND"]);
    expect(await granteesOf(account.id)).toEqual([team.member.id]);

    expect(dataOf(await revoke({ memberIds: [team.member.id] })).revokeAccountAccess.shared).toBe("PRIVATE");
    expect(codesOf(await service.call(team.member.userId, AccountDocument, { id: account.id }))).toEqual(["NOT_FOUND"]);
    // The grant rows go with a member who leaves the workspace.
    await share({ memberIds: [team.member.id] });
    dataOf(await service.call(team.member.userId, RemoveMemberDocument, { input: { memberId: team.member.id } }));
    expect(await granteesOf(account.id)).toEqual([]);
  });

  it("turns an owner's accounts into ownerless (legacy) accounts when the owner leaves", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.admin, grants: [WORKSPACE_GRANTEE] });
    dataOf(await service.call(team.admin.userId, RemoveMemberDocument, { input: { memberId: team.admin.id } }));
    const seen = dataOf(await service.call(team.member.userId, AccountDocument, { id: account.id })).account;
    expect(seen).toMatchObject({ isLegacy: true, owner: null });
    expect(seen.viewerCan).toMatchObject({ view: true, reconnect: true, manageAccess: false });
  });

  it("lets only the OWNER change adminsManageAccess, which then lets admins manage access", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.member });
    const toggle = (user: string, on: boolean) =>
      service.call(user, UpdateWorkspaceSettingsDocument, { input: { workspaceId: team.workspace.id, adminsManageAccess: on } });
    expect(codesOf(await toggle(team.admin.userId, true))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await service.call(team.admin.userId, ShareAccountDocument, { input: { accountId: account.id, workspace: true } }))).toEqual(["FORBIDDEN"]);
    expect(dataOf(await toggle(team.owner.userId, true)).updateWorkspaceSettings.settings.adminsManageAccess).toBe(true);
    expect(dataOf(await service.call(team.admin.userId, ShareAccountDocument, { input: { accountId: account.id, workspace: true } })).shareAccount.shared).toBe("WORKSPACE");
  });
});

describe("legacy accounts", () => {
  it("imports ownerless, workspace-shared accounts (OWNER/ADMIN only), keeping their creation date", async () => {
    const team = await buildTeam(service);
    const input = {
      workspaceId: team.workspace.id,
      accounts: [
        { appSlug: "sendgrid", nickname: "Old mail", credentials: [{ name: "api_key", value: sendgridKey() }], createdAt: "2023-05-01T10:00:00.000Z" },
        { appSlug: "github", nickname: "Old GitHub", credentials: [{ name: "oauth_access_token", value: "gho_old" }] },
      ],
    };
    expect(codesOf(await service.call(team.member.userId, ImportLegacyAccountsDocument, { input }))).toEqual(["FORBIDDEN"]);
    const bad = { ...input, accounts: [...input.accounts, { appSlug: "sendgrid", nickname: "Broken", credentials: [] }] };
    expect(codesOf(await service.call(team.admin.userId, ImportLegacyAccountsDocument, { input: bad }))).toEqual(["BAD_USER_INPUT"]);
    expect(await accountCount(team.workspace.id)).toBe(0);

    const imported = dataOf(await service.call(team.admin.userId, ImportLegacyAccountsDocument, { input })).importLegacyAccounts;
    expect(imported.map((a) => [a.nickname, a.isLegacy, a.shared])).toEqual([
      ["Old mail", true, "WORKSPACE"],
      ["Old GitHub", true, "WORKSPACE"],
    ]);
    expect(imported[0]!.createdAt).toBe("2023-05-01T10:00:00.000Z");
    // The OAuth import has no known identity: only OWNER/ADMIN may claim it.
    const asMember = dataOf(await service.call(team.member.userId, AccountDocument, { id: imported[1]!.id })).account.viewerCan;
    const asAdmin = dataOf(await service.call(team.admin.userId, AccountDocument, { id: imported[1]!.id })).account.viewerCan;
    expect([asMember.reconnect, asAdmin.reconnect]).toEqual([false, true]);
  });

  it("is claimed by reconnecting with the same key: the claimer owns it and it keeps its grants", async () => {
    const team = await buildTeam(service);
    const key = sendgridKey();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: null, credentials: { api_key: key }, grants: [WORKSPACE_GRANTEE, team.admin.id] });
    const claim = (value: string) =>
      service.call(team.member.userId, ReconnectKeyAccountDocument, { input: { accountId: account.id, credentials: [{ name: "api_key", value }], verify: false } });

    const wrong = await claim(sendgridKey());
    expect(codesOf(wrong)).toEqual(["FORBIDDEN"]);
    expect(wrong.errors?.[0]?.extensions?.details).toEqual({ reason: "IDENTITY_MISMATCH" });
    const untouched = await service.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: account.id });
    expect(untouched.ownerMemberId).toBeNull();
    expect(await service.services.vault.open(service.dataSource, account)).toEqual({ api_key: key });

    const claimed = dataOf(await claim(key)).reconnectKeyAccount;
    expect(claimed.claimed).toBe(true);
    expect(claimed.account.owner?.id).toBe(team.member.id);
    expect(claimed.account.isLegacy).toBe(false);
    expect(claimed.account.viewerCan.manageAccess).toBe(true);
    expect(await granteesOf(account.id)).toEqual([WORKSPACE_GRANTEE, team.admin.id].sort());
    // Now owned, the account is managed by its new owner only.
    expect(codesOf(await service.call(team.admin.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.owner.id] } }))).toEqual(["FORBIDDEN"]);
  });
});

describe("the audit trail", () => {
  it("records who did what to which account, readable by OWNER/ADMIN with filters, never with a secret", async () => {
    const team = await buildTeam(service);
    const key = sendgridKey();
    const account = dataOf(
      await service.call(team.member.userId, ConnectKeyAccountDocument, {
        input: { workspaceId: team.workspace.id, appSlug: "sendgrid", credentials: [{ name: "api_key", value: key }], verify: false },
      }),
    ).connectKeyAccount;
    await service.call(team.member.userId, RenameAccountDocument, { input: { accountId: account.id, nickname: "Renamed" } });
    await service.call(team.member.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } });
    await service.call(team.member.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.admin.id] } });
    await service.call(team.owner.userId, DeleteAccountDocument, { input: { accountId: account.id } });

    const trail = await service.call(team.admin.userId, AuditTrailDocument, { workspaceId: team.workspace.id, filter: { accountId: account.id } });
    const nodes = dataOf(trail).auditTrail.nodes;
    expect(nodes.map((n) => [n.action, n.actorUserId])).toEqual([
      ["ACCOUNT_DELETED", team.owner.userId],
      ["ACCOUNT_ACCESS_REVOKED", team.member.userId],
      ["ACCOUNT_SHARED", team.member.userId],
      ["ACCOUNT_RENAMED", team.member.userId],
      ["ACCOUNT_CONNECTED", team.member.userId],
    ]);
    expect(nodes[2]!.details).toEqual({ workspace: false, memberIds: [team.admin.id] });
    expect(trail.text).not.toContain(key);
    const byOwner = dataOf(await service.call(team.owner.userId, AuditTrailDocument, { workspaceId: team.workspace.id, filter: { actorUserId: team.owner.userId } })).auditTrail.nodes;
    expect(byOwner.map((n) => n.action)).toEqual(["ACCOUNT_DELETED"]);
    expect(codesOf(await service.call(team.member.userId, AuditTrailDocument, { workspaceId: team.workspace.id }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await service.call(team.outsider.userId, AuditTrailDocument, { workspaceId: team.workspace.id }))).toEqual(["NOT_FOUND"]);
  });
});

describe("isolation between workspaces", () => {
  it("answers NOT_FOUND to every account operation and entity lookup with another workspace's ids, changing nothing", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, grants: [WORKSPACE_GRANTEE], nickname: "Theirs" });
    const stranger = team.outsider.userId;
    const input = { accountId: account.id };
    const attempts = await Promise.all([
      service.call(stranger, AccountDocument, { id: account.id }),
      service.call(stranger, AccountsDocument, { workspaceId: team.workspace.id }),
      service.call(stranger, RenameAccountDocument, { input: { ...input, nickname: "Mine now" } }),
      service.call(stranger, DeleteAccountDocument, { input }),
      service.call(stranger, ShareAccountDocument, { input: { ...input, memberIds: [team.outsider.id] } }),
      service.call(stranger, RevokeAccountAccessDocument, { input: { ...input, workspace: true } }),
      service.call(stranger, ReconnectKeyAccountDocument, { input: { ...input, credentials: [{ name: "api_key", value: sendgridKey() }], verify: false } }),
      service.call(stranger, ImportLegacyAccountsDocument, { input: { workspaceId: team.workspace.id, accounts: [{ appSlug: "sendgrid", nickname: "x", credentials: [{ name: "api_key", value: sendgridKey() }] }] } }),
      service.call(stranger, AuditTrailDocument, { workspaceId: team.workspace.id }),
      service.call(stranger, UpdateWorkspaceSettingsDocument, { input: { workspaceId: team.workspace.id, adminsManageAccess: true } }),
      service.call(stranger, ConnectKeyAccountDocument, { input: { workspaceId: team.workspace.id, appSlug: "sendgrid", credentials: [{ name: "api_key", value: sendgridKey() }], verify: false } }),
    ]);
    for (const result of attempts) expect(codesOf(result)).toEqual(["NOT_FOUND"]);
    const entities = await service.call(stranger, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id nickname } } }`, {
      r: [{ __typename: "Account", id: account.id }],
    });
    expect(codesOf(entities)).toEqual(["NOT_FOUND"]);
    expect(entities.text).not.toContain("Theirs");
    const after = await service.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: account.id });
    expect(after).toMatchObject({ nickname: "Theirs", ownerMemberId: team.owner.id, version: 1 });
    expect(await granteesOf(account.id)).toEqual([WORKSPACE_GRANTEE]);
    expect(await accountCount(team.workspace.id)).toBe(1);
  });
});
