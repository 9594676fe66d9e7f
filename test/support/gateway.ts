import fs from "node:fs";
import path from "node:path";
import { composeServices } from "@apollo/composition";
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import gql from "graphql-tag";
import type { DocumentNode } from "graphql";

/** One subgraph the gateway routes to. */
export interface SubgraphEndpoint {
  name: string;
  url: string;
  /** Its SDL, for composing without asking it (connected-accounts: the committed schema/subgraph.graphql). */
  typeDefs?: DocumentNode;
}

/** A running gateway. */
export interface Gateway {
  url: string;
  /** The supergraph it composed. */
  supergraphSdl: string;
  close(): Promise<void>;
}

type GatewayContext = { authorization?: string };

/** connected-accounts' committed SDL: what production routers compose from. */
export const committedSubgraphSdl = (): DocumentNode => gql(fs.readFileSync(path.join(__dirname, "..", "..", "schema", "subgraph.graphql"), "utf8"));

/** Forwards the caller's bearer token to every subgraph, as a router's header propagation does. */
class ForwardAuthorization extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const authorization = (context as GatewayContext | undefined)?.authorization;
    if (authorization) request.http?.headers.set("authorization", authorization);
  }
}

/**
 * Starts `@apollo/gateway` in front of the subgraphs on a free port. The supergraph is composed
 * from the subgraphs' SDL (`compose: "sdl"`, each must have `typeDefs`) or by asking each for
 * `_service { sdl }` with `introspectionToken` (`compose: "introspect"`).
 */
export async function startGateway(subgraphs: SubgraphEndpoint[], options: { compose: "sdl" } | { compose: "introspect"; introspectionToken?: string }): Promise<Gateway> {
  let supergraphSdl = "";
  let gateway: ApolloGateway;
  const buildService = ({ url }: { url?: string }) => new ForwardAuthorization({ url });
  if (options.compose === "sdl") {
    const composition = composeServices(subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs: typeDefs! })));
    if (composition.errors) throw new Error(`composition failed: ${composition.errors.map((e) => e.message).join("; ")}`);
    supergraphSdl = composition.supergraphSdl;
    gateway = new ApolloGateway({ supergraphSdl, buildService });
  } else {
    const manager = new IntrospectAndCompose({
      subgraphs: subgraphs.map(({ name, url }) => ({ name, url })),
      introspectionHeaders: options.introspectionToken ? { authorization: `Bearer ${options.introspectionToken}` } : {},
    });
    gateway = new ApolloGateway({ supergraphSdl: manager, buildService });
  }
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    supergraphSdl = coreSupergraphSdl;
  });
  const server = new ApolloServer<GatewayContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port: 0 },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return {
    url,
    get supergraphSdl() {
      return supergraphSdl;
    },
    close: () => server.stop(),
  };
}
