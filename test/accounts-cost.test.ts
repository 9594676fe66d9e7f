import { AccountsDocument } from "../operations/generated";
import { WORKSPACE_GRANTEE } from "../src/modules/grants/grant.entity";
import { buildAccount, buildMember, buildWorkspace } from "./support/factories";
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
  for (let i = 0; i < n; i++) {
    const accountOwner = members[i % members.length]!;
    const grants = i % 3 === 0 ? [WORKSPACE_GRANTEE] : i % 3 === 1 ? [members[(i + 1) % members.length]!.id] : [];
    await buildAccount(service, { workspaceId: workspace.id, owner: accountOwner, grants: grants.filter((g) => g !== accountOwner.id) });
  }
  return { workspace, viewer: members[1]!, admin: owner };
}

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
      expect(a.queries.length).toBeLessThanOrEqual(6);
    }
  });
});
