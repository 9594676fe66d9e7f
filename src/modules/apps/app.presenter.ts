import type { AppDefinition } from "./app-definition";
import { hostPatternsOf } from "./app-connection";
import { AppFieldType, AppLearnedValueType, AppOAuthType, AppParameterChoiceType, AppParameterType, AppType } from "./app.type";

/** Copies the public fields of a catalog entry; header templates and test requests stay inside. */
export function presentApp(app: AppDefinition): AppType {
  return Object.assign(new AppType(), {
    slug: app.slug,
    name: app.name,
    description: app.description,
    authType: app.authType,
    categories: [...app.categories],
    homepageUrl: app.homepageUrl ?? null,
    apiBaseUrl: app.apiBaseUrl,
    oauth: app.oauth
      ? Object.assign(new AppOAuthType(), {
          authorizationUrl: app.oauth.authorizationUrl,
          tokenUrl: app.oauth.tokenUrl,
          revocationUrl: app.oauth.revocationUrl ?? null,
          defaultScopes: [...app.oauth.defaultScopes],
          scopeSeparator: app.oauth.scopeSeparator,
          pkce: app.oauth.pkce,
        })
      : null,
    fields: app.fields.map((f) =>
      Object.assign(new AppFieldType(), {
        name: f.name,
        label: f.label,
        secret: f.secret,
        optional: f.optional ?? false,
        pattern: f.pattern ?? null,
        description: f.description ?? null,
      }),
    ),
    authHeaderNames: Object.keys(app.auth.headers ?? {}).concat(app.auth.basic ? ["Authorization"] : []),
    hasTestRequest: Boolean(app.testRequest),
    parameters: (app.parameters ?? []).map((p) =>
      Object.assign(new AppParameterType(), {
        name: p.name,
        label: p.label,
        description: p.description ?? null,
        pattern: p.values ? null : (p.pattern ?? null),
        choices: p.values ? p.values.map((v) => Object.assign(new AppParameterChoiceType(), { value: v.value, label: v.label })) : null,
        optional: p.optional ?? false,
        default: p.default ?? null,
        example: p.example,
      }),
    ),
    learnedValues: (app.learned ?? []).map((l) => Object.assign(new AppLearnedValueType(), { name: l.name, label: l.label })),
    hosts: hostPatternsOf(app),
  });
}
