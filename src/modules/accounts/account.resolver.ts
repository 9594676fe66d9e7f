import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { accountCapabilities, isSharedWith, type AccountViewer } from "../../authz/account-access";
import { subjectOf } from "../../authz/account-subject";
import { resolveAccountViewer } from "../workspaces/account-viewer";
import type { RequestContext } from "../../graphql/context";
import { Access, principalOf } from "../../graphql/access";
import { PageInput } from "../../graphql/page.type";
import { presentApp } from "../apps/app.presenter";
import { AppType } from "../apps/app.type";
import { WORKSPACE_GRANTEE, type GrantEntity } from "./grant.entity";
import { GrantType } from "./grant.type";
import { presentMember, presentWorkspace } from "../workspaces/workspace.presenter";
import type { MemberEntity } from "../workspaces/member.entity";
import { peekAccountViewer } from "../workspaces/workspace.loaders";
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
import { loadAccountPage, presentAccount } from "./account.presenter";
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
    // Everything the page shows, in batched waves (loadAccountPage): the same statements whatever it holds.
    await loadAccountPage(context.loaders, result.nodes);
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

  // The nested fields below answer synchronously from what the page (or reference batch) has
  // already loaded, and load only what is missing: a promise per field per row cost more than the SQL.

  @FieldResolver(() => WorkspaceType)
  workspace(@Root() account: AccountType, @Ctx() context: RequestContext): WorkspaceType | Promise<WorkspaceType> {
    const loaders = context.loaders.workspaces;
    const workspace = loaders.viewerMembership.peek(account.workspaceId) ? loaders.workspaceById.peek(account.workspaceId) : undefined;
    if (workspace) return presentWorkspace(workspace);
    return context.services.workspaces.getWorkspace(loaders, account.workspaceId).then(presentWorkspace);
  }

  @FieldResolver(() => MemberType, { nullable: true, description: "Who connected it; null for legacy accounts." })
  owner(@Root() account: AccountType, @Ctx() context: RequestContext): MemberType | null | Promise<MemberType | null> {
    if (!account.ownerMemberId) return null;
    return context.loaders.workspaces.memberById.peekThen(account.ownerMemberId, presentMemberOrNull);
  }

  @FieldResolver(() => [GrantType], { description: "Who it is shared with." })
  grants(@Root() account: AccountType, @Ctx() context: RequestContext): GrantType[] | Promise<GrantType[]> {
    return context.loaders.accounts.grantsByAccount.peekThen(account.id, (grants) => grants.map(presentGrant));
  }

  @FieldResolver(() => SharedStateEnum)
  shared(@Root() account: AccountType, @Ctx() context: RequestContext): SharedState | Promise<SharedState> {
    return context.loaders.accounts.grantsByAccount.peekThen(account.id, sharedStateOf);
  }

  @FieldResolver(() => Boolean, { description: "Whether it is shared with the viewer (a workspace grant or a grant to them)." })
  sharedWithViewer(@Root() account: AccountType, @Ctx() context: RequestContext): boolean | Promise<boolean> {
    return withViewerAndGrants(account, context, (viewer, grants) => viewer !== null && isSharedWith(subjectOf(account, grants), viewer));
  }

  @FieldResolver(() => AccountCapabilitiesType, { description: "What the viewer may do to it." })
  viewerCan(@Root() account: AccountType, @Ctx() context: RequestContext): AccountCapabilitiesType | Promise<AccountCapabilitiesType> {
    // The matrix's shared answer object, read field by field (never copied per row).
    return withViewerAndGrants(account, context, (viewer, grants): AccountCapabilitiesType => accountCapabilities(viewer, subjectOf(account, grants)));
  }
}

/** Grants: who they name. */
@Resolver(() => GrantType)
export class GrantResolver {
  @FieldResolver(() => MemberType, { nullable: true })
  member(@Root() grant: GrantType, @Ctx() context: RequestContext): MemberType | null | Promise<MemberType | null> {
    if (!grant.memberId) return null;
    return context.loaders.workspaces.memberById.peekThen(grant.memberId, presentMemberOrNull);
  }

  @FieldResolver(() => MemberType, { nullable: true })
  grantedBy(@Root() grant: GrantType, @Ctx() context: RequestContext): MemberType | null | Promise<MemberType | null> {
    if (!grant.grantedByMemberId) return null;
    return context.loaders.workspaces.memberById.peekThen(grant.grantedByMemberId, presentMemberOrNull);
  }
}

function presentMemberOrNull(member: MemberEntity | null): MemberType | null {
  return member ? presentMember(member) : null;
}

function presentGrant(grant: GrantEntity): GrantType {
  return Object.assign(new GrantType(), {
    id: grant.id,
    wholeWorkspace: grant.granteeKey === WORKSPACE_GRANTEE,
    memberId: grant.memberId,
    grantedByMemberId: grant.grantedByMemberId,
    createdAt: grant.createdAt,
  });
}

function sharedStateOf(grants: readonly GrantEntity[]): SharedState {
  if (grants.some((g) => g.granteeKey === WORKSPACE_GRANTEE)) return "WORKSPACE";
  return grants.length > 0 ? "MEMBERS" : "PRIVATE";
}

// `then` of the viewer (null: not a member) and the account's grants, from memory when both are loaded.
function withViewerAndGrants<R>(
  account: AccountType,
  context: RequestContext,
  then: (viewer: AccountViewer | null, grants: readonly GrantEntity[]) => R,
): R | Promise<R> {
  const viewer = peekAccountViewer(context.loaders.workspaces, account.workspaceId);
  const grants = context.loaders.accounts.grantsByAccount.peek(account.id);
  if (viewer !== undefined && grants !== undefined) return then(viewer, grants);
  return Promise.all([resolveAccountViewer(context.loaders.workspaces, account.workspaceId), context.loaders.accounts.grantsByAccount.load(account.id)]).then(
    ([v, g]) => then(v, g),
  );
}

/** Federation: resolves Account references the caller may view (NOT_FOUND otherwise). */
export async function resolveAccountReference(ref: { id: string }, context: RequestContext): Promise<AccountType> {
  principalOf(context);
  const { account } = await context.services.accounts.authorize(context.loaders, ref.id, "view");
  // Every reference of the batch gets here in the same tick, so these loads batch across them:
  // a router's `_entities` costs the statements of the accounts list of the same accounts.
  await loadAccountPage(context.loaders, [account]);
  return presentAccount(account);
}
