// The OAuth provider fixture on its own, without the service: the properties the service's OAuth
// tests rely on (PKCE, state, refresh rotation and reuse detection, failure modes, controls).
import { OAuthProviderFixture, pkcePair } from "./support/oauth-provider";

const CLIENT = { clientId: "fixture-client", clientSecret: "fixture-secret", redirectUri: "http://127.0.0.1:9/callback" };
const BASIC_CLIENT = { clientId: "basic-client", clientSecret: "basic-secret", redirectUri: "http://127.0.0.1:9/basic-callback" };

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  token_type?: string;
  id_token?: string;
  error?: string;
}

function authorizationUrl(idp: OAuthProviderFixture, options: { scope?: string; state?: string; challenge?: string; clientId?: string; redirectUri?: string } = {}): string {
  const url = new URL(idp.authorizationUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", options.clientId ?? CLIENT.clientId);
  url.searchParams.set("redirect_uri", options.redirectUri ?? CLIENT.redirectUri);
  url.searchParams.set("scope", options.scope ?? "openid profile read");
  url.searchParams.set("state", options.state ?? "state-1");
  if (options.challenge) {
    url.searchParams.set("code_challenge", options.challenge);
    url.searchParams.set("code_challenge_method", "S256");
  }
  return url.href;
}

async function tokenRequest(idp: OAuthProviderFixture, params: Record<string, string>, init: { signal?: AbortSignal; basic?: boolean } = {}) {
  const client = init.basic ? BASIC_CLIENT : CLIENT;
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (init.basic) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`;
  } else if (!body.has("client_id")) {
    body.set("client_id", client.clientId);
    body.set("client_secret", client.clientSecret);
  }
  const response = await fetch(idp.tokenUrl, { method: "POST", headers, body, signal: init.signal ?? AbortSignal.timeout(5000) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as TokenResponse };
}

const refresh = (idp: OAuthProviderFixture, refreshToken: string, init?: { signal?: AbortSignal }) =>
  tokenRequest(idp, { grant_type: "refresh_token", refresh_token: refreshToken }, init);

/** The whole flow up to tokens: authorize (with PKCE) and exchange the code. */
async function connect(idp: OAuthProviderFixture, options: { scope?: string; loginHint?: string } = {}) {
  const pkce = pkcePair();
  const redirect = await idp.authorize(authorizationUrl(idp, { scope: options.scope, challenge: pkce.challenge }), { loginHint: options.loginHint });
  const code = redirect.searchParams.get("code");
  if (!code) throw new Error(`no code: ${redirect.href}`);
  const tokens = await tokenRequest(idp, { grant_type: "authorization_code", code, redirect_uri: CLIENT.redirectUri, code_verifier: pkce.verifier });
  expect(tokens.status).toBe(200);
  return tokens.body as Required<Pick<TokenResponse, "access_token" | "refresh_token" | "expires_in" | "scope">> & TokenResponse;
}

async function userinfo(idp: OAuthProviderFixture, accessToken: string) {
  const response = await fetch(idp.userinfoUrl, { headers: { authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("OAuth provider fixture, refresh token rotation on", () => {
  let idp: OAuthProviderFixture;
  beforeAll(async () => {
    idp = await OAuthProviderFixture.start({
      clients: [
        { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, redirectUris: [CLIENT.redirectUri] },
        { clientId: BASIC_CLIENT.clientId, clientSecret: BASIC_CLIENT.clientSecret, redirectUris: [BASIC_CLIENT.redirectUri], authMethod: "client_secret_basic" },
      ],
      accessTokenTtl: 600,
      accounts: {
        alice: { sub: "alice", name: "Alice Example", email: "alice@example.test" },
        bob: { sub: "bob-1234", name: "Bob Example" },
      },
    });
  }, 25_000);
  afterAll(async () => {
    await idp?.stop();
  });
  beforeEach(async () => {
    await idp.setTokenMode({ token: "normal" });
    await idp.grantScopes(null);
    await idp.resetStats();
  });

  it("publishes its endpoints from discovery", () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(idp.authorizationUrl).toBe(`${idp.issuer}/auth`);
    expect(idp.tokenUrl).toBe(`${idp.issuer}/token`);
    expect(idp.userinfoUrl).toBe(`${idp.issuer}/me`);
    expect(idp.revocationUrl).toBe(`${idp.issuer}/token/revocation`);
  });

  it("runs a code flow with PKCE and state; rotates refresh tokens; a reused one kills the grant", async () => {
    const pkce = pkcePair();
    const redirect = await idp.authorize(authorizationUrl(idp, { challenge: pkce.challenge, state: "s-42" }));
    expect(`${redirect.origin}${redirect.pathname}`).toBe(CLIENT.redirectUri);
    expect(redirect.searchParams.get("state")).toBe("s-42");
    expect(redirect.searchParams.get("iss")).toBe(idp.issuer);
    const code = redirect.searchParams.get("code")!;
    expect(code).toBeTruthy();

    // the code needs the right verifier
    const wrongVerifier = await tokenRequest(idp, { grant_type: "authorization_code", code, redirect_uri: CLIENT.redirectUri, code_verifier: pkcePair().verifier });
    expect(wrongVerifier.status).toBe(400);
    expect(wrongVerifier.body.error).toBe("invalid_grant");

    // a code is single-use and the failed attempt above consumed it: run the flow again
    const tokens = await connect(idp);
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 600, scope: "openid profile read" });
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.id_token).toEqual(expect.any(String));

    const me = await userinfo(idp, tokens.access_token);
    expect(me).toEqual({ status: 200, body: { sub: "alice", name: "Alice Example" } });

    const first = await refresh(idp, tokens.refresh_token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: "Bearer", expires_in: 600, scope: "openid profile read" });
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(first.body.access_token).not.toBe(tokens.access_token);
    expect((await userinfo(idp, first.body.access_token!)).status).toBe(200);

    // the old refresh token again: refused, and the reuse revokes the grant...
    const reuse = await refresh(idp, tokens.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe("invalid_grant");
    // ...so the newest refresh token and the access tokens stop working too
    const newest = await refresh(idp, first.body.refresh_token!);
    expect(newest.status).toBe(400);
    expect(newest.body.error).toBe("invalid_grant");
    expect((await userinfo(idp, first.body.access_token!)).status).toBe(401);

    expect(await idp.stats()).toEqual({
      tokenRequests: 5,
      refreshRequests: 3,
      authorizationCodeRequests: 2,
      revocationRequests: 0,
      refreshTokensSeen: [tokens.refresh_token, tokens.refresh_token, first.body.refresh_token],
    });
  });

  it("of two concurrent refreshes with the same token, one wins and the other revokes the grant", async () => {
    const tokens = await connect(idp);
    const results = await Promise.all([refresh(idp, tokens.refresh_token), refresh(idp, tokens.refresh_token)]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 400]);
    const winner = results.find((result) => result.status === 200)!;
    expect(results.find((result) => result.status === 400)!.body.error).toBe("invalid_grant");
    expect((await refresh(idp, winner.body.refresh_token!)).body.error).toBe("invalid_grant");
  });

  it("logs in the account named by login_hint; an unknown one comes back as access_denied", async () => {
    const tokens = await connect(idp, { loginHint: "bob", scope: "openid profile email" });
    expect(tokens.scope).toBe("openid profile email");
    expect((await userinfo(idp, tokens.access_token)).body).toEqual({ sub: "bob-1234", name: "Bob Example" });

    const denied = await idp.authorize(authorizationUrl(idp, { state: "s-x" }), { loginHint: "mallory" });
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("s-x");
    expect(denied.searchParams.get("code")).toBeNull();
  });

  it("authenticates a client_secret_basic client, and only that way", async () => {
    const redirect = await idp.authorize(authorizationUrl(idp, { clientId: BASIC_CLIENT.clientId, redirectUri: BASIC_CLIENT.redirectUri }));
    const code = redirect.searchParams.get("code")!;
    const tokens = await tokenRequest(idp, { grant_type: "authorization_code", code, redirect_uri: BASIC_CLIENT.redirectUri }, { basic: true });
    expect(tokens.status).toBe(200);
    const refreshed = await tokenRequest(idp, { grant_type: "refresh_token", refresh_token: tokens.body.refresh_token! }, { basic: true });
    expect(refreshed.status).toBe(200);
    const inBody = await tokenRequest(idp, {
      grant_type: "refresh_token",
      refresh_token: refreshed.body.refresh_token!,
      client_id: BASIC_CLIENT.clientId,
      client_secret: BASIC_CLIENT.clientSecret,
    });
    expect(inBody).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect((await refresh(idp, refreshed.body.refresh_token!)).body.error).toBe("invalid_grant"); // another client's token

    // and a client_secret_post client may not use Basic
    const post = await connect(idp);
    const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64");
    const wrong = await fetch(idp.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: post.refresh_token }),
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as TokenResponse).error).toBe("invalid_client");
    expect((await refresh(idp, post.refresh_token)).status).toBe(200);
  });

  it("answers the next refresh with 503 once, then normally (the failed one did not consume the token)", async () => {
    const tokens = await connect(idp);
    await idp.setTokenMode({ token: "status", status: 503, count: 1 });
    const failed = await refresh(idp, tokens.refresh_token);
    expect(failed).toMatchObject({ status: 503, body: { error: "temporarily_unavailable" } });
    const next = await refresh(idp, tokens.refresh_token);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).toEqual(expect.any(String));
    expect((await idp.stats()).refreshRequests).toBe(2);
  });

  it("answers with a chosen status, body and Retry-After until told otherwise; code exchanges stay normal", async () => {
    await idp.setTokenMode({ token: "status", status: 429, body: { error: "slow_down" }, retryAfter: "120" });
    const tokens = await connect(idp); // authorization_code grant: unaffected
    for (let i = 0; i < 2; i += 1) {
      const limited = await refresh(idp, tokens.refresh_token);
      expect(limited).toMatchObject({ status: 429, body: { error: "slow_down" } });
      expect(limited.headers.get("retry-after")).toBe("120");
    }
    await idp.setTokenMode({ token: "status", status: 400, body: { error: "invalid_client" }, allGrants: true, count: 1 });
    const pkce = pkcePair();
    const redirect = await idp.authorize(authorizationUrl(idp, { challenge: pkce.challenge }));
    const exchange = await tokenRequest(idp, {
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code")!,
      redirect_uri: CLIENT.redirectUri,
      code_verifier: pkce.verifier,
    });
    expect(exchange).toMatchObject({ status: 400, body: { error: "invalid_client" } });
    expect((await refresh(idp, tokens.refresh_token)).status).toBe(200);
  });

  it("hangs refresh requests in hang mode", async () => {
    const tokens = await connect(idp);
    await idp.setTokenMode({ token: "hang" });
    const started = Date.now();
    await expect(refresh(idp, tokens.refresh_token, { signal: AbortSignal.timeout(500) })).rejects.toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    await idp.setTokenMode({ token: "normal" });
    expect((await refresh(idp, tokens.refresh_token)).status).toBe(200);
    expect(await idp.stats()).toMatchObject({ refreshRequests: 2, refreshTokensSeen: [tokens.refresh_token, tokens.refresh_token] });
  });

  it("grants only the scopes it is told to, then everything asked again", async () => {
    await idp.grantScopes(["openid"]);
    const narrow = await connect(idp, { scope: "openid profile read" });
    expect(narrow.scope).toBe("openid");
    expect((await userinfo(idp, narrow.access_token)).body).toEqual({ sub: "alice" });
    expect((await refresh(idp, narrow.refresh_token)).body.scope).toBe("openid");

    await idp.grantScopes(null);
    expect((await connect(idp, { scope: "openid read write" })).scope).toBe("openid read write");
  });

  it("revokes tokens: RFC 7009 for one grant, revokeAll() for every grant", async () => {
    const one = await connect(idp);
    const revoked = await fetch(idp.revocationUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: one.refresh_token, token_type_hint: "refresh_token", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }),
    });
    expect(revoked.status).toBe(200);
    expect((await refresh(idp, one.refresh_token)).body.error).toBe("invalid_grant");
    expect((await idp.stats()).revocationRequests).toBe(1);

    const two = await connect(idp);
    const three = await connect(idp, { loginHint: "bob" });
    await idp.revokeAll();
    for (const tokens of [two, three]) {
      expect((await refresh(idp, tokens.refresh_token)).body.error).toBe("invalid_grant");
      expect((await userinfo(idp, tokens.access_token)).status).toBe(401);
    }
    expect((await connect(idp)).refresh_token).toEqual(expect.any(String)); // new grants work again
  });
});

describe("OAuth provider fixture, refresh token rotation off", () => {
  let idp: OAuthProviderFixture;
  beforeAll(async () => {
    idp = await OAuthProviderFixture.start({
      clients: [{ clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, redirectUris: [CLIENT.redirectUri] }],
      rotateRefreshTokens: false,
    });
  }, 25_000);
  afterAll(async () => {
    await idp?.stop();
  });

  it("answers a refresh with the same refresh token, which keeps working", async () => {
    const tokens = await connect(idp);
    expect((await userinfo(idp, tokens.access_token)).body).toEqual({ sub: "alice", name: "Alice" });
    const first = await refresh(idp, tokens.refresh_token);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBe(tokens.refresh_token);
    const second = await refresh(idp, tokens.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.access_token).not.toBe(first.body.access_token);
    expect((await userinfo(idp, first.body.access_token!)).status).toBe(200); // earlier access tokens stay valid
  });
});

describe("OAuth provider fixture lifecycle", () => {
  it("rejects start() with the child's stderr when the configuration is bad", async () => {
    await expect(
      OAuthProviderFixture.start({ clients: [{ clientId: "x", clientSecret: "y", redirectUris: "nope" as unknown as string[] }] }),
    ).rejects.toThrow(/each client needs client_id, client_secret and redirect_uris/);
  });
});
