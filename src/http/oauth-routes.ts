import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Strategy as OAuth2Strategy } from "passport-oauth2";
import type { Logger } from "../logging/logger";
import type { OAuthSpec } from "../modules/apps/app-definition";
import { FlowError, type OAuthConnectService } from "../modules/oauth/oauth-connect.service";
import type { OAuthFlowEntity } from "../modules/oauth/oauth-flow.entity";
import type { ResolvedClient } from "../modules/oauth/oauth-client.service";
import { callTokenEndpoint, TokenEndpointError, type TokenGrant } from "../modules/oauth/token-endpoint";
import { observeProviderCall } from "../observability/provider-calls";

const COOKIE = "ca_oauth_binding";

/** A passport-oauth2 strategy that also sends the app's extra authorize parameters (e.g. access_type=offline). */
class AppOAuth2Strategy extends OAuth2Strategy {
  constructor(
    options: ConstructorParameters<typeof OAuth2Strategy>[0],
    private readonly extraParams: Record<string, string>,
  ) {
    // The verify callback (arity 5) hands the token grant through as passport's "user".
    const verify = (_accessToken: string, _refreshToken: string, params: TokenGrant, _profile: unknown, done: (e: null, u: TokenGrant) => void) =>
      done(null, params);
    super(options, verify as never);
  }

  override authorizationParams(): object {
    return { ...this.extraParams };
  }
}

interface FlowRequest extends IncomingMessage {
  query: Record<string, string>;
}

/** What passport's strategy calls back with once it finishes (the parts passport's middleware would provide). */
type Outcome = { kind: "redirect"; url: string } | { kind: "success"; grant: TokenGrant } | { kind: "fail"; message: string } | { kind: "error"; error: unknown };

// Runs one passport strategy step on a plain node:http request (no express, no session).
function runStrategy(strategy: OAuth2Strategy, req: FlowRequest, options: object): Promise<Outcome> {
  return new Promise((resolve) => {
    const step = Object.create(strategy) as Record<string, unknown> & { authenticate(req: unknown, options: object): void };
    step.redirect = (url: string) => resolve({ kind: "redirect", url });
    step.success = (grant: TokenGrant) => resolve({ kind: "success", grant });
    step.fail = (challenge?: { message?: string } | string) =>
      resolve({ kind: "fail", message: typeof challenge === "string" ? challenge : (challenge?.message ?? "The authorization was not granted.") });
    step.error = (error: unknown) => resolve({ kind: "error", error });
    step.authenticate(req, options);
  });
}

function parseQuery(req: IncomingMessage): Record<string, string> {
  const url = new URL(req.url ?? "/", "http://localhost");
  return Object.fromEntries(url.searchParams.entries());
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The callback's result, as the page posts it to the opener (or as query parameters on the return URL). */
export interface FlowResult {
  status: "success" | "error";
  accountId?: string;
  claimed?: boolean;
  error?: string;
  message?: string;
}

/** The node:http handlers of the OAuth flow: `/oauth/start` and `/oauth/callback`. */
export class OAuthRoutes {
  constructor(
    private readonly connect: OAuthConnectService,
    private readonly providerTimeoutMs: number,
    private readonly secureCookies: boolean,
    private readonly logger: Logger,
  ) {}

  // `oauth`: the flow's endpoints (a tenant app's filled with the flow's parameters and checked).
  private strategyFor(appSlug: string, oauth: OAuthSpec, client: ResolvedClient, store: object): AppOAuth2Strategy {
    const strategy = new AppOAuth2Strategy(
      {
        authorizationURL: oauth.authorizationUrl,
        tokenURL: oauth.tokenUrl,
        clientID: client.clientId,
        clientSecret: client.clientSecret,
        callbackURL: this.connect.callbackUrl,
        scopeSeparator: oauth.scopeSeparator,
        state: true,
        pkce: oauth.pkce,
        store: store as never,
        skipUserProfile: true,
      } as never,
      oauth.extraAuthorizeParams ?? {},
    );
    // passport-oauth2's HTTP layer has no deadline: exchange the code ourselves, with one.
    const oauth2 = (strategy as unknown as { _oauth2: { getOAuthAccessToken: unknown } })._oauth2;
    oauth2.getOAuthAccessToken = (code: string, params: Record<string, string>, callback: (...args: unknown[]) => void) => {
      observeProviderCall(appSlug, "exchange", () =>
        callTokenEndpoint(oauth, client, { ...params, ...oauth.extraTokenParams, code }, this.providerTimeoutMs, (url) => this.connect.dial(url)),
      ).then(
        (grant) => callback(null, grant.accessToken, grant.refreshToken, grant),
        (error: unknown) => callback(error),
      );
    };
    return strategy;
  }

  /** GET /oauth/start?flow=…: binds the flow to this browser and sends it to the provider. */
  async start(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const query = parseQuery(req);
    let flow: OAuthFlowEntity | undefined;
    try {
      const found = await this.connect.findStartable(query.flow ?? "");
      flow = found.flow;
      let binding = "";
      // passport picks the store's signature by its arity: store() must declare 5 parameters.
      const store = {
        store: (_req: unknown, verifier: string | undefined, _state: unknown, _meta: unknown, callback: (e: unknown, state?: string) => void) => {
          const state = randomState();
          this.connect.bindState(found.flow, state, verifier).then(
            (value) => {
              binding = value;
              callback(null, state);
            },
            (error: unknown) => callback(error),
          );
        },
        verify: (_req: unknown, _state: string, callback: (e: unknown, ok?: boolean) => void) => callback(null, false),
      };
      const strategy = this.strategyFor(found.flow.appSlug, found.oauth, found.client, store);
      const outcome = await runStrategy(strategy, Object.assign(req, { query: {} }), { scope: JSON.parse(found.flow.scopes) as string[] });
      if (outcome.kind !== "redirect") throw outcome.kind === "error" ? outcome.error : new FlowError("PROVIDER_ERROR", "Could not start the sign-in.");
      res.writeHead(302, {
        location: outcome.url,
        "set-cookie": `${COOKIE}=${binding}; Path=/oauth; HttpOnly; SameSite=Lax; Max-Age=3600${this.secureCookies ? "; Secure" : ""}`,
        "cache-control": "no-store",
      });
      res.end();
    } catch (error) {
      const result = this.failure(error);
      this.logFailure("start", result, flow?.appSlug);
      this.finish(res, flow?.returnUrl ?? null, result, flow?.appSlug);
    }
  }

  /** GET /oauth/callback: checks the state, exchanges the code within the deadline, stores the account. */
  async callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const query = parseQuery(req);
    let returnUrl: string | null = null;
    let appSlug: string | undefined;
    try {
      // The state is checked (and consumed) before anything else, even for an error answer:
      // no token call, no account, and no second use of the same state.
      const { flow, verifier } = await this.connect.consume(query.state, readCookie(req, COOKIE));
      returnUrl = flow.returnUrl;
      appSlug = flow.appSlug;
      if (query.error) {
        const denied = query.error === "access_denied";
        throw new FlowError(
          denied ? "ACCESS_DENIED" : "PROVIDER_ERROR",
          denied ? "The authorization was denied at the provider." : `The provider answered with an error (${query.error.replace(/[^\w.-]/g, "").slice(0, 60)}).`,
          returnUrl,
        );
      }
      const { client, oauth } = await this.connect.providerOf(flow);
      const store = {
        store: (_r: unknown, _v: unknown, _s: unknown, _m: unknown, callback: (e: unknown) => void) => callback(new Error("not used")),
        verify: (_req: unknown, _state: string, callback: (e: unknown, ok?: string | boolean) => void) => callback(null, verifier ?? true),
      };
      const strategy = this.strategyFor(flow.appSlug, oauth, client, store);
      const outcome = await runStrategy(strategy, Object.assign(req, { query }), {});
      if (outcome.kind === "error" || outcome.kind === "fail" || outcome.kind === "redirect") {
        const cause = outcome.kind === "error" ? ((outcome.error as { oauthError?: unknown }).oauthError ?? outcome.error) : null;
        if (cause instanceof TokenEndpointError && cause.kind === "TRANSIENT") {
          throw new FlowError("PROVIDER_UNAVAILABLE", `${cause.summary}; try again.`, returnUrl);
        }
        if (cause) this.logger.warn({ reason: cause instanceof TokenEndpointError ? cause.reason : String((cause as Error).message ?? cause) }, "code exchange failed");
        throw new FlowError("EXCHANGE_FAILED", "The provider did not accept the authorization; try again.", returnUrl);
      }
      const { account, claimed } = await this.connect.complete(flow, outcome.grant, query);
      this.logger.info({ app: appSlug, accountId: account.id, claimed, reconnect: flow.accountId !== null }, "oauth callback connected an account");
      this.finish(res, returnUrl, { status: "success", accountId: account.id, claimed }, appSlug);
    } catch (error) {
      const result = this.failure(error);
      const app = appSlug ?? (error instanceof FlowError ? (error.appSlug ?? undefined) : undefined);
      this.logFailure("callback", result, app);
      this.finish(res, returnUrl ?? (error instanceof FlowError ? error.returnUrl : null), result, app);
    }
  }

  // Every failed start or callback, by its error code: at info when it is the member's own doing
  // (a denied consent), at warn otherwise. Never the authorization code, the state, a cookie or
  // a token: only the code of the outcome and the app.
  private logFailure(step: "start" | "callback", result: FlowResult, app: string | undefined): void {
    const quiet = result.error === "ACCESS_DENIED" || result.error === "IDENTITY_MISMATCH";
    this.logger[quiet ? "info" : "warn"]({ step, error: result.error, app: app ?? null }, `oauth ${step} failed`);
  }

  private failure(error: unknown): FlowResult {
    if (error instanceof FlowError) return { status: "error", error: error.code, message: error.message };
    const code = (error as { code?: string }).code;
    if (code === "BAD_USER_INPUT" || code === "NOT_FOUND") return { status: "error", error: "STATE_INVALID", message: (error as Error).message };
    this.logger.error({ err: error }, "oauth flow failed");
    return { status: "error", error: "PROVIDER_ERROR", message: "Something went wrong; try again." };
  }

  // Ends the flow: a redirect to the allowed return URL with the result in the query, or a small
  // page that posts the result to the window that opened it and closes. The page names the app
  // from the catalog (the flow's app, never anything from the query string).
  private finish(res: ServerResponse, returnUrl: string | null, result: FlowResult, appSlug?: string): void {
    const clearCookie = `${COOKIE}=; Path=/oauth; HttpOnly; SameSite=Lax; Max-Age=0`;
    if (returnUrl) {
      const target = new URL(returnUrl);
      for (const [key, value] of Object.entries(result)) if (value !== undefined) target.searchParams.set(key, String(value));
      res.writeHead(302, { location: target.href, "set-cookie": clearCookie, "cache-control": "no-store" });
      res.end();
      return;
    }
    const message = JSON.stringify({ source: "connected-accounts", type: "oauth-result", ...result }).replace(/</g, "\\u003c");
    // Posted only to the allowed origins, never to "*": the result is the member's alone.
    const allowed = this.connect.messageOrigins;
    if (allowed.length === 0) {
      this.logger.warn({ setting: "OAUTH_RETURN_URLS" }, "the OAuth result page cannot notify the page that opened it: OAUTH_RETURN_URLS names no origin");
    }
    const origins = JSON.stringify(allowed);
    const page = resultPageText(result, (appSlug && this.connect.appName(appSlug)) || null);
    const notices = JSON.stringify({
      noOpener: "This window was not opened by a page that can receive the result; you can close it.",
      noOrigins: "This window could not tell the page that opened it: the service allows no page to receive results (its OAUTH_RETURN_URLS setting is empty). Close this window and reload that page.",
      noAck: "If the page that opened this window did not update, it could not be told: its origin is not among the service's allowed origins (OAUTH_RETURN_URLS). Close this window and reload that page.",
    });
    const code = result.status === "error" && result.error ? `<p class="code">Error code <code>${escapeHtml(result.error)}</code></p>` : "";
    // The opener answers {source:"connected-accounts", type:"oauth-ack"} (or closes this window);
    // without an answer this page stays open and says why the opener may not have heard.
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>${escapeHtml(page.title)}</title><style>${RESULT_PAGE_CSS}</style></head><body>
<main class="card ${result.status === "success" ? "ok" : "failed"}">${result.status === "success" ? ICON_OK : ICON_FAILED}
<h1>${escapeHtml(page.heading)}</h1><p id="detail">${escapeHtml(page.detail)}</p><p class="next">${escapeHtml(page.next)}</p>${code}<p id="notice" role="status"></p></main>
<script>(function(){var m=${message};var o=${origins};var n=${notices};var el=document.getElementById("notice");
if(!window.opener){el.textContent=n.noOpener;return;}
if(!o.length){el.textContent=n.noOrigins;return;}
var acked=false;window.addEventListener("message",function(e){var d=e.data;if(o.indexOf(e.origin)>=0&&d&&d.source==="connected-accounts"&&d.type==="oauth-ack"){acked=true;window.close();}});
o.forEach(function(t){try{window.opener.postMessage(m,t)}catch(e){}});
setTimeout(function(){if(!acked)el.textContent=n.noAck;},3000);})();</script>
</body></html>`;
    res.writeHead(result.status === "success" ? 200 : 400, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
      "x-content-type-options": "nosniff",
      "set-cookie": clearCookie,
    });
    res.end(html);
  }
}

/** What the result page says: a title, a heading, one plain sentence, and what to do next. */
interface ResultPageText {
  title: string;
  heading: string;
  detail: string;
  next: string;
}

// The words a person reads in the popup, per outcome. `app` is the catalog's name of the flow's
// app (or "the app" when the flow is unknown, e.g. a replayed or forged callback).
function resultPageText(result: FlowResult, appName: string | null): ResultPageText {
  const app = appName ?? "the app";
  if (result.status === "success") {
    return {
      title: `${appName ?? "Account"} connected`,
      heading: appName ? `${appName} is connected` : "Your account is connected",
      detail: result.claimed ? `The ${app} account is now yours to manage.` : `Your ${app} account is ready to use.`,
      next: "This window closes by itself; you can also close it and go back.",
    };
  }
  const title = `Couldn't connect ${app}`;
  const startAgain = "Close this window and start again from the page you came from.";
  const askAdmin = `Try again. If it keeps happening, ask a workspace admin to check the OAuth client for ${app} (its client ID, secret and redirect URL).`;
  const byCode: Record<string, [detail: string, next: string]> = {
    ACCESS_DENIED: [`Access wasn't allowed at ${app}, so nothing was connected.`, "If that was a mistake, close this window, connect again and choose to allow access."],
    PROVIDER_ERROR: [`${cap(app)} answered with an error, so nothing was connected.`, askAdmin],
    EXCHANGE_FAILED: [`${cap(app)} did not accept the sign-in, so nothing was connected.`, askAdmin],
    PROVIDER_UNAVAILABLE: [`${cap(app)} didn't answer in time, so nothing was connected.`, "Wait a minute, then close this window and try again."],
    STATE_MISSING: ["This sign-in link is incomplete.", startAgain],
    STATE_INVALID: ["This sign-in link is not valid any more: it was already used, or it was changed on the way.", startAgain],
    STATE_EXPIRED: ["This sign-in took too long and expired.", startAgain],
    BROWSER_MISMATCH: ["This sign-in was started in another browser, or by someone else.", "Close this window and start again in this browser."],
    IDENTITY_MISMATCH: [
      `You signed in to ${app} as someone else than the account being reconnected, so nothing changed.`,
      `Sign in to ${app} as the account's user (or sign out of ${app} first), then reconnect again.`,
    ],
    FORBIDDEN: ["You are not a member of this workspace any more, so nothing was connected.", "Ask a workspace admin to add you again."],
  };
  const [detail, next] = byCode[result.error ?? ""] ?? [result.message ?? "Something went wrong.", "Close this window and try again."];
  return { title, heading: title, detail, next };
}

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

// System fonts, the system's light or dark scheme, one card. Inline only: the page's CSP allows
// inline styles and nothing from anywhere.
const RESULT_PAGE_CSS = `:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1d2330;--muted:#5b6473;--line:#e2e5ea;--ok:#1a7f4b;--ok-bg:#e3f5ea;--bad:#b42318;--bad-bg:#fdecea}
@media (prefers-color-scheme:dark){:root{--bg:#12151b;--card:#1c2029;--text:#e8eaef;--muted:#a3aab7;--line:#2c3240;--ok:#4ccb8a;--ok-bg:#173626;--bad:#ff8a80;--bad-bg:#3a1d1d}}
*{box-sizing:border-box}html,body{height:100%}
body{margin:0;display:flex;align-items:center;justify-content:center;padding:24px;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.card{width:100%;max-width:420px;background:var(--card);border:1px solid var(--line);border-radius:14px;padding:32px 28px;text-align:center;box-shadow:0 8px 28px rgba(0,0,0,.08)}
.icon{width:56px;height:56px;border-radius:50%;display:inline-flex;align-items:center;justify-content:center;margin-bottom:12px}
.ok .icon{background:var(--ok-bg);color:var(--ok)}.failed .icon{background:var(--bad-bg);color:var(--bad)}
h1{font-size:20px;line-height:1.3;margin:4px 0 10px;font-weight:650}
p{margin:0 0 10px}#detail{font-size:16px}.next{color:var(--muted)}
.code{color:var(--muted);font-size:13px;margin-top:16px}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:2px 6px}
#notice{margin:18px 0 0;padding:10px 12px;border-radius:8px;background:var(--bg);color:var(--muted);font-size:13px;text-align:left}#notice:empty{display:none}`;

const ICON_OK = `<div class="icon" aria-hidden="true"><svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg></div>`;
const ICON_FAILED = `<div class="icon" aria-hidden="true"><svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"><path d="M12 7v6"/><path d="M12 17h.01"/></svg></div>`;

const randomState = (): string => randomBytes(32).toString("base64url");
