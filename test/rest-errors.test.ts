/**
 * Every REST answer (`/v1/…`, and any path the service does not serve) has one error shape:
 * `{"error": {"code", "message", "details"?}}` with the code's HTTP status, never GraphQL's
 * `{"errors": [...]}`.
 */
import { buildAccount, buildTeam } from "./support/factories";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

async function rest(path: string, init: RequestInit & { token?: string } = {}) {
  const headers: Record<string, string> = init.token ? { authorization: `Bearer ${init.token}` } : {};
  const response = await fetch(`${service.baseUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

describe("REST errors have one shape", () => {
  it.each([
    ["an unknown /v1 path", "/v1/nothing-here", 404, "NOT_FOUND"],
    ["the /v1 root", "/v1", 404, "NOT_FOUND"],
    ["an account path with an id that is not one", "/v1/accounts/not-an-id", 404, "NOT_FOUND"],
    ["an account that does not exist", "/v1/accounts/00000000-0000-4000-8000-000000000000", 404, "NOT_FOUND"],
    ["a path nested below an account", "/v1/accounts/00000000-0000-4000-8000-000000000000/x", 404, "NOT_FOUND"],
    ["a path outside /v1", "/nothing-here", 404, "NOT_FOUND"],
  ])("answers %s with the error shape", async (_label, path, status, code) => {
    const answer = await rest(path, { token: await service.token("rest-user") });
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });

  it("answers a wrong method, a missing token and a forbidden scope in the same shape", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const post = await rest(`/v1/accounts/${account.id}`, { method: "POST", token: await service.token(team.owner.userId) });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    expect(post.body).toEqual({ error: { code: "BAD_REQUEST", message: "Use GET." } });
    const anonymous = await rest(`/v1/accounts/${account.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="connected-accounts"');
    expect(anonymous.body).toEqual({ error: { code: "UNAUTHENTICATED", message: expect.stringMatching(/Authentication is required/), details: { reason: "MISSING" } } });
    const outsider = await rest(`/v1/accounts/${account.id}`, { token: await service.token(team.outsider.userId) });
    expect(outsider.status).toBe(404);
    expect(outsider.body).toEqual({ error: { code: "NOT_FOUND", message: "Account not found." } });
  });
});
