/**
 * SPEC §3, cell by cell: every viewer kind × every account kind × every operation, for both values
 * of the workspace setting `adminsManageAccess`. Each cell checks the capability flag the API
 * reports and, where the API has the operation, what the API actually allows.
 */
import {
  AccountDocument,
  AccountsDocument,
  DeleteAccountDocument,
  ReconnectKeyAccountDocument,
  RenameAccountDocument,
  ShareAccountDocument,
} from "../operations/generated";
import { ACCOUNT_MATRIX, ACCOUNT_OPERATIONS, type AccountOperation } from "../src/authz/account-matrix";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import type { MemberEntity } from "../src/modules/workspaces/member.entity";
import { buildAccount, buildMember, buildWorkspace, sendgridKey } from "./support/factories";
import { codesOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { ACCOUNTS, SPEC_TABLE, VIEWERS, expected } from "./support/spec-matrix";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

it("the code's matrix is the matrix SPEC §3 prints", () => {
  for (const op of ACCOUNT_OPERATIONS) {
    const row = ACCOUNT_MATRIX[op];
    expect([row.notShared.admin, row.notShared.member, row.shared.admin, row.shared.member]).toEqual(SPEC_TABLE[op]);
  }
});

const cells = [false, true].flatMap((setting) => VIEWERS.flatMap((viewer) => ACCOUNTS.map((kind) => [viewer, kind, setting] as const)));

describe.each(cells)("viewer %s × account %s (adminsManageAccess=%s)", (viewerKind, kind, adminsManageAccess) => {
  it("capability flags and the API agree with SPEC §3", async () => {
    const { workspace, owner: wsOwner } = await buildWorkspace(service, { adminsManageAccess });
    const admin = await buildMember(service, workspace.id, { role: "ADMIN" });
    const member = await buildMember(service, workspace.id, { role: "MEMBER" });
    const withGrant = await buildMember(service, workspace.id, { role: "MEMBER" });
    const accountOwner = await buildMember(service, workspace.id, { role: "MEMBER" });
    const bystander = await buildMember(service, workspace.id, { role: "MEMBER" });
    const outsider = (await buildWorkspace(service)).owner;
    const viewer: MemberEntity = { accountOwner, OWNER: wsOwner, ADMIN: admin, MEMBER: member, MEMBER_WITH_GRANT: withGrant, outsider }[viewerKind];

    const makeAccount = async () => {
      const key = sendgridKey();
      const grants: string[] = [];
      if (kind === "workspace" || kind === "legacy") grants.push(WORKSPACE_GRANTEE);
      if (kind === "viewer" && viewer !== accountOwner && viewer !== outsider) grants.push(viewer.id);
      if (kind === "otherMember") grants.push(bystander.id);
      if (viewerKind === "MEMBER_WITH_GRANT" && !grants.includes(withGrant.id)) grants.push(withGrant.id);
      const account = await buildAccount(service, {
        workspaceId: workspace.id,
        owner: kind === "legacy" ? null : accountOwner,
        credentials: { api_key: key },
        grants,
      });
      return { account, key };
    };
    const call = <T, V>(doc: Parameters<TestService["call"]>[1], variables: V) => service.call<T, V>(viewer.userId, doc as never, variables);
    const outcome = (result: { errors?: unknown[] | undefined; data?: unknown }, allowed: boolean, view: boolean) => {
      if (allowed) expect(codesOf(result as never)).toEqual([]);
      else expect(codesOf(result as never)).toEqual([view ? "FORBIDDEN" : "NOT_FOUND"]);
    };

    const want = Object.fromEntries(ACCOUNT_OPERATIONS.map((op) => [op, expected(viewerKind, kind, op, adminsManageAccess)])) as Record<AccountOperation, boolean>;

    // view + flags: the account answers (with its flags) or is NOT_FOUND, and is on the list or absent.
    const { account } = await makeAccount();
    const read = await service.call(viewer.userId, AccountDocument, { id: account.id });
    if (want.view) {
      expect(read.data?.account.viewerCan).toEqual(want);
    } else {
      expect(codesOf(read)).toEqual(["NOT_FOUND"]);
    }
    const list = await service.call(viewer.userId, AccountsDocument, { workspaceId: workspace.id });
    if (viewerKind === "outsider") expect(codesOf(list)).toEqual(["NOT_FOUND"]);
    else expect(list.data?.accounts.nodes.some((n) => n.id === account.id)).toBe(want.view);

    // rename
    const rename = await call(RenameAccountDocument, { input: { accountId: account.id, nickname: "Renamed" } });
    outcome(rename, want.rename, want.view);

    // manage access: share with the bystander (a member the account is not yet shared with)
    if (kind !== "otherMember") {
      const share = await call(ShareAccountDocument, { input: { accountId: account.id, memberIds: [bystander.id] } });
      outcome(share, want.manageAccess, want.view);
    }

    // reconnect (for a legacy account: claim) with the same key
    const second = await makeAccount();
    const reconnect = await call(ReconnectKeyAccountDocument, {
      input: { accountId: second.account.id, credentials: [{ name: "api_key", value: second.key }], verify: false },
    });
    outcome(reconnect, want.reconnect, want.view);

    // delete
    const third = await makeAccount();
    const del = await call(DeleteAccountDocument, { input: { accountId: third.account.id } });
    outcome(del, want.delete, want.view);
    const stillThere = await service.dataSource.query(
      service.dataSource.options.type === "mariadb" ? "SELECT COUNT(*) AS n FROM account_secrets WHERE account_id = ?" : 'SELECT COUNT(*) AS n FROM "account_secrets" WHERE account_id = ?',
      [third.account.id],
    );
    expect(Number((stillThere as Array<{ n: number }>)[0]!.n)).toBe(want.delete ? 0 : 1);
  });
});
