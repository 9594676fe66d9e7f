import { AppRequestsDocument, CloseAppRequestDocument, RequestAppDocument } from "../operations/generated";
import { AppRequestEntity } from "../src/modules/app-requests/app-request.entity";
import { normalizeAppName } from "../src/modules/app-requests/app-request.service";
import { buildTeam } from "./support/factories";
import { codesOf, dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

const rowsOf = (workspaceId: string) => service.dataSource.getRepository(AppRequestEntity).findBy({ workspaceId });
const requestApp = (user: string, input: { workspaceId: string; name: string; url?: string | null; reason?: string | null }) =>
  service.call(user, RequestAppDocument, { input });
const listRequests = (user: string | null, workspaceId: string, status?: "OPEN" | "CLOSED") =>
  service.call(user, AppRequestsDocument, { workspaceId, status });
const closeRequest = (user: string, id: string) => service.call(user, CloseAppRequestDocument, { id });

describe("normalizeAppName", () => {
  it.each([
    ["Acme CRM", "acme crm"],
    ["  acme   CRM ", "acme crm"],
    ["ACME\tcrm\n", "acme crm"],
  ])("%j → %j", (name, normalized) => expect(normalizeAppName(name)).toBe(normalized));
});

describe("requesting an app", () => {
  it("creates an open request with count 1, by any member", async () => {
    const team = await buildTeam(service);
    const result = await requestApp(team.member.userId, {
      workspaceId: team.workspace.id,
      name: "  Acme   CRM ",
      url: "https://acme.example.test",
      reason: "Sales lives there",
    });
    const request = dataOf(result).requestApp;
    expect(request).toMatchObject({
      name: "Acme CRM",
      url: "https://acme.example.test",
      reason: "Sales lives there",
      count: 1,
      status: "OPEN",
      requestedByMemberId: team.member.id,
      closedAt: null,
    });
    const [row] = await rowsOf(team.workspace.id);
    expect(row).toMatchObject({ normalizedName: "acme crm", count: 1, status: "OPEN" });
  });

  it("merges requests for the same app (any case or spacing) into the open one, counting them", async () => {
    const team = await buildTeam(service);
    const first = dataOf(await requestApp(team.member.userId, { workspaceId: team.workspace.id, name: "Acme CRM" })).requestApp;
    const second = dataOf(
      await requestApp(team.admin.userId, { workspaceId: team.workspace.id, name: "  acme   crm", url: "https://acme.example.test", reason: "Need it" }),
    ).requestApp;
    expect(second).toMatchObject({ id: first.id, name: "Acme CRM", count: 2, url: "https://acme.example.test", reason: "Need it" });
    const third = dataOf(
      await requestApp(team.owner.userId, { workspaceId: team.workspace.id, name: "ACME CRM", url: "https://other.example.test", reason: "Other reason" }),
    ).requestApp;
    // The first url and reason given are kept.
    expect(third).toMatchObject({ id: first.id, count: 3, url: "https://acme.example.test", reason: "Need it", requestedByMemberId: team.member.id });
    expect(await rowsOf(team.workspace.id)).toHaveLength(1);
  });

  it("counts concurrent requests for one app on one request", async () => {
    const team = await buildTeam(service);
    const results = await Promise.all(
      [team.owner, team.admin, team.member, team.member, team.admin].map((m) => requestApp(m.userId, { workspaceId: team.workspace.id, name: "Zoho Desk" })),
    );
    results.forEach((r) => dataOf(r));
    const rows = await rowsOf(team.workspace.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.count).toBe(5);
  });

  it("does not merge into a closed request: a new one opens", async () => {
    const team = await buildTeam(service);
    const first = dataOf(await requestApp(team.member.userId, { workspaceId: team.workspace.id, name: "Acme CRM" })).requestApp;
    dataOf(await closeRequest(team.owner.userId, first.id));
    const again = dataOf(await requestApp(team.member.userId, { workspaceId: team.workspace.id, name: "acme crm" })).requestApp;
    expect(again.id).not.toBe(first.id);
    expect(again).toMatchObject({ count: 1, status: "OPEN" });
    const merged = dataOf(await requestApp(team.admin.userId, { workspaceId: team.workspace.id, name: "Acme CRM" })).requestApp;
    expect(merged).toMatchObject({ id: again.id, count: 2 });
    expect(await rowsOf(team.workspace.id)).toHaveLength(2);
  });

  it("keeps workspaces apart", async () => {
    const team = await buildTeam(service);
    const mine = dataOf(await requestApp(team.member.userId, { workspaceId: team.workspace.id, name: "Acme CRM" })).requestApp;
    const theirs = dataOf(await requestApp(team.outsider.userId, { workspaceId: team.otherWorkspace.id, name: "Acme CRM" })).requestApp;
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.count).toBe(1);
  });

  it.each([
    ["an empty name", { name: "   " }, "name"],
    ["a name over 120 characters", { name: "x".repeat(121) }, "name"],
    ["a non-http url", { name: "Acme", url: "ftp://acme.example.test" }, "url"],
    ["a javascript: url", { name: "Acme", url: "javascript:alert(1)" }, "url"],
    ["a malformed url", { name: "Acme", url: "not a url" }, "url"],
    ["a reason over 1000 characters", { name: "Acme", reason: "r".repeat(1001) }, "reason"],
  ])("refuses %s with BAD_USER_INPUT and stores nothing", async (_label, input, field) => {
    const team = await buildTeam(service);
    const result = await requestApp(team.member.userId, { workspaceId: team.workspace.id, ...input });
    expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.extensions?.details).toMatchObject({ field });
    expect(await rowsOf(team.workspace.id)).toHaveLength(0);
  });

  it("accepts a 120-character name, and an http url", async () => {
    const team = await buildTeam(service);
    dataOf(await requestApp(team.member.userId, { workspaceId: team.workspace.id, name: "y".repeat(120), url: "http://intranet.example.test/app" }));
    expect(await rowsOf(team.workspace.id)).toHaveLength(1);
  });

  it.each([["GitHub"], ["github"], ["  SENDGRID "], ["acuity   scheduling"], ["acuityscheduling"], ["Akamai Cloud (Linode)"]])(
    "refuses %j: already in the catalog",
    async (name) => {
      const team = await buildTeam(service);
      const result = await requestApp(team.member.userId, { workspaceId: team.workspace.id, name });
      expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors?.[0]?.message).toMatch(/already in the catalog/);
      expect(await rowsOf(team.workspace.id)).toHaveLength(0);
    },
  );

  it("accepts a name that only contains a catalog app's name", async () => {
    const team = await buildTeam(service);
    dataOf(await requestApp(team.member.userId, { workspaceId: team.workspace.id, name: "GitHub Enterprise Server 3" }));
  });

  it("answers NOT_FOUND to an outsider", async () => {
    const team = await buildTeam(service);
    expect(codesOf(await requestApp(team.outsider.userId, { workspaceId: team.workspace.id, name: "Acme" }))).toEqual(["NOT_FOUND"]);
    expect(await rowsOf(team.workspace.id)).toHaveLength(0);
  });
});

describe("listing and closing app requests", () => {
  it("lists newest first to owners and admins, filtered by status", async () => {
    const team = await buildTeam(service);
    const ids: string[] = [];
    for (const name of ["First App", "Second App", "Third App"]) {
      ids.push(dataOf(await requestApp(team.member.userId, { workspaceId: team.workspace.id, name })).requestApp.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    dataOf(await closeRequest(team.admin.userId, ids[1]!));
    for (const user of [team.owner, team.admin]) {
      expect(dataOf(await listRequests(user.userId, team.workspace.id)).appRequests.map((r) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
    }
    expect(dataOf(await listRequests(team.owner.userId, team.workspace.id, "OPEN")).appRequests.map((r) => r.name)).toEqual(["Third App", "First App"]);
    const closed = dataOf(await listRequests(team.owner.userId, team.workspace.id, "CLOSED")).appRequests;
    expect(closed).toEqual([expect.objectContaining({ id: ids[1], status: "CLOSED" })]);
    expect(closed[0]!.closedAt).toBeTruthy();
  });

  it("refuses the list to members (FORBIDDEN) and outsiders (NOT_FOUND)", async () => {
    const team = await buildTeam(service);
    expect(codesOf(await listRequests(team.member.userId, team.workspace.id))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await listRequests(team.outsider.userId, team.workspace.id))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await listRequests(null, team.workspace.id))).toEqual(["UNAUTHENTICATED"]);
  });

  it("lets owners and admins close, not members (FORBIDDEN) nor outsiders (NOT_FOUND); closing twice is a CONFLICT", async () => {
    const team = await buildTeam(service);
    const request = dataOf(await requestApp(team.member.userId, { workspaceId: team.workspace.id, name: "Acme CRM" })).requestApp;
    expect(codesOf(await closeRequest(team.member.userId, request.id))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await closeRequest(team.outsider.userId, request.id))).toEqual(["NOT_FOUND"]);
    expect((await rowsOf(team.workspace.id))[0]!.status).toBe("OPEN");

    const closed = dataOf(await closeRequest(team.admin.userId, request.id)).closeAppRequest;
    expect(closed).toMatchObject({ id: request.id, status: "CLOSED", count: 1 });
    expect(closed.closedAt).toBeTruthy();
    expect(codesOf(await closeRequest(team.owner.userId, request.id))).toEqual(["CONFLICT"]);
    expect(codesOf(await closeRequest(team.owner.userId, "00000000-0000-7000-8000-000000000000"))).toEqual(["NOT_FOUND"]);
  });
});
