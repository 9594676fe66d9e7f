import { notFound } from "../../errors/app-error";
import { compareKeys, paginateSorted } from "../../db/pagination";
import type { AppCatalog } from "./app-catalog";
import type { AppDefinition, AuthType } from "./app-definition";

/** Filters of the apps list. */
export interface AppFilter {
  search?: string | null;
  authType?: AuthType | null;
}

const sortKey = (app: AppDefinition): string[] => [app.name.toLowerCase(), app.slug];

/** Reads the app catalog: search, filter, page, and look up by slug. */
export class AppCatalogService {
  private readonly sorted: readonly AppDefinition[];

  constructor(
    private readonly catalog: AppCatalog,
    private readonly baseUrlOverrides: Readonly<Record<string, string>> = {},
  ) {
    // Sorted once with the same comparison the cursors use, so pages never skip or repeat.
    this.sorted = [...catalog.all].sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  }

  /** One app by slug; NOT_FOUND when the catalog has none. */
  get(slug: string): AppDefinition {
    const app = this.catalog.bySlug(slug);
    if (!app) throw notFound("App");
    return app;
  }

  /** Where requests with an account of this app go (tests may point an app at a local server). */
  apiBaseUrl(app: AppDefinition): string {
    return this.baseUrlOverrides[app.slug] ?? app.apiBaseUrl;
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
