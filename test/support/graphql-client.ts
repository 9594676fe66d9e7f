import { print, type DocumentNode } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

/** One GraphQL error as the API returns it. */
export interface GraphQLErrorBody {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; details?: Record<string, unknown> } & Record<string, unknown>;
}

/** A GraphQL response with its HTTP status and raw text (for secret scans). */
export interface GraphQLResult<T> {
  status: number;
  data: T | null | undefined;
  errors: GraphQLErrorBody[] | undefined;
  text: string;
  headers: Headers;
}

/** Sends one operation over real HTTP. */
export async function gql<TData = Record<string, unknown>, TVars = Record<string, unknown>>(
  url: string,
  document: TypedDocumentNode<TData, TVars> | DocumentNode | string,
  variables?: TVars,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResult<TData>> {
  const query = typeof document === "string" ? document : print(document);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let body: { data?: TData | null; errors?: GraphQLErrorBody[] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // leave body empty: the test will see status and text
  }
  return { status: response.status, data: body.data, errors: body.errors, text, headers: response.headers };
}

/** The error codes of a result, in order. */
export const codesOf = (result: GraphQLResult<unknown>): Array<string | undefined> =>
  (result.errors ?? []).map((e) => e.extensions?.code);

/** Returns the data, failing the test with the errors when there are any. */
export function dataOf<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL errors (HTTP ${result.status}): ${JSON.stringify(result.errors ?? result.text)}`);
  }
  return result.data;
}
