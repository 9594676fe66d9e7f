import { AppDocument, AppsDocument } from "../operations/generated";
import { codesOf, dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

describe("app catalog API", () => {
  it("pages through every app in a stable order without gaps or repeats", async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const page = dataOf(await service.call("reader", AppsDocument, { page: { first: 100, after } })).apps;
      total = page.totalCount;
      seen.push(...page.nodes.map((n) => n.slug));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThanOrEqual(200);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("searches by name and filters by auth type", async () => {
    const github = dataOf(await service.call("reader", AppsDocument, { search: "GitHub" })).apps;
    expect(github.nodes.map((n) => n.slug)).toContain("github");
    const keys = dataOf(await service.call("reader", AppsDocument, { authType: "KEYS", page: { first: 100 } })).apps;
    expect(keys.totalCount).toBeGreaterThan(0);
    expect(keys.nodes.every((n) => n.authType === "KEYS")).toBe(true);
    const none = dataOf(await service.call("reader", AppsDocument, { search: "zz-no-such-app-zz" })).apps;
    expect(none).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false }, totalCount: 0 });
  });

  it("gets one app by slug with its OAuth endpoints or fields, and NOT_FOUND for an unknown slug", async () => {
    const github = dataOf(await service.call("reader", AppDocument, { slug: "github" })).app;
    expect(github).toMatchObject({ slug: "github", authType: "OAUTH2", apiBaseUrl: "https://api.github.com" });
    expect(github.oauth?.tokenUrl).toBe("https://github.com/login/oauth/access_token");
    const sendgrid = dataOf(await service.call("reader", AppDocument, { slug: "sendgrid" })).app;
    expect(sendgrid.authType).toBe("KEYS");
    expect(sendgrid.fields.map((f) => [f.name, f.secret])).toContainEqual(["api_key", true]);
    expect(sendgrid.authHeaderNames).toContain("Authorization");
    expect(codesOf(await service.call("reader", AppDocument, { slug: "no-such-app" }))).toEqual(["NOT_FOUND"]);
  });

  it("refuses bad page sizes and forged cursors with BAD_USER_INPUT", async () => {
    expect(codesOf(await service.call("reader", AppsDocument, { page: { first: 0 } }))).toEqual(["BAD_USER_INPUT"]);
    expect(codesOf(await service.call("reader", AppsDocument, { page: { first: 101 } }))).toEqual(["BAD_USER_INPUT"]);
    expect(codesOf(await service.call("reader", AppsDocument, { page: { after: "garbage" } }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("requires authentication", async () => {
    expect(codesOf(await service.call(null, AppsDocument, {}))).toEqual(["UNAUTHENTICATED"]);
  });
});
