import { exportSPKI, generateKeyPair, SignJWT, type KeyLike } from "jose";

/** The issuer and audience the test services trust. */
export const TEST_ISSUER = "https://issuer.test.example";
export const TEST_AUDIENCE = "connected-accounts";

let keys: Promise<{ privateKey: KeyLike; publicKey: KeyLike; publicPem: string }> | undefined;

/** The test identity provider's key pair (one per test process). */
export function testIssuerKeys() {
  keys ??= (async () => {
    const pair = await generateKeyPair("RS256");
    return { ...pair, publicPem: await exportSPKI(pair.publicKey) };
  })();
  return keys;
}

/** Claims and overrides for a test token. */
export interface TokenOptions {
  name?: string;
  email?: string;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with this key instead of the trusted one. */
  key?: KeyLike;
  alg?: string;
  kid?: string;
}

/** Mints a bearer token for `sub` the way the identity provider would. */
export async function mintToken(sub: string, options: TokenOptions = {}): Promise<string> {
  const key = options.key ?? (await testIssuerKeys()).privateKey;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: options.name ?? sub, ...(options.email ? { email: options.email } : {}) })
    .setProtectedHeader({ alg: options.alg ?? "RS256", ...(options.kid ? { kid: options.kid } : {}) })
    .setSubject(sub)
    .setIssuer(options.issuer ?? TEST_ISSUER)
    .setAudience(options.audience ?? TEST_AUDIENCE)
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (options.expiresIn ?? 600))
    .sign(key);
}
