import { Arg, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access, principalOf } from "../../graphql/access";
import { PageInput } from "../../graphql/page.type";
import type { AuthType } from "./app-definition";
import { presentApp } from "./app.presenter";
import { AppConnection, AppType, AuthTypeEnum } from "./app.type";

/** The app catalog. */
@Resolver(() => AppType)
export class AppResolver {
  @Access("authenticated", { reach: "catalog" })
  @Query(() => AppConnection, { description: "Apps of the catalog, ordered by name; search matches name or slug." })
  apps(
    @Ctx() context: RequestContext,
    @Arg("search", () => String, { nullable: true }) search?: string | null,
    @Arg("authType", () => AuthTypeEnum, { nullable: true }) authType?: AuthType | null,
    @Arg("page", () => PageInput, { nullable: true }) page?: PageInput | null,
  ): AppConnection {
    const result = context.services.apps.list({ search, authType }, page ?? {});
    return { ...result, nodes: result.nodes.map(presentApp) };
  }

  @Access("authenticated", { reach: "catalog" })
  @Query(() => AppType, { description: "One app by slug (NOT_FOUND if the catalog has none)." })
  app(@Arg("slug") slug: string, @Ctx() context: RequestContext): AppType {
    return presentApp(context.services.apps.get(slug));
  }
}

/** Federation: resolves App references by slug (NOT_FOUND for unknown slugs). */
export function resolveAppReference(ref: { slug: string }, context: RequestContext): AppType {
  principalOf(context);
  return presentApp(context.services.apps.get(ref.slug));
}
