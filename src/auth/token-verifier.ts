import { createPublicKey } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, importSPKI, jwtVerify, type JWTPayload, type KeyLike } from "jose";
import type { Config } from "../config";
import { AppError, serviceUnavailable } from "../errors/app-error";
import { DEV_ISSUER, loadOrCreateDevKey, type DevKeyPair } from "./dev-keys";
import type { Principal } from "./principal";

const ASYMMETRIC_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
const CACHE_LIMIT = 10_000;
const CACHE_TTL_MS = 60_000;

type KeySource = KeyLike | ReturnType<typeof createRemoteJWKSet>;

/**
 * Verifies bearer JWTs: signature against the configured JWKS or public key (or the local dev key
 * for dev tokens, only when they are on), then issuer, audience and expiry. A verified token is
 * remembered for up to a minute (never past its expiry) so the hot path does not re-verify it.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  private apiTokens?: (token: string) => Promise<Principal>;

  private constructor(
    private readonly auth: Config["auth"],
    private readonly key: KeySource | undefined,
    private readonly devKey: DevKeyPair | undefined,
  ) {}

  /** Builds a verifier from configuration, loading (or creating) the dev key when dev tokens are on. */
  static async create(auth: Config["auth"]): Promise<TokenVerifier> {
    let key: KeySource | undefined;
    if (auth.jwksUrl) {
      key = createRemoteJWKSet(new URL(auth.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    } else if (auth.publicKey) {
      key = (await importSPKI(auth.publicKey, algorithmOf(auth.publicKey))) as KeyLike;
    }
    const devKey = auth.devTokens ? await loadOrCreateDevKey(auth.devKeyPath) : undefined;
    return new TokenVerifier(auth, key, devKey);
  }

  /** The dev key pair, when dev tokens are on (used to mint tokens for local use). */
  get devKeyPair(): DevKeyPair | undefined {
    return this.devKey;
  }

  /** Accepts personal API tokens (`cat_…`), checked by this function, besides JWTs. */
  useApiTokens(check: (token: string) => Promise<Principal>): void {
    this.apiTokens = check;
  }

  /**
   * Turns an Authorization header into a principal; null when there is no header. A header that
   * is there but wrong is refused with what is wrong about it (`details.reason`, see
   * AUTH_FAILURE_REASONS), never with the token itself.
   */
  async authenticate(header: string | undefined): Promise<Principal | null> {
    if (header === undefined) return null;
    // The common case first: a JWT verified moments ago, sent exactly as `Bearer <token>` (only
    // verified JWTs are in the cache, never API tokens), without parsing the header again.
    if (header.startsWith("Bearer ")) {
      const cached = this.cache.get(header.slice(7));
      if (cached && cached.until > Date.now()) return cached.principal;
    }
    if (header.trim() === "") return null;
    const [, scheme, rest] = /^\s*(\S+)\s*(.*?)\s*$/s.exec(header) ?? [];
    if (scheme?.toLowerCase() !== "bearer") {
      throw authFailure("NOT_BEARER", "The Authorization header must use the Bearer scheme: Authorization: Bearer <token>.");
    }
    const token = rest ?? "";
    if (token === "") throw authFailure("MALFORMED", "The Authorization header has no token after Bearer.");
    // API tokens are checked against the database every time (never cached): revocation is immediate.
    if (token.startsWith("cat_") && this.apiTokens) return this.apiTokens(token);
    if (!/^[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+$/.test(token)) {
      throw authFailure("MALFORMED", "The bearer token is malformed: it is neither a JWT (three base64url parts) nor an API token (cat_…).");
    }
    return this.verify(token);
  }

  /** Verifies one token; throws UNAUTHENTICATED with a reason that never echoes the token. */
  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached && cached.until > now) return cached.principal;

    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw authFailure("MALFORMED", "The bearer token is malformed: its parts are not a JWT.");
    }
    const isDev = issuer === DEV_ISSUER;
    if (isDev && !this.devKey) throw authFailure("WRONG_ISSUER", "Dev tokens are not accepted here.");
    const key = isDev ? this.devKey!.publicKey : this.key;
    if (!key) throw authFailure("WRONG_ISSUER", "No token issuer is configured.");

    let payload: JWTPayload;
    try {
      const options = {
        issuer: isDev ? DEV_ISSUER : this.auth.issuer,
        audience: this.auth.audience,
        clockTolerance: this.auth.clockToleranceSec,
        algorithms: ASYMMETRIC_ALGORITHMS,
        requiredClaims: ["sub", "exp"],
      };
      // jose's overloads split key objects from JWKS functions; both verify the same way.
      payload = (await jwtVerify(token, key as KeyLike, options)).payload;
    } catch (error) {
      throw joseFailure(error, !isDev && this.auth.jwksUrl !== undefined);
    }
    const principal: Principal = {
      userId: String(payload.sub),
      displayName: typeof payload.name === "string" ? payload.name : null,
      email: typeof payload.email === "string" ? payload.email : null,
      via: isDev ? "dev-token" : "jwt",
      // Accepted until exp plus the allowed clock skew, as jwtVerify itself judges it.
      expiresAt: ((payload.exp ?? 0) + this.auth.clockToleranceSec) * 1000,
    };
    this.remember(token, principal, Math.min(now + CACHE_TTL_MS, (payload.exp ?? 0) * 1000));
    return principal;
  }

  private remember(token: string, principal: Principal, until: number): void {
    if (this.cache.size >= CACHE_LIMIT) {
      // Drop the oldest entry (Map keeps insertion order): a bounded, cheap approximation of LRU.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(token, { principal, until });
  }
}

// The algorithm to import a PEM public key for, from the key's own type.
function algorithmOf(pem: string): string {
  const key = createPublicKey(pem);
  switch (key.asymmetricKeyType) {
    case "rsa":
      return "RS256";
    case "ec":
      return key.asymmetricKeyDetails?.namedCurve === "secp384r1" ? "ES384" : "ES256";
    case "ed25519":
      return "EdDSA";
    default:
      throw new Error(`Unsupported public key type ${key.asymmetricKeyType}`);
  }
}

/** Why a presented credential was refused (`extensions.details.reason` of UNAUTHENTICATED). */
export const AUTH_FAILURE_REASONS = [
  "MISSING",
  "NOT_BEARER",
  "MALFORMED",
  "INVALID_SIGNATURE",
  "UNKNOWN_KEY",
  "ALGORITHM_NOT_ALLOWED",
  "EXPIRED",
  "NOT_YET_VALID",
  "WRONG_AUDIENCE",
  "WRONG_ISSUER",
  "MISSING_CLAIM",
  "UNKNOWN_TOKEN",
  "REVOKED",
  "MEMBER_LEFT",
] as const;

/** One of AUTH_FAILURE_REASONS. */
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/** UNAUTHENTICATED with its reason: a client can tell "get a new token" (EXPIRED) from "fix the request". */
export function authFailure(reason: AuthFailureReason, message: string): AppError {
  return new AppError("UNAUTHENTICATED", message, { reason });
}

// jose's messages are safe (they never include the token), but we keep to a stable short set, and
// a JWKS we cannot fetch is our outage (503, retry), not the caller's bad token.
function joseFailure(error: unknown, remoteKeys: boolean): AppError {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return authFailure("EXPIRED", "The token has expired.");
    case "ERR_JWT_CLAIM_VALIDATION_FAILED": {
      const { claim, reason } = error as { claim?: string; reason?: string };
      if (reason === "missing") return authFailure("MISSING_CLAIM", `The token has no ${claim ?? "required"} claim.`);
      if (claim === "aud") return authFailure("WRONG_AUDIENCE", "The token was issued for another audience (aud).");
      if (claim === "iss") return authFailure("WRONG_ISSUER", "The token was issued by an issuer this service does not trust (iss).");
      if (claim === "nbf") return authFailure("NOT_YET_VALID", "The token is not valid yet (nbf).");
      return authFailure("MALFORMED", claim ? `The token's ${claim} claim is not accepted.` : "The token's claims are not accepted.");
    }
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return authFailure("INVALID_SIGNATURE", "The token's signature is invalid.");
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return authFailure("ALGORITHM_NOT_ALLOWED", "The token's algorithm is not accepted.");
    case "ERR_JWKS_NO_MATCHING_KEY":
    case "ERR_JWKS_MULTIPLE_MATCHING_KEYS":
      return authFailure("UNKNOWN_KEY", "The token was signed by a key the issuer does not publish.");
    case "ERR_JWS_INVALID":
    case "ERR_JWT_INVALID":
    case "ERR_JOSE_NOT_SUPPORTED":
      return authFailure("MALFORMED", "The bearer token is malformed.");
    case "ERR_JWKS_TIMEOUT":
      return serviceUnavailable("The token issuer's keys could not be fetched in time; try again.");
    case "ERR_JWKS_INVALID":
      return serviceUnavailable("The token issuer's keys could not be read; try again.");
    default:
      // With a JWKS URL, an error that is not JOSE's own (ECONNREFUSED, ENOTFOUND, …) is the key request failing.
      if (remoteKeys && (code === undefined || code === "ERR_JOSE_GENERIC" || !/^ERR_J(WS|WT|WK|WE|OSE)/.test(code))) {
        return serviceUnavailable("The token issuer's keys could not be read; try again.");
      }
      return authFailure("MALFORMED", "The token is not valid for this service.");
  }
}
