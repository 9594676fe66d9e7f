import { createPublicKey } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, importSPKI, jwtVerify, type JWTPayload, type KeyLike } from "jose";
import type { Config } from "../config";
import { unauthenticated } from "../errors/app-error";
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

  /** Turns an Authorization header into a principal; null when there is no header. */
  async authenticate(header: string | undefined): Promise<Principal | null> {
    if (header === undefined || header === "") return null;
    const apiToken = /^Bearer\s+(cat_[A-Za-z0-9_-]+)\s*$/.exec(header);
    // API tokens are checked against the database every time (never cached): revocation is immediate.
    if (apiToken && this.apiTokens) return this.apiTokens(apiToken[1]!);
    const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)\s*$/i.exec(header);
    if (!match) throw unauthenticated("The Authorization header must be a Bearer token.");
    return this.verify(match[1]!);
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
      throw unauthenticated("The token is malformed.");
    }
    const isDev = issuer === DEV_ISSUER;
    if (isDev && !this.devKey) throw unauthenticated("Dev tokens are not accepted here.");
    const key = isDev ? this.devKey!.publicKey : this.key;
    if (!key) throw unauthenticated("No token issuer is configured.");

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
      throw unauthenticated(describeJoseError(error));
    }
    const principal: Principal = {
      userId: String(payload.sub),
      displayName: typeof payload.name === "string" ? payload.name : null,
      email: typeof payload.email === "string" ? payload.email : null,
      via: isDev ? "dev-token" : "jwt",
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

// jose's messages are safe (they never include the token), but we keep to a stable short set.
function describeJoseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return "The token has expired.";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED": {
      const claim = (error as { claim?: string }).claim;
      return claim ? `The token's ${claim} claim is not accepted.` : "The token's claims are not accepted.";
    }
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "The token's signature is invalid.";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "The token's algorithm is not accepted.";
    case "ERR_JWKS_NO_MATCHING_KEY":
      return "The token was signed by an unknown key.";
    case "ERR_JWKS_TIMEOUT":
      return "The token issuer's keys could not be fetched in time.";
    default:
      return "The token is invalid.";
  }
}
