import { notFound } from "../../errors/app-error";
import { compareKeys, paginateSorted } from "../../db/pagination";
import type { AppCatalog } from "./app-catalog";
import type { AppDefinition, AuthType, ConnectionValues } from "./app-definition";
import { connectionUrls, NO_CONNECTION_VALUES, resolveAppUrl, type ConnectionUrls } from "./app-connection";
import { hostMatches } from "./app-hosts";

/** Settings of the catalog that only tests use (refused in production by the configuration). */
export interface CatalogTestSettings {
  /** API base URLs to use instead of the catalog's, by app slug (APP_BASE_URL_OVERRIDES). */
  baseUrlOverrides?: Readonly<Record<string, string>>;
  /**
   * Where calls to hosts really go (APP_HOST_OVERRIDES): host pattern → a loopback origin standing
   * in for it. URLs are built and checked against the app's hosts as in production; only the
   * connection is made elsewhere, carrying the real host in `x-forwarded-host`.
   */
  hostOverrides?: Readonly<Record<string, string>>;
  /** Accept http loopback URLs of extra apps (outside production). */
  allowLoopbackHttp?: boolean;
}

/** Where an outbound call goes: the URL, and headers to add (test overrides only). */
export interface DialTarget {
  url: string;
  headers: Record<string, string>;
}

/** Filters of the apps list. */
export interface AppFilter {
  search?: string | null;
  authType?: AuthType | null;
}

const sortKey = (app: AppDefinition): string[] => [app.name.toLowerCase(), app.slug];

/** Reads the app catalog: search, filter, page, and look up by slug. */
export class AppCatalogService {
  private readonly sorted: readonly AppDefinition[];

  private readonly baseUrlOverrides: Readonly<Record<string, string>>;
  private readonly hostOverrides: ReadonlyArray<[string, URL]>;
  private readonly allowLoopbackHttp: boolean;

  constructor(
    private readonly catalog: AppCatalog,
    settings: CatalogTestSettings = {},
  ) {
    this.baseUrlOverrides = settings.baseUrlOverrides ?? {};
    this.hostOverrides = Object.entries(settings.hostOverrides ?? {}).map(([pattern, origin]) => [pattern, new URL(origin)] as [string, URL]);
    this.allowLoopbackHttp = settings.allowLoopbackHttp ?? false;
    // Sorted once with the same comparison the cursors use, so pages never skip or repeat.
    this.sorted = [...catalog.all].sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  }

  /** Every app's slug (the metrics' closed set of app labels). */
  get slugs(): string[] {
    return this.sorted.map((app) => app.slug);
  }

  /** One app by slug; NOT_FOUND when the catalog has none. */
  get(slug: string): AppDefinition {
    const app = this.catalog.bySlug(slug);
    if (!app) throw notFound("App");
    return app;
  }

  /**
   * An app's URLs for one connection: its templates filled with the connection's parameters and
   * learned values, each checked against the app's hosts (BAD_USER_INPUT otherwise). `partial`:
   * URLs that need values not learned yet are left as they are (the start of an OAuth flow).
   */
  urlsFor(app: AppDefinition, connection: ConnectionValues = NO_CONNECTION_VALUES, options: { partial?: boolean } = {}): ConnectionUrls {
    return connectionUrls(app, connection, { ...options, allowHttp: this.allowLoopbackHttp, apiBaseUrlOverride: this.baseUrlOverrides[app.slug] });
  }

  /** One URL template of an app filled with a connection's values and checked against the app's hosts. */
  resolveUrl(app: AppDefinition, template: string, connection: ConnectionValues, field: string): string {
    return resolveAppUrl(app, template, connection, field, { allowHttp: this.allowLoopbackHttp });
  }

  /** Where requests with an account of this app go (tests may point an app at a local server). */
  apiBaseUrl(app: AppDefinition, connection: ConnectionValues = NO_CONNECTION_VALUES): string {
    return this.urlsFor(app, connection).apiBaseUrl;
  }

  /**
   * Where an outbound call to an app's URL (already checked) really goes: the URL itself, or in
   * tests a loopback server standing in for its host, told the real host in `x-forwarded-host`.
   */
  dial(url: string): DialTarget {
    if (this.hostOverrides.length === 0) return { url, headers: {} };
    const target = new URL(url);
    const override = this.hostOverrides.find(([pattern]) => hostMatches(target.hostname, pattern));
    if (!override) return { url, headers: {} };
    const [, origin] = override;
    const host = target.host;
    target.protocol = origin.protocol;
    target.host = origin.host;
    return { url: target.href, headers: { "x-forwarded-host": host } };
  }

  /** One app by slug, or null (for batch lookups). */
  find(slug: string): AppDefinition | null {
    return this.catalog.bySlug(slug) ?? null;
  }

  /** A page of apps matching the filters, ordered by name. */
  list(filter: AppFilter, page: { first?: number | null; after?: string | null }) {
    const needle = filter.search?.trim().toLowerCase();
    const matches = this.sorted.filter(
      (app) =>
        (!filter.authType || app.authType === filter.authType) &&
        (!needle || app.name.toLowerCase().includes(needle) || app.slug.includes(needle)),
    );
    return paginateSorted(matches, sortKey, 2, page);
  }
}
