import { Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access } from "../../graphql/access";

/** The address ranges the service calls apps from, so users can allow-list them at an app. */
@Resolver()
export class EgressResolver {
  @Access("authenticated", { reach: "catalog" })
  @Query(() => [String], { description: "CIDR ranges the service's calls to apps come from (EGRESS_IP_RANGES); empty when not configured." })
  egressIpRanges(@Ctx() context: RequestContext): string[] {
    return [...context.services.egressIpRanges];
  }
}
