import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { accountCapabilities, isSharedWith } from "../../authz/account-access";
import { resolveAccountViewer, subjectOf } from "../../authz/account-viewer";
import type { RequestContext } from "../../context";
import { Access, principalOf } from "../../graphql/access";
import { PageInput } from "../../graphql/pagination";
import { presentApp } from "../apps/app.presenter";
import { AppType } from "../apps/app.type";
import { WORKSPACE_GRANTEE } from "../grants/grant.entity";
import { GrantType } from "../grants/grant.type";
import { presentMember, presentWorkspace } from "../workspaces/workspace.presenter";
import { MemberType, WorkspaceType } from "../workspaces/workspace.type";
import {
  AccountAccessInput,
  AccountFilterInput,
  ConnectKeyAccountInput,
  DeleteAccountInput,
  ImportLegacyAccountsInput,
  ReconnectKeyAccountInput,
  RenameAccountInput,
} from "./account.inputs";
import { presentAccount } from "./account.presenter";
import type { SharedState } from "./account.service";
import {
  AccountCapabilitiesType,
  AccountConnection,
  AccountType,
  DeleteAccountPayload,
  ReconnectAccountPayload,
  SharedStateEnum,
} from "./account.type";

/** Connected accounts: the accounts list, one account, and what members do to them. */
@Resolver(() => AccountType)
export class AccountResolver {
  @Access("authenticated", { account: "view" })
  @Query(() => AccountConnection, { description: "Accounts of a workspace the caller may view, newest first." })
  async accounts(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Ctx() context: RequestContext,
    @Arg("filter", () => AccountFilterInput, { nullable: true }) filter?: AccountFilterInput | null,
    @Arg("page", () => PageInput, { nullable: true }) page?: PageInput | null,
  ): Promise<AccountConnection> {
    const result = await context.services.accounts.list(context.loaders, workspaceId, filter ?? {}, page ?? {});
    return { nodes: result.nodes.map(presentAccount), pageInfo: result.pageInfo };
  }

  @Access("authenticated", { account: "view" })
  @Query(() => AccountType, { description: "One account the caller may view (NOT_FOUND otherwise)." })
  async account(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<AccountType> {
    return presentAccount((await context.services.accounts.authorize(context.loaders, id, "view")).account);
  }

  @Access("authenticated", { account: "connect" })
  @Mutation(() => AccountType, { description: "Connects a key-based app: private, owned by the caller." })
  async connectKeyAccount(@Arg("input") input: ConnectKeyAccountInput, @Ctx() context: RequestContext): Promise<AccountType> {
    return presentAccount(await context.services.accounts.connectKeyAccount(principalOf(context), context.loaders, input));
  }

  @Access("authenticated", { account: "reconnect" })
  @Mutation(() => ReconnectAccountPayload, {
    description: "Replaces a key-based account's credentials, same id. On a legacy account this claims it (the caller becomes its owner).",
  })
  async reconnectKeyAccount(@Arg("input") input: ReconnectKeyAccountInput, @Ctx() context: RequestContext): Promise<ReconnectAccountPayload> {
    const result = await context.services.accounts.reconnectKeyAccount(
      principalOf(context),
      context.loaders,
      input.accountId,
      input.credentials,
      input.verify ?? true,
    );
    return { account: presentAccount(result.account), claimed: result.claimed };
  }

  @Access("authenticated", { account: "rename" })
  @Mutation(() => AccountType)
  async renameAccount(@Arg("input") input: RenameAccountInput, @Ctx() context: RequestContext): Promise<AccountType> {
    return presentAccount(await context.services.accounts.rename(principalOf(context), context.loaders, input.accountId, input.nickname));
  }

  @Access("authenticated", { account: "delete" })
  @Mutation(() => DeleteAccountPayload, { description: "Deletes an account with its sealed credentials and grants." })
  async deleteAccount(@Arg("input") input: DeleteAccountInput, @Ctx() context: RequestContext): Promise<DeleteAccountPayload> {
    const deleted = await context.services.accounts.delete(principalOf(context), context.loaders, input.accountId);
    return { accountId: deleted.id };
  }

  @Access("authenticated", { account: "manageAccess" })
  @Mutation(() => AccountType, { description: "Shares an account with the whole workspace and/or members (the owner only, unless adminsManageAccess)." })
  async shareAccount(@Arg("input") input: AccountAccessInput, @Ctx() context: RequestContext): Promise<AccountType> {
    const account = await context.services.accounts.share(principalOf(context), context.loaders, input.accountId, {
      workspace: input.workspace ?? false,
      memberIds: input.memberIds ?? [],
    });
    return presentAccount(account);
  }

  @Access("authenticated", { account: "manageAccess" })
  @Mutation(() => AccountType, { description: "Revokes shares of an account." })
  async revokeAccountAccess(@Arg("input") input: AccountAccessInput, @Ctx() context: RequestContext): Promise<AccountType> {
    const account = await context.services.accounts.revoke(principalOf(context), context.loaders, input.accountId, {
      workspace: input.workspace ?? false,
      memberIds: input.memberIds ?? [],
    });
    return presentAccount(account);
  }

  @Access("authenticated", { account: "import" })
  @Mutation(() => [AccountType], { description: "Imports legacy accounts: ownerless, shared with the workspace (OWNER/ADMIN)." })
  async importLegacyAccounts(@Arg("input") input: ImportLegacyAccountsInput, @Ctx() context: RequestContext): Promise<AccountType[]> {
    const accounts = await context.services.accounts.importLegacy(principalOf(context), context.loaders, input.workspaceId, input.accounts);
    return accounts.map(presentAccount);
  }

  @FieldResolver(() => AppType)
  app(@Root() account: AccountType, @Ctx() context: RequestContext): AppType {
    return presentApp(context.services.apps.get(account.appSlug));
  }

  @FieldResolver(() => WorkspaceType)
  async workspace(@Root() account: AccountType, @Ctx() context: RequestContext): Promise<WorkspaceType> {
    return presentWorkspace(await context.services.workspaces.getWorkspace(context.loaders.workspaces, account.workspaceId));
  }

  @FieldResolver(() => MemberType, { nullable: true, description: "Who connected it; null for legacy accounts." })
  async owner(@Root() account: AccountType, @Ctx() context: RequestContext): Promise<MemberType | null> {
    if (!account.ownerMemberId) return null;
    const member = await context.loaders.workspaces.memberById.load(account.ownerMemberId);
    return member ? presentMember(member) : null;
  }

  @FieldResolver(() => [GrantType], { description: "Who it is shared with." })
  async grants(@Root() account: AccountType, @Ctx() context: RequestContext): Promise<GrantType[]> {
    const grants = await context.loaders.accounts.grantsByAccount.load(account.id);
    return grants.map((g) =>
      Object.assign(new GrantType(), {
        id: g.id,
        wholeWorkspace: g.granteeKey === WORKSPACE_GRANTEE,
        memberId: g.memberId,
        grantedByMemberId: g.grantedByMemberId,
        createdAt: g.createdAt,
      }),
    );
  }

  @FieldResolver(() => SharedStateEnum)
  async shared(@Root() account: AccountType, @Ctx() context: RequestContext): Promise<SharedState> {
    const grants = await context.loaders.accounts.grantsByAccount.load(account.id);
    if (grants.some((g) => g.granteeKey === WORKSPACE_GRANTEE)) return "WORKSPACE";
    return grants.length > 0 ? "MEMBERS" : "PRIVATE";
  }

  @FieldResolver(() => Boolean, { description: "Whether it is shared with the viewer (a workspace grant or a grant to them)." })
  async sharedWithViewer(@Root() account: AccountType, @Ctx() context: RequestContext): Promise<boolean> {
    const [viewer, grants] = await Promise.all([
      resolveAccountViewer(context.loaders, account.workspaceId),
      context.loaders.accounts.grantsByAccount.load(account.id),
    ]);
    return viewer !== null && isSharedWith(subjectOf(account, grants), viewer);
  }

  @FieldResolver(() => AccountCapabilitiesType, { description: "What the viewer may do to it." })
  async viewerCan(@Root() account: AccountType, @Ctx() context: RequestContext): Promise<AccountCapabilitiesType> {
    const [viewer, grants] = await Promise.all([
      resolveAccountViewer(context.loaders, account.workspaceId),
      context.loaders.accounts.grantsByAccount.load(account.id),
    ]);
    return Object.assign(new AccountCapabilitiesType(), accountCapabilities(viewer, subjectOf(account, grants)));
  }
}

/** Grants: who they name. */
@Resolver(() => GrantType)
export class GrantResolver {
  @FieldResolver(() => MemberType, { nullable: true })
  async member(@Root() grant: GrantType, @Ctx() context: RequestContext): Promise<MemberType | null> {
    if (!grant.memberId) return null;
    const member = await context.loaders.workspaces.memberById.load(grant.memberId);
    return member ? presentMember(member) : null;
  }

  @FieldResolver(() => MemberType, { nullable: true })
  async grantedBy(@Root() grant: GrantType, @Ctx() context: RequestContext): Promise<MemberType | null> {
    if (!grant.grantedByMemberId) return null;
    const member = await context.loaders.workspaces.memberById.load(grant.grantedByMemberId);
    return member ? presentMember(member) : null;
  }
}

/** Federation: resolves Account references the caller may view (NOT_FOUND otherwise). */
export async function resolveAccountReference(ref: { id: string }, context: RequestContext): Promise<AccountType> {
  principalOf(context);
  return presentAccount((await context.services.accounts.authorize(context.loaders, ref.id, "view")).account);
}
