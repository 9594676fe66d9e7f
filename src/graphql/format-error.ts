import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { limitErrorOf } from "./limits";
import type { Logger } from "../logging/logger";
import { AppError } from "../errors/app-error";
import { logOperationalError, toClientError } from "../errors/client-error";
import { DEFAULT_MESSAGES, type ErrorCode } from "../errors/error-codes";

// Codes Apollo or graphql-js attach to errors about the request itself; their messages describe
// the query, never server state, so they pass through (schema hints are removed in production).
const REQUEST_ERROR_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: "GRAPHQL_PARSE_FAILED",
  GRAPHQL_VALIDATION_FAILED: "GRAPHQL_VALIDATION_FAILED",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  BAD_REQUEST: "BAD_REQUEST",
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  PERSISTED_QUERY_NOT_FOUND: "BAD_REQUEST",
  PERSISTED_QUERY_NOT_SUPPORTED: "BAD_REQUEST",
  OPERATION_RESOLUTION_FAILURE: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHENTICATED",
};

// graphql-js describes a bad variable by printing the value it got, which can be a credential
// (e.g. `Variable "$input" got invalid value { value: "SG.…" } at "input.credentials[0]"`). Keep
// the variable, the path and the reason when the reason is about the shape, never the value.
const BAD_VARIABLE = /^Variable "(\$[\w]+)" got invalid value [\s\S]*?(?: at "([^"]+)")?; ([\s\S]*)$/;
const SHAPE_REASON = /^(Field "[\w]+" is not defined by type "[\w]+"\.|Field "[\w]+" of required type "[^"]+" was not provided\.|Expected non-nullable type "[^"]+" not to be null\.)/;

/** A variable-coercion message without the offending value. */
export function redactVariableMessage(message: string): string {
  const match = BAD_VARIABLE.exec(message);
  if (!match) return message;
  const [, variable, at, reason] = match;
  const shape = SHAPE_REASON.exec(reason ?? "")?.[1];
  return `Variable "${variable}" has an invalid value${at ? ` at "${at}"` : ""}${shape ? `: ${shape}` : "."}`;
}



/** Apollo's formatError: maps every error to the closed set of codes, logging the unexpected ones. */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Validation rules report limits as a GraphQLError wrapping an AppError; Apollo re-wraps those
    // with its own code, so look through to the AppError wherever it sits.
    const unwrapped = unwrapResolverError(error);
    const apolloCode = formatted.extensions?.code;
    // Limits graphql-js enforces itself (token cap, parser stack, validation budget) arrive as
    // parse or validation errors: QUERY_TOO_COMPLEX, as the direct path and graphql-ws say.
    const limit = apolloCode === "GRAPHQL_PARSE_FAILED" || apolloCode === "GRAPHQL_VALIDATION_FAILED" ? limitErrorOf(unwrapped, apolloCode === "GRAPHQL_PARSE_FAILED" ? "parse" : "validate") : undefined;
    const original = limit ?? (unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError ? unwrapped.originalError : unwrapped);
    if (!(original instanceof AppError) && typeof apolloCode === "string" && apolloCode in REQUEST_ERROR_CODES) {
      return {
        message: redactVariableMessage(formatted.message),
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: REQUEST_ERROR_CODES[apolloCode] },
      };
    }
    const client = toClientError(original);
    logOperationalError(logger, original, client.code, { path: formatted.path });
    return {
      message: client.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: client.code, ...(client.details ? { details: client.details } : {}) },
    };
  };
}

/** The client form of a GraphQL error on a path Apollo does not serve (graphql-ws, direct execution): Apollo's steps, then formatError. */
export function formatGraphQLError(
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
  error: GraphQLError,
  defaultCode: string,
): GraphQLFormattedError {
  const json = error.toJSON();
  const formatted: GraphQLFormattedError = { ...json, extensions: { ...json.extensions, code: json.extensions?.code ?? defaultCode } };
  try {
    return formatError(formatted, error);
  } catch {
    return { message: DEFAULT_MESSAGES.INTERNAL, extensions: { code: "INTERNAL" } };
  }
}

/**
 * The code a request error gets when nothing more specific is known: graphql-js reports syntax
 * errors and validation errors alike, without codes (Apollo adds them on its own path).
 */
export function requestErrorCode(error: GraphQLError): "GRAPHQL_PARSE_FAILED" | "GRAPHQL_VALIDATION_FAILED" {
  return error.message.startsWith("Syntax Error") ? "GRAPHQL_PARSE_FAILED" : "GRAPHQL_VALIDATION_FAILED";
}

