import "reflect-metadata";
import { getMetadataStorage } from "type-graphql";
import { getNamedType, type GraphQLObjectType } from "graphql";
import { buildSubgraph, RESOLVERS } from "../src/graphql/schema";
import { declaredAccess } from "../src/graphql/access";

describe("every root operation declares its access rule", () => {
  it("finds an @Access declaration on each query, mutation and subscription", async () => {
    const schema = await buildSubgraph();
    const storage = getMetadataStorage();
    const roots = [...storage.queries, ...storage.mutations, ...storage.subscriptions].filter((r) =>
      (RESOLVERS as readonly Function[]).includes(r.target),
    );
    const schemaRootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .flatMap((type) => Object.keys(type?.getFields() ?? {}))
      .filter((name) => !name.startsWith("_"));
    // Every root field of the schema comes from a resolver method we can inspect...
    expect(roots.map((r) => r.schemaName).sort()).toEqual(schemaRootFields.sort());
    // ...and each of those declares its rule.
    const undeclared = roots.filter((r) => !declaredAccess(r.target, r.methodName)).map((r) => r.schemaName);
    expect(undeclared).toEqual([]);
  });

  it("finds the account operation declared on every root field that exposes or changes account data", async () => {
    const schema = await buildSubgraph();
    const storage = getMetadataStorage();
    const roots = [...storage.queries, ...storage.mutations].filter((r) => (RESOLVERS as readonly Function[]).includes(r.target));
    const rootTypes = [schema.getQueryType(), schema.getMutationType()].filter(Boolean) as GraphQLObjectType[];
    const exposesAccounts = (name: string) => {
      const field = rootTypes.map((t) => t.getFields()[name]).find(Boolean)!;
      return /Account|AuditEvent/.test(getNamedType(field.type).name) || /account/i.test(name);
    };
    const accountRoots = roots.filter((r) => exposesAccounts(r.schemaName));
    expect(accountRoots.length).toBeGreaterThanOrEqual(10);
    const missing = accountRoots.filter((r) => !declaredAccess(r.target, r.methodName)?.account).map((r) => r.schemaName);
    expect(missing).toEqual([]);
  });
});
