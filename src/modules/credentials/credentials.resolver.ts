import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access, principalOf } from "../../graphql/access";
import { AccountRequestInput } from "./credentials.inputs";
import { AccountCredentials, AccountRequestResult } from "./credentials.type";

/** Credentials via API and requests through an account: both need "read credentials" on the account. */
@Resolver()
export class CredentialsResolver {
  @Access("authenticated", { account: "readCredentials" })
  @Mutation(() => AccountCredentials, { description: "An account's credentials with a fresh access token (a mutation, so nothing caches it). Audited." })
  async readAccountCredentials(@Arg("accountId", () => ID) accountId: string, @Ctx() context: RequestContext): Promise<AccountCredentials> {
    const read = await context.services.credentials.read(principalOf(context), accountId, "graphql");
    return {
      accountId: read.account.id,
      appSlug: read.account.appSlug,
      fields: Object.entries(read.fields).map(([name, value]) => ({ name, value })),
      expiresAt: read.expiresAt,
      externalIdentity: read.account.externalId || read.account.externalName ? { id: read.account.externalId, displayName: read.account.externalName } : null,
    };
  }

  @Access("authenticated", { account: "readCredentials" })
  @Mutation(() => AccountRequestResult, { description: "Sends a request to the account's app with its auth added by the service; only the app's own hosts." })
  async sendAccountRequest(@Arg("input") input: AccountRequestInput, @Ctx() context: RequestContext): Promise<AccountRequestResult> {
    return context.services.credentials.send(principalOf(context), input.accountId, input);
  }
}
