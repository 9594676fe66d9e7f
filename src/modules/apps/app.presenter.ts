import type { AppDefinition } from "./app-definition";
import { AppFieldType, AppOAuthType, AppType } from "./app.type";

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
  });
}
