import { composeServices } from "@apollo/composition";
import fs from "node:fs";
import path from "node:path";
import gqlTag from "graphql-tag";
import { buildMember, buildTeam } from "./support/factories";
import { codesOf, dataOf } from "./support/graphql-client";
import { countQueries } from "./support/query-counter";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Workspace { id name }
    ... on Member { id userId role }
    ... on App { slug name }
  }
}`;

describe("Federation 2 subgraph", () => {
  it("serves its SDL through _service, with @key entities, identical to the committed schema/subgraph.graphql", async () => {
    const result = await service.call("sdl-reader", "{ _service { sdl } }");
    const sdl = (dataOf(result) as { _service: { sdl: string } })._service.sdl;
    expect(sdl).toMatch(/type Workspace\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Member\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type App\s+@key\(fields: "slug"\)/);
    expect(sdl).toContain("@link(url: \"https://specs.apollo.dev/federation/v2.7\"");
    const committed = fs.readFileSync(path.join(__dirname, "..", "schema", "subgraph.graphql"), "utf8");
    expect(sdl.trim()).toBe(committed.trim());
  });

  it("guards _service and _entities like every other root field", async () => {
    expect(codesOf(await service.call(null, "{ _service { sdl } }"))).toEqual(["UNAUTHENTICATED"]);
    const team = await buildTeam(service);
    const anonymous = await service.call(null, ENTITIES, { representations: [{ __typename: "Workspace", id: team.workspace.id }] });
    expect(codesOf(anonymous)).toEqual(["UNAUTHENTICATED"]);
  });

  it("resolves entity references the caller may see, and NOT_FOUND for another workspace's ids", async () => {
    const team = await buildTeam(service);
    const representations = [
      { __typename: "Workspace", id: team.workspace.id },
      { __typename: "Member", id: team.admin.id },
      { __typename: "App", slug: "github" },
      { __typename: "Workspace", id: team.otherWorkspace.id },
      { __typename: "Member", id: team.outsider.id },
    ];
    const result = await service.call(team.member.userId, ENTITIES, { representations });
    const entities = (result.data as { _entities: Array<Record<string, unknown> | null> })._entities;
    expect(entities[0]).toEqual({ __typename: "Workspace", id: team.workspace.id, name: team.workspace.name });
    expect(entities[1]).toEqual({ __typename: "Member", id: team.admin.id, userId: team.admin.userId, role: "ADMIN" });
    expect(entities[2]).toMatchObject({ __typename: "App", slug: "github" });
    expect(entities[3]).toBeNull();
    expect(entities[4]).toBeNull();
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [["_entities", 3], "NOT_FOUND"],
      [["_entities", 4], "NOT_FOUND"],
    ]);
    expect(result.text).not.toContain(team.otherWorkspace.name);
  });

  it("resolves references in batches: the same number of SQL statements for 3 and for 60 members", async () => {
    const team = await buildTeam(service);
    const extra = [];
    for (let i = 0; i < 57; i++) extra.push(await buildMember(service, team.workspace.id));
    const all = [team.owner, team.admin, team.member, ...extra];
    const lookUp = (ids: string[]) =>
      countQueries(service.dataSource, () =>
        service.call(team.owner.userId, ENTITIES, { representations: ids.map((id) => ({ __typename: "Member", id })) }),
      );
    const small = await lookUp(all.slice(0, 3).map((m) => m.id));
    const large = await lookUp(all.map((m) => m.id));
    expect((large.result.data as { _entities: unknown[] })._entities.filter(Boolean)).toHaveLength(60);
    expect(large.queries.length).toBe(small.queries.length);
    expect(small.queries.length).toBeLessThanOrEqual(2);
  });

  it("composes with another subgraph that extends Workspace", () => {
    const ours = fs.readFileSync(path.join(__dirname, "..", "schema", "subgraph.graphql"), "utf8");
    const billing = gqlTag`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Workspace @key(fields: "id") {
        id: ID!
        plan: String!
      }
      type Query {
        invoices(workspaceId: ID!): [String!]!
      }
    `;
    const composition = composeServices([
      { name: "connected-accounts", typeDefs: gqlTag(ours), url: "http://connected-accounts/graphql" },
      { name: "billing", typeDefs: billing, url: "http://billing/graphql" },
    ]);
    expect(composition.errors ?? []).toEqual([]);
    const supergraph = composition.supergraphSdl ?? "";
    expect(supergraph).toMatch(/type Workspace[^{]*\{[^}]*plan: String!/s);
    expect(supergraph).toMatch(/type Workspace[^{]*\{[^}]*members: \[Member!\]!/s);
  });
});
