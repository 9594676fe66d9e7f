import fs from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from "jose";

/** Issuer of tokens minted by the dev key; refused whenever dev tokens are off. */
export const DEV_ISSUER = "urn:connected-accounts:dev";
const ALG = "ES256";

/** The local dev signing key pair. */
export interface DevKeyPair {
  privateKey: KeyLike;
  publicKey: KeyLike;
}

/** Loads the dev key from its file, creating it (mode 0600) on first use. */
export async function loadOrCreateDevKey(file: string): Promise<DevKeyPair> {
  if (fs.existsSync(file)) {
    const jwk = JSON.parse(fs.readFileSync(file, "utf8")) as JWK;
    const { d: _d, ...publicJwk } = jwk;
    return {
      privateKey: (await importJWK(jwk, ALG)) as KeyLike,
      publicKey: (await importJWK(publicJwk, ALG)) as KeyLike,
    };
  }
  const pair = await generateKeyPair(ALG, { extractable: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(await exportJWK(pair.privateKey)), { mode: 0o600 });
  return pair;
}

/** Claims of a dev token. */
export interface DevTokenClaims {
  sub: string;
  name?: string;
  email?: string;
}

/** Mints a dev token for the given user, valid for `ttlSeconds`. */
export async function mintDevToken(
  key: DevKeyPair,
  audience: string,
  claims: DevTokenClaims,
  ttlSeconds = 12 * 3600,
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: ALG, typ: "JWT" })
    .setSubject(sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key.privateKey);
}
