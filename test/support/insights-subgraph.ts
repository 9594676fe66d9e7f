import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import gql from "graphql-tag";

/**
 * The second subgraph of the router tests: "insights" extends `Account` and `Workspace` with
 * usage figures and has a root query of its own that returns `Account` references by id, so a
 * query through a router spans both subgraphs. It trusts what the router forwards and records it.
 */
export const INSIGHTS_SDL = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Account @key(fields: "id") {
    id: ID!
    "Requests made through the account this month."
    usageCount: Int!
  }

  type Workspace @key(fields: "id") {
    id: ID!
    "Requests made through all of the workspace's accounts this month."
    monthlyRequests: Int!
  }

  type AccountUsage {
    "Null when the caller may not see the account (connected-accounts answers NOT_FOUND)."
    account: Account
    requests: Int!
  }

  type Query {
    "The workspace's accounts by requests this month, busiest first."
    busiestAccounts(workspaceId: ID!): [AccountUsage!]!
  }
`;

/** A running insights subgraph. */
export interface InsightsSubgraph {
  url: string;
  /** The Authorization header of every request it received, in order (undefined: none). */
  authorizations: Array<string | undefined>;
  /** Records `requests` through an account of a workspace. */
  recordUsage(workspaceId: string, accountId: string, requests: number): void;
  close(): Promise<void>;
}

/** Starts the insights subgraph on a free port (plain Apollo Server, `@apollo/subgraph`). */
export async function startInsightsSubgraph(): Promise<InsightsSubgraph> {
  const usage = new Map<string, Map<string, number>>();
  const authorizations: Array<string | undefined> = [];
  const accountRequests = (accountId: string) => [...usage.values()].reduce((sum, accounts) => sum + (accounts.get(accountId) ?? 0), 0);
  const resolvers = {
    Query: {
      busiestAccounts: (_: unknown, { workspaceId }: { workspaceId: string }) =>
        [...(usage.get(workspaceId) ?? new Map<string, number>())]
          .sort((a, b) => b[1] - a[1])
          .map(([id, requests]) => ({ account: { id }, requests })),
    },
    Account: {
      usageCount: ({ id }: { id: string }) => accountRequests(id),
    },
    Workspace: {
      __resolveReference: ({ id }: { id: string }) => ({ id, monthlyRequests: [...(usage.get(id)?.values() ?? [])].reduce((a, b) => a + b, 0) }),
    },
  };
  const server = new ApolloServer({ schema: buildSubgraphSchema([{ typeDefs: INSIGHTS_SDL, resolvers }]), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port: 0 },
    context: async ({ req }) => {
      authorizations.push(req.headers.authorization);
      return {};
    },
  });
  return {
    url,
    authorizations,
    recordUsage(workspaceId, accountId, requests) {
      const accounts = usage.get(workspaceId) ?? new Map<string, number>();
      accounts.set(accountId, (accounts.get(accountId) ?? 0) + requests);
      usage.set(workspaceId, accounts);
    },
    close: () => server.stop(),
  };
}
