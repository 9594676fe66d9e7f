import {
  AddMemberDocument,
  ChangeMemberRoleDocument,
  CreateWorkspaceDocument,
  MemberDocument,
  RemoveMemberDocument,
  RenameWorkspaceDocument,
  ViewerDocument,
  WorkspaceDocument,
} from "../operations/generated";
import { MemberEntity } from "../src/modules/workspaces/member.entity";
import { buildTeam, uniqueUser } from "./support/factories";
import { codesOf, dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

async function membersOf(workspaceId: string) {
  return service.dataSource.getRepository(MemberEntity).find({ where: { workspaceId }, order: { userId: "ASC" } });
}

describe("workspaces", () => {
  it("creates a workspace with the caller as OWNER and lists it under viewer", async () => {
    const user = uniqueUser("creator");
    const created = dataOf(await service.call(user, CreateWorkspaceDocument, { input: { name: "  Acme  " } }));
    expect(created.createWorkspace).toMatchObject({ name: "Acme", viewerRole: "OWNER" });
    const viewer = dataOf(await service.call(user, ViewerDocument));
    expect(viewer.viewer.userId).toBe(user);
    expect(viewer.viewer.workspaces.map((w) => w.id)).toEqual([created.createWorkspace.id]);
    const members = await membersOf(created.createWorkspace.id);
    expect(members.map((m) => [m.userId, m.role])).toEqual([[user, "OWNER"]]);
  });

  it("refuses an empty or overlong name with BAD_USER_INPUT and stores nothing", async () => {
    const user = uniqueUser();
    for (const name of ["   ", "x".repeat(121)]) {
      const result = await service.call(user, CreateWorkspaceDocument, { input: { name } });
      expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors![0]!.extensions!.details).toEqual({ field: "name" });
    }
    expect(await service.dataSource.getRepository(MemberEntity).countBy({ userId: user })).toBe(0);
  });

  it("shows a workspace, its members and the viewer's capabilities to every member", async () => {
    const team = await buildTeam(service);
    for (const [who, role, manage, roles] of [
      [team.owner, "OWNER", true, ["OWNER", "ADMIN", "MEMBER"]],
      [team.admin, "ADMIN", true, ["ADMIN", "MEMBER"]],
      [team.member, "MEMBER", false, []],
    ] as const) {
      const ws = dataOf(await service.call(who.userId, WorkspaceDocument, { id: team.workspace.id })).workspace;
      expect(ws.viewerRole).toBe(role);
      expect(ws.viewerCan).toEqual({ manage, manageMembers: roles.length > 0, assignableRoles: roles, changeSettings: role === "OWNER" });
      expect(ws.settings).toEqual({ adminsManageAccess: false });
      expect(ws.members.map((m) => m.userId).sort()).toEqual([team.owner, team.admin, team.member].map((m) => m.userId).sort());
      expect(ws.members.filter((m) => m.isViewer).map((m) => m.userId)).toEqual([who.userId]);
    }
  });

  it("answers NOT_FOUND to someone outside the workspace, for every operation, and changes nothing", async () => {
    const team = await buildTeam(service);
    const outsider = team.outsider.userId;
    const before = await membersOf(team.workspace.id);
    const attempts = [
      service.call(outsider, WorkspaceDocument, { id: team.workspace.id }),
      service.call(outsider, MemberDocument, { id: team.member.id }),
      service.call(outsider, RenameWorkspaceDocument, { input: { workspaceId: team.workspace.id, name: "Hijacked" } }),
      service.call(outsider, AddMemberDocument, { input: { workspaceId: team.workspace.id, userId: outsider, role: "OWNER" } }),
      service.call(outsider, ChangeMemberRoleDocument, { input: { memberId: team.member.id, role: "OWNER" } }),
      service.call(outsider, RemoveMemberDocument, { input: { memberId: team.owner.id } }),
      service.call(outsider, WorkspaceDocument, { id: "00000000-0000-0000-0000-000000000000" }),
    ];
    for (const result of await Promise.all(attempts)) {
      expect(codesOf(result)).toEqual(["NOT_FOUND"]);
      expect(result.data).toBeNull();
    }
    expect(await membersOf(team.workspace.id)).toEqual(before);
    const ws = dataOf(await service.call(team.owner.userId, WorkspaceDocument, { id: team.workspace.id })).workspace;
    expect(ws.name).toBe(team.workspace.name);
  });

  it("lets OWNER and ADMIN rename; a MEMBER is FORBIDDEN", async () => {
    const team = await buildTeam(service);
    const renamed = await service.call(team.admin.userId, RenameWorkspaceDocument, { input: { workspaceId: team.workspace.id, name: "Renamed" } });
    expect(dataOf(renamed).renameWorkspace.name).toBe("Renamed");
    const refused = await service.call(team.member.userId, RenameWorkspaceDocument, { input: { workspaceId: team.workspace.id, name: "Nope" } });
    expect(codesOf(refused)).toEqual(["FORBIDDEN"]);
    const ws = dataOf(await service.call(team.owner.userId, WorkspaceDocument, { id: team.workspace.id })).workspace;
    expect(ws.name).toBe("Renamed");
  });
});

describe("members", () => {
  // Who may add a member with which role: the policy table, checked through the API.
  const ADD_CASES = [
    ["OWNER", "OWNER", true],
    ["OWNER", "ADMIN", true],
    ["OWNER", "MEMBER", true],
    ["ADMIN", "OWNER", false],
    ["ADMIN", "ADMIN", true],
    ["ADMIN", "MEMBER", true],
    ["MEMBER", "MEMBER", false],
    ["MEMBER", "ADMIN", false],
  ] as const;

  it.each(ADD_CASES)("a %s adding a %s: allowed=%s", async (actorRole, role, allowed) => {
    const team = await buildTeam(service);
    const actor = { OWNER: team.owner, ADMIN: team.admin, MEMBER: team.member }[actorRole];
    const userId = uniqueUser("new");
    const result = await service.call(actor.userId, AddMemberDocument, {
      input: { workspaceId: team.workspace.id, userId, role, displayName: "New Person", email: "new@example.test" },
    });
    const stored = await service.dataSource.getRepository(MemberEntity).findOneBy({ workspaceId: team.workspace.id, userId });
    if (allowed) {
      expect(dataOf(result).addMember).toMatchObject({ userId, role, displayName: "New Person", email: "new@example.test" });
      expect(stored?.role).toBe(role);
    } else {
      expect(codesOf(result)).toEqual(["FORBIDDEN"]);
      expect(stored).toBeNull();
    }
  });

  it("refuses adding an existing member (CONFLICT) and bad input (BAD_USER_INPUT), changing nothing", async () => {
    const team = await buildTeam(service);
    const before = await membersOf(team.workspace.id);
    const duplicate = await service.call(team.owner.userId, AddMemberDocument, {
      input: { workspaceId: team.workspace.id, userId: team.member.userId, role: "ADMIN" },
    });
    expect(codesOf(duplicate)).toEqual(["CONFLICT"]);
    const badEmail = await service.call(team.owner.userId, AddMemberDocument, {
      input: { workspaceId: team.workspace.id, userId: uniqueUser(), role: "MEMBER", email: "not-an-email" },
    });
    expect(codesOf(badEmail)).toEqual(["BAD_USER_INPUT"]);
    const badUser = await service.call(team.owner.userId, AddMemberDocument, {
      input: { workspaceId: team.workspace.id, userId: "has spaces", role: "MEMBER" },
    });
    expect(codesOf(badUser)).toEqual(["BAD_USER_INPUT"]);
    const badRole = await service.call(team.owner.userId, AddMemberDocument, {
      input: { workspaceId: team.workspace.id, userId: uniqueUser(), role: "KING" as never },
    });
    expect(codesOf(badRole)).toEqual(["BAD_USER_INPUT"]);
    expect(await membersOf(team.workspace.id)).toEqual(before);
  });

  it("changes roles within the actor's reach only", async () => {
    const team = await buildTeam(service);
    const promote = await service.call(team.admin.userId, ChangeMemberRoleDocument, { input: { memberId: team.member.id, role: "ADMIN" } });
    expect(dataOf(promote).changeMemberRole.role).toBe("ADMIN");
    const toOwner = await service.call(team.admin.userId, ChangeMemberRoleDocument, { input: { memberId: team.member.id, role: "OWNER" } });
    expect(codesOf(toOwner)).toEqual(["FORBIDDEN"]);
    const demoteOwner = await service.call(team.admin.userId, ChangeMemberRoleDocument, { input: { memberId: team.owner.id, role: "MEMBER" } });
    expect(codesOf(demoteOwner)).toEqual(["FORBIDDEN"]);
    const byStranger = await service.call(uniqueUser(), ChangeMemberRoleDocument, { input: { memberId: team.admin.id, role: "MEMBER" } });
    expect(codesOf(byStranger)).toEqual(["NOT_FOUND"]);
    const roles = Object.fromEntries((await membersOf(team.workspace.id)).map((m) => [m.id, m.role]));
    expect(roles).toEqual({ [team.owner.id]: "OWNER", [team.admin.id]: "ADMIN", [team.member.id]: "ADMIN" });
  });

  it("keeps at least one OWNER: the last one can neither be demoted nor removed nor leave", async () => {
    const team = await buildTeam(service);
    const demote = await service.call(team.owner.userId, ChangeMemberRoleDocument, { input: { memberId: team.owner.id, role: "ADMIN" } });
    expect(codesOf(demote)).toEqual(["CONFLICT"]);
    const leave = await service.call(team.owner.userId, RemoveMemberDocument, { input: { memberId: team.owner.id } });
    expect(codesOf(leave)).toEqual(["CONFLICT"]);
    expect((await membersOf(team.workspace.id)).filter((m) => m.role === "OWNER").map((m) => m.id)).toEqual([team.owner.id]);
  });

  it("never ends with no OWNER when two owners demote each other at the same time", async () => {
    const team = await buildTeam(service);
    const second = dataOf(
      await service.call(team.owner.userId, ChangeMemberRoleDocument, { input: { memberId: team.admin.id, role: "OWNER" } }),
    );
    expect(second.changeMemberRole.role).toBe("OWNER");
    const results = await Promise.all([
      service.call(team.owner.userId, ChangeMemberRoleDocument, { input: { memberId: team.admin.id, role: "MEMBER" } }),
      service.call(team.admin.userId, ChangeMemberRoleDocument, { input: { memberId: team.owner.id, role: "MEMBER" } }),
    ]);
    const owners = (await membersOf(team.workspace.id)).filter((m) => m.role === "OWNER");
    expect(owners).toHaveLength(1);
    // Whichever commits second finds its actor no longer an owner (FORBIDDEN) or itself the last
    // owner (CONFLICT); either way exactly one change lands.
    const outcomes = results.map((r) => codesOf(r)[0] ?? "OK").sort();
    expect(outcomes[0]).toMatch(/^(CONFLICT|FORBIDDEN)$/);
    expect(outcomes[1]).toBe("OK");
  });

  it("lets a member leave, an admin remove a member, and refuses an admin removing an owner", async () => {
    const team = await buildTeam(service);
    const extra = dataOf(
      await service.call(team.owner.userId, AddMemberDocument, { input: { workspaceId: team.workspace.id, userId: uniqueUser(), role: "MEMBER" } }),
    ).addMember;
    const leave = await service.call(team.member.userId, RemoveMemberDocument, { input: { memberId: team.member.id } });
    expect(dataOf(leave).removeMember).toEqual({ memberId: team.member.id, workspaceId: team.workspace.id });
    const removed = await service.call(team.admin.userId, RemoveMemberDocument, { input: { memberId: extra.id } });
    expect(dataOf(removed).removeMember.memberId).toBe(extra.id);
    const refused = await service.call(team.admin.userId, RemoveMemberDocument, { input: { memberId: team.owner.id } });
    expect(codesOf(refused)).toEqual(["FORBIDDEN"]);
    expect((await membersOf(team.workspace.id)).map((m) => m.id).sort()).toEqual([team.owner.id, team.admin.id].sort());
    // The member who left no longer sees the workspace.
    const gone = await service.call(team.member.userId, WorkspaceDocument, { id: team.workspace.id });
    expect(codesOf(gone)).toEqual(["NOT_FOUND"]);
  });

  it("shows per-member capabilities computed by the same policy", async () => {
    const team = await buildTeam(service);
    const asAdmin = dataOf(await service.call(team.admin.userId, WorkspaceDocument, { id: team.workspace.id })).workspace;
    const caps = Object.fromEntries(asAdmin.members.map((m) => [m.id, m.viewerCan]));
    expect(caps[team.owner.id]).toEqual({ remove: false, changeRole: false });
    expect(caps[team.admin.id]).toEqual({ remove: true, changeRole: true });
    expect(caps[team.member.id]).toEqual({ remove: true, changeRole: true });
    const asMember = dataOf(await service.call(team.member.userId, WorkspaceDocument, { id: team.workspace.id })).workspace;
    const memberCaps = Object.fromEntries(asMember.members.map((m) => [m.id, m.viewerCan]));
    expect(memberCaps[team.member.id]).toEqual({ remove: true, changeRole: false });
    expect(memberCaps[team.owner.id]).toEqual({ remove: false, changeRole: false });
  });
});
