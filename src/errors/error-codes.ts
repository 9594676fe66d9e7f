/**
 * The closed set of error codes clients may see. Every error leaving the API carries exactly one
 * of these in `extensions.code`; anything else is mapped to INTERNAL with a generic message.
 */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "BAD_USER_INPUT",
  "CONFLICT",
  "PROVIDER_UNAVAILABLE",
  "SERVICE_UNAVAILABLE",
  "CREDENTIALS_UNREADABLE",
  "QUERY_TOO_COMPLEX",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "INTERNAL",
] as const;

/** One of the stable error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status used when the error is answered outside GraphQL (REST, health, callback routes). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  PROVIDER_UNAVAILABLE: 502,
  SERVICE_UNAVAILABLE: 503,
  CREDENTIALS_UNREADABLE: 500,
  QUERY_TOO_COMPLEX: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  INTERNAL: 500,
};

/** Messages shown when an error carries no safe message of its own. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: "Authentication is required.",
  FORBIDDEN: "You are not allowed to do this.",
  NOT_FOUND: "Not found.",
  BAD_USER_INPUT: "The input is invalid.",
  CONFLICT: "The request conflicts with the current state.",
  PROVIDER_UNAVAILABLE: "The provider did not answer in time; try again later.",
  SERVICE_UNAVAILABLE: "The service is temporarily unavailable; try again later.",
  CREDENTIALS_UNREADABLE: "The stored credentials could not be opened (altered, or sealed under a key this service no longer has); reconnect the account, or ask an operator to restore the key.",
  QUERY_TOO_COMPLEX: "The query is too complex.",
  GRAPHQL_PARSE_FAILED: "The query could not be parsed.",
  GRAPHQL_VALIDATION_FAILED: "The query is not valid against the schema.",
  BAD_REQUEST: "The request is malformed.",
  INTERNAL: "Something went wrong on our side.",
};
