import {
  AccessChangeImpactDocument,
  AccountUsageDocument,
  AddStepDocument,
  CreateWorkflowDocument,
  DeleteAccountDocument,
  MoveStepDocument,
  RemoveStepDocument,
  RevokeAccountAccessDocument,
  SwitchStepAccountDocument,
  TestStepDocument,
  UpdateStepDocument,
  WorkflowDocument,
} from "../operations/generated";
import { newId } from "../src/db/ids";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { StepEntity, StepRunEntity } from "../src/modules/workflows/workflow.entity";
import type { MemberEntity } from "../src/modules/workspaces/member.entity";
import { buildAccount, buildMember, buildTeam, buildWorkspace, newStepRow } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { codesOf, dataOf } from "./support/graphql-client";
import { countQueries } from "./support/query-counter";
import { expected, type AccountKind, type ViewerKind } from "./support/spec-matrix";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
let asana: FakeApp;
beforeAll(async () => {
  asana = await new FakeApp((req) => ({ status: 200, body: { data: { gid: "42", name: "Ops" }, path: req.url } })).start();
  service = await startTestService({ APP_BASE_URL_OVERRIDES: JSON.stringify({ "asana-token": asana.url }), GRAPHQL_MAX_COST: "1000000" });
});
afterAll(async () => {
  await service?.close();
  await asana?.stop();
});

const asanaAccount = (workspaceId: string, owner: MemberEntity | null, grants: string[] = [], token = `asana-${Math.random().toString(36).slice(2)}`) =>
  buildAccount(service, { workspaceId, owner, appSlug: "asana-token", credentials: { token }, grants });

async function workflow(user: string, workspaceId: string, builderVersion: "V1" | "V2" = "V2") {
  return dataOf(await service.call(user, CreateWorkflowDocument, { workspaceId, name: "Flow", builderVersion })).createWorkflow;
}

describe("steps follow SPEC §3 for every viewer and sharing state, in V1 and V2", () => {
  const viewers = ["accountOwner", "OWNER", "ADMIN", "MEMBER", "MEMBER_WITH_GRANT"] as const satisfies readonly ViewerKind[];
  const kinds: AccountKind[] = ["private", "workspace", "viewer", "otherMember"];
  const cells = (["V1", "V2"] as const).flatMap((builder) => viewers.flatMap((v) => kinds.map((k) => [v, k, builder] as const)));

  it.each(cells)("viewer %s, account %s, builder %s", async (viewerKind, kind, builder) => {
    const { workspace, owner: wsOwner } = await buildWorkspace(service);
    const admin = await buildMember(service, workspace.id, { role: "ADMIN" });
    const member = await buildMember(service, workspace.id);
    const withGrant = await buildMember(service, workspace.id);
    const accountOwner = await buildMember(service, workspace.id);
    const bystander = await buildMember(service, workspace.id);
    const viewer = { accountOwner, OWNER: wsOwner, ADMIN: admin, MEMBER: member, MEMBER_WITH_GRANT: withGrant }[viewerKind];
    const grants: string[] = [];
    if (kind === "workspace") grants.push(WORKSPACE_GRANTEE);
    if (kind === "viewer" && viewer !== accountOwner) grants.push(viewer.id);
    if (kind === "otherMember") grants.push(bystander.id);
    if (viewerKind === "MEMBER_WITH_GRANT" && !grants.includes(withGrant.id)) grants.push(withGrant.id);
    const account = await asanaAccount(workspace.id, accountOwner, grants);
    const v1Ok = builder === "V2" || kind === "workspace";
    const want = {
      attach: expected(viewerKind, kind, "use", false) && v1Ok,
      edit: expected(viewerKind, kind, "modifySteps", false) && v1Ok,
      test: expected(viewerKind, kind, "testSteps", false),
    };
    const flow = await workflow(accountOwner.userId, workspace.id, builder);
    // The step exists (built by the owner, bypassing the attach rule, as if the share changed later).
    const step = Object.assign(new StepEntity(), {
      id: newId(),
      workflowId: flow.id,
      workspaceId: workspace.id,
      position: 0,
      kind: "ACTION",
      name: "Create task",
      appSlug: "asana-token",
      accountId: account.id,
      accountRemoved: false,
      props: JSON.stringify({ workspace: "W1", project: "P1", title: "Hello" }),
      code: null,
      http: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await service.dataSource.getRepository(StepEntity).insert(step);

    // Flags, and what every member can read.
    const seen = dataOf(await service.call(viewer.userId, WorkflowDocument, { id: flow.id })).workflow.steps[0]!;
    expect(seen.viewerCan.edit).toBe(want.edit);
    expect(seen.viewerCan.test).toBe(want.test);
    expect(seen.props).toEqual({ workspace: "W1", project: "P1", title: "Hello" });
    expect(seen.account).toMatchObject({ id: account.id, nickname: account.nickname, appSlug: "asana-token", owner: { id: accountOwner.id } });
    if (!want.edit) expect(seen.viewerCan.readOnlyReason).toBe(expected(viewerKind, kind, "modifySteps", false) ? "V1_REQUIRES_WORKSPACE_SHARE" : "ACCOUNT_NOT_SHARED");

    // Attach to a new step.
    const attach = await service.call(viewer.userId, AddStepDocument, { input: { workflowId: flow.id, kind: "ACTION", appSlug: "asana-token", accountId: account.id } });
    const canSee = expected(viewerKind, kind, "view", false);
    expect(codesOf(attach)).toEqual(want.attach ? [] : [canSee ? "FORBIDDEN" : "NOT_FOUND"]);

    // Modify props, modify code.
    const props = await service.call(viewer.userId, UpdateStepDocument, { input: { stepId: step.id, props: { title: "Changed" } } });
    const code = await service.call(viewer.userId, UpdateStepDocument, { input: { stepId: step.id, code: "export default 1" } });
    for (const result of [props, code]) expect(codesOf(result)).toEqual(want.edit ? [] : ["FORBIDDEN"]);
    if (!want.edit) {
      expect(props.errors?.[0]?.message).toContain(account.nickname);
      expect(props.errors?.[0]?.extensions?.details).toMatchObject({ accountId: account.id, ownerMemberId: accountOwner.id });
    }

    // Test: always allowed; the run is readable by every member.
    const run = await service.call(viewer.userId, TestStepDocument, { stepId: step.id });
    expect(codesOf(run)).toEqual([]);
    expect(dataOf(run).testStep.status).toBe("SUCCESS");
    const runs = dataOf(await service.call(bystander.userId, WorkflowDocument, { id: flow.id })).workflow.steps[0]!.runs;
    expect(runs[0]!.id).toBe(dataOf(run).testStep.id);

    // Switch to an account the viewer may use (their own; in V1 shared with the workspace).
    const mine = await asanaAccount(workspace.id, viewer, builder === "V1" ? [WORKSPACE_GRANTEE] : []);
    const switched = await service.call(viewer.userId, SwitchStepAccountDocument, { stepId: step.id, accountId: mine.id });
    expect(dataOf(switched).switchStepAccount.step.viewerCan.edit).toBe(true);
    expect(dataOf(switched).switchStepAccount.step.account?.id).toBe(mine.id);
  });
});

describe("testing a step without access to its account", () => {
  it("runs with the owner's credentials the tester never sees: the request carried them, no record or response does", async () => {
    const team = await buildTeam(service);
    const token = `asana-secret-${Math.random().toString(36).slice(2)}`;
    const account = await asanaAccount(team.workspace.id, team.owner, [], token);
    const flow = await workflow(team.owner.userId, team.workspace.id);
    const step = dataOf(await service.call(team.owner.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "asana-token", accountId: account.id, http: { method: "GET", path: "/users/me", query: { opt_fields: "name" } } },
    })).addStep;
    asana.requests.length = 0;
    asana.handler = (req) => ({ status: 200, body: { echo: req.headers.authorization, data: { name: "Ops" } } });
    const run = await service.call(team.member.userId, TestStepDocument, { stepId: step.id });
    expect(dataOf(run).testStep.status).toBe("SUCCESS");
    expect(asana.requests).toHaveLength(1);
    expect(asana.requests[0]).toMatchObject({ method: "GET", url: "/users/me?opt_fields=name" });
    expect(asana.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    // The app echoed the credential back: it is redacted from the exports.
    expect(dataOf(run).testStep.exports).toMatchObject({ status: 200, body: { echo: "[redacted]", data: { name: "Ops" } } });
    const stored = await service.dataSource.getRepository(StepRunEntity).findBy({ stepId: step.id });
    const read = await service.call(team.member.userId, WorkflowDocument, { id: flow.id });
    for (const text of [run.text, read.text, JSON.stringify(stored), service.logs.join("\n")]) expect(text).not.toContain(token);
    asana.handler = (req) => ({ status: 200, body: { data: { gid: "42", name: "Ops" }, path: req.url } });
  });

  it("refuses HTTP request steps that try to leave the app's host: when stored, and when run if stored before that", async () => {
    const team = await buildTeam(service);
    const account = await asanaAccount(team.workspace.id, team.owner);
    const flow = await workflow(team.owner.userId, team.workspace.id);
    for (const [index, path] of ["https://evil.example/x", "//evil.example/x", "/\\evil.example/x", "@evil.example/x", "/x\nHost: evil"].entries()) {
      const refused = await service.call(team.owner.userId, AddStepDocument, {
        input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "asana-token", accountId: account.id, http: { method: "GET", path } },
      });
      expect([path, codesOf(refused), refused.errors?.[0]?.extensions?.details]).toEqual([path, ["BAD_USER_INPUT"], { field: "http.path" }]);
      const stored = newStepRow({ workflowId: flow.id, workspaceId: team.workspace.id, position: index, accountId: account.id, appSlug: "asana-token" });
      await service.dataSource.getRepository(StepEntity).insert(Object.assign(stored, { kind: "HTTP_REQUEST", http: JSON.stringify({ method: "GET", path }) }));
      const run = dataOf(await service.call(team.owner.userId, TestStepDocument, { stepId: stored.id })).testStep;
      expect([path, run.status]).toEqual([path, "ERROR"]);
    }
    expect(asana.requests.filter((r) => /evil/.test(r.url))).toEqual([]);
  });
});

describe("switching the account of a read-only step", () => {
  it("clears exactly the props that depended on the old account, and says which", async () => {
    const team = await buildTeam(service);
    const theirs = await asanaAccount(team.workspace.id, team.owner);
    const mine = await asanaAccount(team.workspace.id, team.member);
    const flow = await workflow(team.owner.userId, team.workspace.id);
    const step = dataOf(await service.call(team.owner.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "ACTION", appSlug: "asana-token", accountId: theirs.id, props: { workspace: "W1", project: "P1", title: "Keep me", notes: "and me" } },
    })).addStep;
    expect(step.viewerCan.edit).toBe(true);
    const readOnly = dataOf(await service.call(team.member.userId, WorkflowDocument, { id: flow.id })).workflow.steps[0]!;
    expect(readOnly.viewerCan).toEqual({ edit: false, test: true, readOnlyReason: "ACCOUNT_NOT_SHARED" });
    const switched = dataOf(await service.call(team.member.userId, SwitchStepAccountDocument, { stepId: step.id, accountId: mine.id })).switchStepAccount;
    expect(switched.clearedProps.sort()).toEqual(["project", "workspace"]);
    expect(switched.step.props).toEqual({ title: "Keep me", notes: "and me" });
    expect(switched.step.viewerCan.edit).toBe(true);
    // Switching to an account the caller may not use is refused.
    const other = await asanaAccount(team.workspace.id, team.admin);
    expect(codesOf(await service.call(team.member.userId, SwitchStepAccountDocument, { stepId: step.id, accountId: other.id }))).toEqual(["NOT_FOUND"]);
  });
});

describe("workflows and steps", () => {
  it("orders, moves and removes steps; every member sees every workflow; outsiders see nothing", async () => {
    const team = await buildTeam(service);
    const flow = await workflow(team.member.userId, team.workspace.id);
    const ids = [];
    for (const name of ["a", "b", "c"]) ids.push(dataOf(await service.call(team.member.userId, AddStepDocument, { input: { workflowId: flow.id, kind: "CODE", name, code: "1" } })).addStep.id);
    dataOf(await service.call(team.admin.userId, MoveStepDocument, { stepId: ids[2]!, position: 0 }));
    dataOf(await service.call(team.owner.userId, RemoveStepDocument, { stepId: ids[0]! }));
    const steps = dataOf(await service.call(team.owner.userId, WorkflowDocument, { id: flow.id })).workflow.steps;
    expect(steps.map((s) => [s.name, s.position])).toEqual([["c", 0], ["b", 1]]);
    expect(codesOf(await service.call(team.outsider.userId, WorkflowDocument, { id: flow.id }))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await service.call(team.outsider.userId, TestStepDocument, { stepId: ids[1]! }))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await service.call(team.member.userId, MoveStepDocument, { stepId: ids[1]!, position: 9 }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("lists the steps using an account, and keeps them with 'account removed' when it is deleted", async () => {
    const team = await buildTeam(service);
    const account = await asanaAccount(team.workspace.id, team.owner);
    const flow = await workflow(team.owner.userId, team.workspace.id);
    const step = dataOf(await service.call(team.owner.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "ACTION", appSlug: "asana-token", accountId: account.id, props: { workspace: "W1" } },
    })).addStep;
    const usage = dataOf(await service.call(team.owner.userId, AccountUsageDocument, { id: account.id })).account.steps;
    expect(usage.map((s) => [s.id, s.workflow.id])).toEqual([[step.id, flow.id]]);
    dataOf(await service.call(team.owner.userId, DeleteAccountDocument, { input: { accountId: account.id } }));
    const after = dataOf(await service.call(team.owner.userId, WorkflowDocument, { id: flow.id })).workflow.steps[0]!;
    expect(after).toMatchObject({ id: step.id, accountRemoved: true, account: null, props: { workspace: "W1" } });
    const run = dataOf(await service.call(team.owner.userId, TestStepDocument, { stepId: step.id })).testStep;
    expect(run).toMatchObject({ status: "ERROR", error: "This step's account was removed." });
  });
});

describe("impact preview", () => {
  it("predicts exactly which steps become read-only for whom when a grant is revoked, and which lose their account on delete", async () => {
    const team = await buildTeam(service);
    const extra = await buildMember(service, team.workspace.id);
    const account = await asanaAccount(team.workspace.id, team.owner, [team.member.id, extra.id]);
    const flows = [await workflow(team.owner.userId, team.workspace.id), await workflow(team.owner.userId, team.workspace.id)];
    const steps = [];
    for (const flow of flows) {
      steps.push(dataOf(await service.call(team.owner.userId, AddStepDocument, { input: { workflowId: flow.id, kind: "ACTION", appSlug: "asana-token", accountId: account.id } })).addStep.id);
    }
    const preview = dataOf(await service.call(team.owner.userId, AccessChangeImpactDocument, { input: { accountId: account.id, revokeMemberIds: [team.member.id] } })).accessChangeImpact;
    expect(preview).toEqual(steps.map(() => ({ memberId: team.member.id, effect: "READ_ONLY" })));
    const editable = async (user: string) =>
      Promise.all(flows.map(async (f) => dataOf(await service.call(user, WorkflowDocument, { id: f.id })).workflow.steps[0]!.viewerCan.edit));
    const before = { member: await editable(team.member.userId), extra: await editable(extra.userId), admin: await editable(team.admin.userId) };
    dataOf(await service.call(team.owner.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [team.member.id] } }));
    const after = { member: await editable(team.member.userId), extra: await editable(extra.userId), admin: await editable(team.admin.userId) };
    expect(before).toEqual({ member: [true, true], extra: [true, true], admin: [false, false] });
    expect(after).toEqual({ member: [false, false], extra: [true, true], admin: [false, false] });

    const deletion = dataOf(await service.call(team.owner.userId, AccessChangeImpactDocument, { input: { accountId: account.id, deleteAccount: true } })).accessChangeImpact;
    expect(deletion).toEqual(steps.map(() => ({ memberId: null, effect: "ACCOUNT_REMOVED" })));
    expect(codesOf(await service.call(team.member.userId, AccessChangeImpactDocument, { input: { accountId: account.id, revokeWorkspace: true } }))).toEqual(["NOT_FOUND"]);
  });
});

describe("constant cost", () => {
  it("lists a workflow with 5 or with 200 steps and their accounts in the same number of SQL statements", async () => {
    const measure = async (n: number) => {
      const { workspace, owner } = await buildWorkspace(service);
      const members = [owner, await buildMember(service, workspace.id), await buildMember(service, workspace.id)];
      const accounts: Awaited<ReturnType<typeof asanaAccount>>[] = [];
      for (let i = 0; i < Math.min(n, 20); i++) accounts.push(await asanaAccount(workspace.id, members[i % 3]!, i % 2 ? [WORKSPACE_GRANTEE] : []));
      const flow = await workflow(owner.userId, workspace.id);
      const rows = Array.from({ length: n }, (_, i) =>
        newStepRow({
          id: `${flow.id.slice(0, 24)}${String(i).padStart(12, "0")}`,
          workflowId: flow.id,
          workspaceId: workspace.id,
          position: i,
          name: `step ${i}`,
          appSlug: "asana-token",
          accountId: accounts[i % accounts.length]!.id,
        }),
      );
      await service.dataSource.getRepository(StepEntity).insert(rows);
      const { result, queries } = await countQueries(service.dataSource, () => service.call(members[1]!.userId, WorkflowDocument, { id: flow.id }));
      expect(dataOf(result).workflow.steps).toHaveLength(n);
      return queries.length;
    };
    const small = await measure(5);
    const large = await measure(200);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(10);
  });
});
