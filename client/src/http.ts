import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import { ConnectedAccountsError, fromGraphQLErrors, type GraphQLErrorBody } from "./errors.js";

/** A GraphQL document that carries its result and variables types (the generated documents are these). */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

/** Where and as whom the client calls the service. */
export interface Transport {
  url: string;
  getToken: () => Promise<string>;
  fetch: typeof fetch;
}

/**
 * Sends one operation over HTTP with a fresh bearer token. Resolves with `data`; rejects with a
 * {@link ConnectedAccountsError} carrying the first error's code. A 401 is retried once with the
 * token `getToken` gives then (the app may have renewed its session meanwhile).
 */
export async function request<TResult, TVariables>(
  transport: Transport,
  document: TypedDocument<TResult, TVariables> | string,
  variables?: TVariables,
  signal?: AbortSignal,
): Promise<TResult> {
  const body = JSON.stringify({ query: String(document), variables: variables ?? {} });
  for (let attempt = 0; ; attempt += 1) {
    const token = await transport.getToken();
    let response: Response;
    try {
      response = await transport.fetch(transport.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
        body,
        credentials: "omit",
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw new ConnectedAccountsError("ABORTED", "The request was cancelled.");
      throw new ConnectedAccountsError("NETWORK_ERROR", `The service could not be reached (${(error as Error).message}).`);
    }
    let payload: { data?: TResult | null; errors?: GraphQLErrorBody[] };
    try {
      payload = (await response.json()) as typeof payload;
    } catch {
      throw new ConnectedAccountsError("NETWORK_ERROR", `The service answered HTTP ${response.status} without a GraphQL body.`);
    }
    if (response.status === 401 && attempt === 0) continue;
    if (payload.errors?.length) throw fromGraphQLErrors(payload.errors);
    if (!payload.data) throw new ConnectedAccountsError("NETWORK_ERROR", `The service answered HTTP ${response.status} without data.`);
    return payload.data;
  }
}
