import { AccountsDocument } from "../operations/generated";
import { newId } from "../src/db/ids";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { StepEntity, WorkflowEntity } from "../src/modules/workflows/workflow.entity";
import { buildAccount, buildMember, buildWorkspace, newStepRow } from "./support/factories";
import { dataOf } from "./support/graphql-client";
import { countQueries } from "./support/query-counter";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ GRAPHQL_MAX_COST: "1000000" });
});
afterAll(async () => {
  await service?.close();
});

// A workspace with `n` accounts spread over several owners, each with grants to the workspace
// or to members: the accounts page then needs owners, grants, grantees, apps and capabilities.
async function workspaceWith(n: number) {
  const { workspace, owner } = await buildWorkspace(service);
  const members = [owner];
  for (let i = 0; i < 5; i++) members.push(await buildMember(service, workspace.id));
  const accounts = [];
  for (let i = 0; i < n; i++) {
    const accountOwner = members[i % members.length]!;
    const grants = i % 3 === 0 ? [WORKSPACE_GRANTEE] : i % 3 === 1 ? [members[(i + 1) % members.length]!.id] : [];
    accounts.push(await buildAccount(service, { workspaceId: workspace.id, owner: accountOwner, grants: grants.filter((g) => g !== accountOwner.id) }));
  }
  // Workflows whose steps use most accounts (some twice), plus a step without an account.
  for (let w = 0; w < Math.ceil(n / 2); w++) {
    const workflow = Object.assign(new WorkflowEntity(), { id: newId(), workspaceId: workspace.id, name: `Flow ${w}`, builderVersion: "V2", createdByMemberId: owner.id, createdAt: new Date(), updatedAt: new Date() });
    await service.dataSource.getRepository(WorkflowEntity).insert(workflow);
    const used = [accounts[(2 * w) % n]!.id, accounts[(2 * w + 3) % n]!.id, null];
    await service.dataSource.getRepository(StepEntity).insert(
      used.map((accountId, position) => newStepRow({ workflowId: workflow.id, workspaceId: workspace.id, position, accountId, appSlug: accountId ? "sendgrid" : null })),
    );
  }
  return { workspace, viewer: members[1]!, admin: owner };
}

// What a frontend's accounts page asks for: owners, grants and their members, capability flags,
// and the steps (with their workflows) using each account.
const ACCOUNT_FIELDS = `
  id nickname shared sharedWithViewer
  owner { id userId displayName }
  grants { id wholeWorkspace member { id userId } grantedBy { id } }
  viewerCan { view use modifySteps testSteps manageAccess reconnect rename delete readCredentials }
  steps { id name workflow { id name } }
`;
const PAGE = `query ($workspaceId: ID!, $page: PageInput) { accounts(workspaceId: $workspaceId, page: $page) { nodes { ${ACCOUNT_FIELDS} } pageInfo { hasNextPage } } }`;
const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { ${ACCOUNT_FIELDS} } } }`;
type Nodes = Array<{ id: string; steps: unknown[] }>;

describe("constant cost of the accounts list", () => {
  it("runs the same number of SQL statements for 5 and for 200 accounts, with owners, grants and capabilities", async () => {
    const small = await workspaceWith(5);
    const large = await workspaceWith(200);
    const measure = async (ws: Awaited<ReturnType<typeof workspaceWith>>, user: string) =>
      countQueries(service.dataSource, () =>
        service.call(user, AccountsDocument, { workspaceId: ws.workspace.id, page: { first: 100 } }),
      );
    for (const who of ["admin", "viewer"] as const) {
      const a = await measure(small, small[who].userId);
      const b = await measure(large, large[who].userId);
      expect(dataOf(a.result).accounts.nodes.length).toBeGreaterThan(0);
      expect(dataOf(b.result).accounts.nodes.length).toBe(who === "admin" ? 100 : dataOf(b.result).accounts.nodes.length);
      expect(b.queries.length).toBe(a.queries.length);
      expect(a.queries.length).toBeLessThanOrEqual(5);
    }
  });

  it("runs the same statements for a page of 5 and of 100 accounts with steps and workflows, and _entities for them as many as the list", async () => {
    const small = await workspaceWith(5);
    const large = await workspaceWith(120);
    for (const who of ["admin", "viewer"] as const) {
      const counts: number[] = [];
      for (const ws of [small, large]) {
        const user = ws[who].userId;
        const list = await countQueries(service.dataSource, () => service.call(user, PAGE, { workspaceId: ws.workspace.id, page: { first: 100 } }));
        const nodes = (dataOf(list.result) as { accounts: { nodes: Nodes } }).accounts.nodes;
        expect(nodes.length).toBeGreaterThan(0);
        expect(nodes.some((n) => n.steps.length > 0)).toBe(true);
        // A router resolving the same accounts by reference gets the same data for the same statements.
        const entities = await countQueries(service.dataSource, () => service.call(user, ENTITIES, { r: nodes.map((n) => ({ __typename: "Account", id: n.id })) }));
        expect((dataOf(entities.result) as { _entities: Nodes })._entities).toEqual(nodes);
        expect(entities.queries.length).toBe(list.queries.length);
        counts.push(list.queries.length);
      }
      expect(counts[1]).toBe(counts[0]);
      expect(counts[0]).toBeLessThanOrEqual(5);
    }
  });
});
