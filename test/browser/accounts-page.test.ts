// The reference accounts page (examples/accounts-page) in real headless Chromium, cross-origin
// against a real service (CORS_ORIGINS, OAUTH_RETURN_URLS set to the page's origin) with a real
// OpenID provider (oidc-provider) showing a consent page: connect in a popup, share, a second
// member's page changing live, a denied consent and a closed popup shown as errors, an account
// needing reconnect turning red live, and the service's OAuth result page in both outcomes and
// both colour schemes. Every step leaves a screenshot in .artifacts/browser/.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type BrowserContext, type Page } from "puppeteer-core";
import { startExampleServer, type ExampleServer } from "../../examples/accounts-page/server/serve";
import { AddStepDocument, CreateWorkflowDocument, StartOAuthConnectDocument } from "../../operations/generated";
import { MemberEntity } from "../../src/modules/workspaces/member.entity";
import { buildMember, buildWorkspace, uniqueUser } from "../support/factories";
import { dataOf } from "../support/graphql-client";
import { freePort, startOAuthWorld, TEST_APP } from "../support/oauth-harness";
import { mintToken } from "../support/tokens";

const ARTIFACTS = path.resolve(__dirname, "../../.artifacts/browser");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const STEP_MS = 15_000;

let world: Awaited<ReturnType<typeof startOAuthWorld>>;
let pageServer: ExampleServer;
let browser: Browser;
let ownerContext: BrowserContext;
let memberContext: BrowserContext;
let ownerPage: Page;
let memberPage: Page;
let workspaceId: string;
let owner: { userId: string; memberId: string };
let member: { userId: string; memberId: string };
let oauthAccountId: string;
let shotNumber = 0;

/** Saves a screenshot of `page` as the next numbered artifact. */
async function shot(page: Page, name: string): Promise<void> {
  // After the page's transitions (a row's highlight fades in about a second).
  await page.waitForFunction(`document.getAnimations().every((a) => a.playState !== "running")`, { timeout: 5000 });
  shotNumber += 1;
  await page.screenshot({ path: path.join(ARTIFACTS, `${String(shotNumber).padStart(2, "0")}-${name}.png`) as `${string}.png`, fullPage: true });
}

/** Text of the first element matching `selector`. */
const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => (el.textContent ?? "").replace(/\s+/g, " ").trim());

/** The row of an account, once it is listed. */
const rowSelector = (accountId: string) => `tr[data-account-id="${accountId}"]`;

/** Waits for the page's notice to show `kind` (and `code`), and answers its text. */
async function noticeOf(page: Page, kind: string, code?: string): Promise<string> {
  const selector = `#notice[data-kind="${kind}"]${code ? `[data-code="${code}"]` : ""}:not([hidden])`;
  await page.waitForSelector(selector, { timeout: STEP_MS });
  return textOf(page, selector);
}

/** Clicks in the page and waits for the popup that click opens. */
async function clickForPopup(page: Page, selector: string): Promise<Page> {
  const popup = new Promise<Page>((resolve) => page.once("popup", (p) => p && resolve(p)));
  await page.click(selector);
  const opened = await popup;
  await opened.setViewport({ width: 520, height: 720 });
  return opened;
}

/** Opens the connect dialog and chooses the test OAuth app. */
async function openOAuthConnect(page: Page): Promise<void> {
  await page.click("#connect");
  await page.waitForSelector("dialog[open] #app-search", { timeout: STEP_MS });
  await page.type("dialog[open] #app-search", "oidc");
  await page.waitForSelector(`dialog[open] button[data-app="${TEST_APP}"]`, { timeout: STEP_MS });
  await page.click(`dialog[open] button[data-app="${TEST_APP}"]`);
  await page.waitForSelector('dialog[open][data-dialog="connect-oauth"] button[data-action="start-oauth"]', { timeout: STEP_MS });
}

/** The account rows' ids on a page. */
const listedIds = (page: Page) => page.$$eval("#rows tr", (rows) => rows.map((row) => row.getAttribute("data-account-id")));

/** Whether each action button of a row is enabled. */
const enabledActions = (page: Page, accountId: string) =>
  page.$$eval(`${rowSelector(accountId)} button[data-action]`, (buttons) =>
    Object.fromEntries(buttons.map((b) => [b.getAttribute("data-action"), !b.hasAttribute("disabled")])),
  );

beforeAll(async () => {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const pagePort = await freePort();
  const pageOrigin = `http://127.0.0.1:${pagePort}`;
  // The page and the service are different origins: CORS and the popup's opener check are real.
  world = await startOAuthWorld({ env: { OAUTH_RETURN_URLS: `${pageOrigin}/`, CORS_ORIGINS: pageOrigin } });
  await world.provider.setInteractionMode("page");

  const built = await buildWorkspace(world.service, { owner: uniqueUser("alice"), name: "Acme" });
  await world.service.dataSource.getRepository(MemberEntity).update({ id: built.owner.id }, { displayName: "Alice Owner" });
  const bob = await buildMember(world.service, built.workspace.id, { userId: uniqueUser("bob"), displayName: "Bob Member" });
  workspaceId = built.workspace.id;
  owner = { userId: built.owner.userId, memberId: built.owner.id };
  member = { userId: bob.userId, memberId: bob.id };

  // The app's own sign-in: tokens of the identity provider the service trusts, with the user's name.
  const names: Record<string, string> = { [owner.userId]: "Alice Owner", [member.userId]: "Bob Member" };
  pageServer = await startExampleServer({ port: pagePort, serviceUrl: world.service.url, mintToken: (user) => mintToken(user, { name: names[user] }) });
  expect(pageServer.origin).toBe(pageOrigin);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), "ca-chromium-")),
    args: ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    defaultViewport: { width: 1360, height: 760 },
  });
  ownerContext = await browser.createBrowserContext();
  memberContext = await browser.createBrowserContext();
  ownerPage = await ownerContext.newPage();
  memberPage = await memberContext.newPage();
  for (const page of [ownerPage, memberPage]) {
    page.on("pageerror", (error) => console.error(`page error: ${String(error)}`));
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await pageServer?.close();
  await world?.stop();
});

describe("the reference accounts page in Chromium", () => {
  it("lists nothing yet, for the owner and for a member, both live", async () => {
    await ownerPage.goto(`${pageServer.origin}/?as=${owner.userId}`);
    await memberPage.goto(`${pageServer.origin}/?as=${member.userId}`);
    for (const page of [ownerPage, memberPage]) {
      await page.waitForSelector('#live[data-status="live"]', { timeout: STEP_MS });
      await page.waitForSelector("#empty:not([hidden])", { timeout: STEP_MS });
    }
    expect(await textOf(ownerPage, "#viewer")).toBe("Signed in as Alice Owner");
    expect(await textOf(ownerPage, "#empty")).toBe("No accounts yet. Connect an app to get started.");
    await shot(ownerPage, "owner-empty");
  }, 60_000);

  it("connects a key-based app from the fields of its catalog entry", async () => {
    await ownerPage.click("#connect");
    await ownerPage.waitForSelector("dialog[open] #app-search", { timeout: STEP_MS });
    await ownerPage.type("dialog[open] #app-search", "sendgrid");
    await ownerPage.waitForSelector('dialog[open] button[data-app="sendgrid"]', { timeout: STEP_MS });
    await ownerPage.click('dialog[open] button[data-app="sendgrid"]');
    await ownerPage.waitForSelector('dialog[open][data-dialog="connect-key"] input[data-field="api_key"]', { timeout: STEP_MS });
    await ownerPage.type("dialog[open] #nickname", "Transactional mail");
    await ownerPage.type('dialog[open] input[data-field="api_key"]', `SG.${"a".repeat(22)}.${"b".repeat(43)}`);
    await ownerPage.click("dialog[open] #verify"); // no network here: do not check the key at SendGrid
    await shot(ownerPage, "key-form");
    await ownerPage.click('dialog[open] button[data-action="connect-key"]');
    expect(await noticeOf(ownerPage, "success")).toContain("SendGrid is connected.");
    await ownerPage.waitForSelector('#rows tr[data-health="HEALTHY"]', { timeout: STEP_MS });
    expect(await textOf(ownerPage, "#rows tr .nickname")).toBe("Transactional mail");
  }, 60_000);

  it("connects an OAuth app in a popup: consent at the provider, then listed", async () => {
    await openOAuthConnect(ownerPage);
    await ownerPage.type("dialog[open] #nickname", "Team OIDC");
    await shot(ownerPage, "connect-oauth-dialog");
    const popup = await clickForPopup(ownerPage, 'dialog[open] button[data-action="start-oauth"]');
    await popup.waitForSelector("button.allow", { timeout: STEP_MS });
    expect(await textOf(popup, "h1")).toBe("connected-accounts-test wants to access your account");
    await shot(popup, "popup-consent");
    await popup.click("button.allow");

    expect(await noticeOf(ownerPage, "success")).toContain("Test OIDC is connected.");
    await ownerPage.waitForFunction(`[...document.querySelectorAll("#rows .nickname")].some((n) => n.textContent === "Team OIDC")`, { timeout: STEP_MS });
    const ids = await listedIds(ownerPage);
    expect(ids).toHaveLength(2);
    oauthAccountId = ids[0]!; // newest first
    const row = rowSelector(oauthAccountId);
    expect(await textOf(ownerPage, `${row} .nickname`)).toBe("Team OIDC");
    expect(await textOf(ownerPage, `${row} .owner`)).toBe("Alice Owner (you)");
    expect(await textOf(ownerPage, `${row} .health`)).toBe("Healthy");
    expect(await ownerPage.$$eval(`${row} .scope`, (chips) => chips.map((c) => c.textContent))).toEqual(["openid", "profile", "read"]);
    expect(await textOf(ownerPage, `${row} .access`)).toBe("Private");
    expect(await enabledActions(ownerPage, oauthAccountId)).toEqual({ reconnect: true, rename: true, access: true, delete: true });
    expect(popup.isClosed()).toBe(true); // the page acknowledged the result and the popup closed itself
    await shot(ownerPage, "owner-connected");
  }, 60_000);

  it("shares it with a member, whose open page lists it live, with the buttons viewerCan allows", async () => {
    // A workflow that uses the account (shown in "Used in").
    const workflow = dataOf(await world.service.call(owner.userId, CreateWorkflowDocument, { workspaceId, name: "Nightly sync" })).createWorkflow;
    dataOf(await world.service.call(owner.userId, AddStepDocument, { input: { workflowId: workflow.id, kind: "ACTION", appSlug: TEST_APP, accountId: oauthAccountId, name: "Fetch profile" } }));
    expect(await listedIds(memberPage)).toEqual([]);
    await shot(memberPage, "member-before-share");

    await ownerPage.click(`${rowSelector(oauthAccountId)} button[data-action="access"]`);
    await ownerPage.waitForSelector(`dialog[open] input[data-member="${member.userId}"]`, { timeout: STEP_MS });
    await ownerPage.click(`dialog[open] input[data-member="${member.userId}"]`);
    await shot(ownerPage, "access-dialog");
    await ownerPage.click('dialog[open] button[data-action="save-access"]');
    await ownerPage.waitForFunction(`document.querySelector('${rowSelector(oauthAccountId)} .access')?.textContent === "Shared with Bob Member"`, { timeout: STEP_MS });
    expect(await textOf(ownerPage, `${rowSelector(oauthAccountId)} .workflows`)).toMatch(/^Nightly sync/);

    // No reload on the member's side: the ACCOUNT_ACCESS_CHANGED event brings it.
    await memberPage.waitForSelector(rowSelector(oauthAccountId), { timeout: STEP_MS });
    expect(await textOf(memberPage, `${rowSelector(oauthAccountId)} .owner`)).toBe("Alice Owner");
    expect(await textOf(memberPage, `${rowSelector(oauthAccountId)} .access`)).toBe("Shared with you");
    const viewerCan = dataOf(
      await world.service.call<{ account: { viewerCan: { reconnect: boolean; rename: boolean; manageAccess: boolean; delete: boolean } } }>(
        member.userId,
        `query ($id: ID!) { account(id: $id) { viewerCan { reconnect rename manageAccess delete } } }`,
        { id: oauthAccountId },
      ),
    ).account.viewerCan;
    expect(await enabledActions(memberPage, oauthAccountId)).toEqual({
      reconnect: viewerCan.reconnect,
      rename: viewerCan.rename,
      access: viewerCan.manageAccess,
      delete: viewerCan.delete,
    });
    expect(Object.values(await enabledActions(memberPage, oauthAccountId))).toEqual([false, false, false, false]);
    await shot(memberPage, "member-after-share");
  }, 60_000);

  it("shows a denied consent as an error", async () => {
    await openOAuthConnect(ownerPage);
    const popup = await clickForPopup(ownerPage, 'dialog[open] button[data-action="start-oauth"]');
    await popup.waitForSelector("button.deny", { timeout: STEP_MS });
    await popup.click("button.deny");
    expect(await noticeOf(ownerPage, "error", "ACCESS_DENIED")).toContain("Access was denied at Test OIDC, so nothing was connected.");
    expect(await listedIds(ownerPage)).toHaveLength(2);
    await shot(ownerPage, "denied-consent");
  }, 60_000);

  it("shows a popup closed before the end as an error", async () => {
    await openOAuthConnect(ownerPage);
    const popup = await clickForPopup(ownerPage, 'dialog[open] button[data-action="start-oauth"]');
    await popup.waitForSelector("button.allow", { timeout: STEP_MS });
    await popup.close();
    expect(await noticeOf(ownerPage, "error", "POPUP_CLOSED")).toContain("The sign-in window was closed before the account was connected.");
    expect(await listedIds(ownerPage)).toHaveLength(2);
    await shot(ownerPage, "popup-closed");
  }, 60_000);

  it("turns an account that needs reconnecting red on every open page, without a reload", async () => {
    await world.provider.revokeAll();
    // The app answers 401, the forced refresh gets invalid_grant: NEEDS_RECONNECT, and an event.
    await world.service.call(owner.userId, `mutation ($id: ID!) { sendAccountRequest(input: { accountId: $id, method: "GET", path: "/me" }) { status } }`, { id: oauthAccountId });
    for (const page of [ownerPage, memberPage]) {
      await page.waitForSelector(`${rowSelector(oauthAccountId)}[data-health="NEEDS_RECONNECT"]`, { timeout: STEP_MS });
      expect(await textOf(page, `${rowSelector(oauthAccountId)} .health .badge`)).toBe("Needs reconnect");
    }
    expect(await ownerPage.$eval(rowSelector(oauthAccountId), (row) => row.className)).toContain("health-bad");
    await shot(ownerPage, "owner-needs-reconnect");
    await shot(memberPage, "member-needs-reconnect");
  }, 60_000);

  it("reconnects it in a popup: healthy again, same account", async () => {
    const popup = await clickForPopup(ownerPage, `${rowSelector(oauthAccountId)} button[data-action="reconnect"]`);
    await popup.waitForSelector("button.allow", { timeout: STEP_MS });
    await popup.click("button.allow");
    expect(await noticeOf(ownerPage, "success")).toContain("Test OIDC is reconnected.");
    for (const page of [ownerPage, memberPage]) {
      await page.waitForSelector(`${rowSelector(oauthAccountId)}[data-health="HEALTHY"]`, { timeout: STEP_MS });
    }
    await shot(ownerPage, "owner-reconnected");
  }, 60_000);

  it("shows the service's result page with the app's name, in light and dark, for both outcomes", async () => {
    // A plain opener on the page's origin that does not answer the result: the popup stays open
    // showing what a person sees there.
    const opener = await ownerContext.newPage();
    await opener.goto(`${pageServer.origin}/config.json`);
    const resultPage = async (decision: "allow" | "deny") => {
      const started = dataOf(
        await world.service.call(owner.userId, StartOAuthConnectDocument, { input: { workspaceId, appSlug: TEST_APP, nickname: "Screenshot", openerOrigin: pageServer.origin } }),
      );
      const popup = new Promise<Page>((resolve) => opener.once("popup", (p) => p && resolve(p)));
      await opener.evaluate(`void window.open(${JSON.stringify(started.startOAuthConnect.authorizationUrl)}, "result-${decision}", "popup,width=520,height=720")`);
      const page = await popup;
      await page.setViewport({ width: 520, height: 720 });
      await page.waitForSelector(`button.${decision}`, { timeout: STEP_MS });
      await page.click(`button.${decision}`);
      await page.waitForSelector("main.card h1", { timeout: STEP_MS });
      return page;
    };

    const success = await resultPage("allow");
    expect(await textOf(success, "h1")).toBe("Test OIDC is connected");
    expect(await success.title()).toBe("Test OIDC connected");
    expect(await success.evaluate(`getComputedStyle(document.body).fontFamily`)).toMatch(/^system-ui/);
    await shot(success, "result-success-light");
    await success.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
    expect(await success.evaluate(`getComputedStyle(document.body).backgroundColor`)).toBe("rgb(18, 21, 27)");
    await shot(success, "result-success-dark");

    const failure = await resultPage("deny");
    expect(await textOf(failure, "h1")).toBe("Couldn't connect Test OIDC");
    expect(await textOf(failure, "#detail")).toBe("Access wasn't allowed at Test OIDC, so nothing was connected.");
    expect(await textOf(failure, ".next")).toBe("If that was a mistake, close this window, connect again and choose to allow access.");
    expect(await textOf(failure, ".code")).toBe("Error code ACCESS_DENIED");
    await shot(failure, "result-denied-light");
    await failure.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
    await shot(failure, "result-denied-dark");
  }, 60_000);
});
