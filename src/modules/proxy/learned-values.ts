import { AppError } from "../../errors/app-error";
import { fetchFailure } from "./proxy-request";
import { readPath } from "../apps/json-path";
import type { DialTarget } from "../apps/app-catalog.service";
import { authConnection, checkLearnedValue, resolveAppUrl } from "../apps/app-connection";
import type { AppDefinition, ConnectionValues } from "../apps/app-definition";
import { renderAuth } from "../apps/auth-template";
import { observeProviderCall } from "../../observability/provider-calls";

const MAX_ANSWER = 256 * 1024;

/**
 * What an app learns about a new connection, in the catalog's order: values from the token
 * endpoint's answer, from the OAuth callback's query, from a credential field, and from one follow-up request each (made with the new credentials through
 * the app's auth template, within the deadline, no redirects followed), each checked against its
 * pattern and the app's hosts before it is kept. A later request may use what an earlier one
 * learned. Fails with an AppError saying which value, never showing it.
 */
export async function learnValues(
  app: AppDefinition,
  sources: { tokenAnswer?: Readonly<Record<string, unknown>>; callback?: Readonly<Record<string, string>>; credentials: Readonly<Record<string, string>> },
  parameters: Readonly<Record<string, string>>,
  timeoutMs: number,
  options: { dial?: (url: string) => DialTarget; resolve?: (template: string, connection: ConnectionValues, field: string) => string } = {},
): Promise<Record<string, string>> {
  const learned: Record<string, string> = {};
  for (const spec of app.learned ?? []) {
    let raw: unknown;
    if (spec.from === "token") {
      raw = sources.tokenAnswer ? readPath(sources.tokenAnswer, spec.path) : null;
    } else if (spec.from === "callback") {
      raw = sources.callback?.[spec.path] ?? null;
    } else if (spec.from === "credential") {
      raw = sources.credentials[spec.path] ?? null;
    } else {
      const connection: ConnectionValues = { parameters: { ...parameters }, learned: { ...learned } };
      const resolve = options.resolve ?? ((template: string, values: ConnectionValues, field: string) => resolveAppUrl(app, template, values, field));
      const url = new URL(resolve(spec.request!.url, connection, spec.name));
      // Auth parts that need a value not learned yet (Xero's tenant header before its tenant is
      // known) are left out of this request rather than sent empty.
      const rendered = renderAuth(app.auth, sources.credentials, authConnection(app, connection));
      const auth = { query: rendered.query, headers: { ...rendered.defaults, ...rendered.headers } };
      for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
      const target = options.dial ? options.dial(url.href) : { url: url.href, headers: {} };
      let answer: unknown;
      try {
        const response = await observeProviderCall(
          app.slug,
          "learn",
          () =>
            fetch(target.url, {
              headers: { accept: "application/json", "user-agent": "connected-accounts", ...auth.headers, ...target.headers },
              redirect: "manual",
              signal: AbortSignal.timeout(timeoutMs),
            }),
          (r) => r.ok,
        );
        const text = await response.text();
        if (!response.ok || text.length > MAX_ANSWER) throw new AppError("PROVIDER_UNAVAILABLE", `${app.name} did not say its ${spec.label} (HTTP ${response.status}).`);
        answer = JSON.parse(text) as unknown;
      } catch (error) {
        if (error instanceof AppError) throw error;
        const failure = error instanceof SyntaxError ? "answered something that is not JSON" : fetchFailure(error) === "timeout" ? "did not answer in time" : "could not be reached";
        throw new AppError("PROVIDER_UNAVAILABLE", `${app.name} ${failure} when asked for its ${spec.label}.`);
      }
      raw = readPath(answer, spec.path);
    }
    if (raw === null || raw === undefined) throw new AppError("PROVIDER_UNAVAILABLE", `${app.name} did not say its ${spec.label}.`);
    learned[spec.name] = checkLearnedValue(app, spec.name, raw);
  }
  return learned;
}

/**
 * What a refresh answer says anew of values learned from the token endpoint (Salesforce sends
 * `instance_url` again, and it can change): only those it carries, each checked as at connect.
 * A value that fails its check keeps the stored one (and the refresh stands).
 */
export function relearnFromRefresh(app: AppDefinition, tokenAnswer: Readonly<Record<string, unknown>>, current: Readonly<Record<string, string>>): Record<string, string> {
  const learned = { ...current };
  for (const spec of app.learned ?? []) {
    if (spec.from !== "token") continue;
    const raw = readPath(tokenAnswer, spec.path);
    if (raw === null || raw === undefined) continue;
    try {
      learned[spec.name] = checkLearnedValue(app, spec.name, raw);
    } catch {
      // keep what was learned at connect
    }
  }
  return learned;
}

