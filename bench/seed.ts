/**
 * Bulk seeding for benchmarks: accounts (sealed with the service's own key ring through the
 * project's vault, so the service opens them like any other) and grants, inserted in chunks
 * straight into the bench database, and workflows with steps that use them. Workspaces and members
 * are made through the API instead.
 */
import type { DataSource } from "typeorm";
import { KeyRing } from "../src/crypto/key-ring";
import { Sealer } from "../src/crypto/sealer";
import { openDataSource } from "../src/data-source";
import { newId } from "../src/db/ids";
import { AccountEntity, newAccount } from "../src/modules/accounts/account.entity";
import { CredentialVault } from "../src/modules/accounts/credential-vault";
import { GrantEntity } from "../src/modules/accounts/grant.entity";
import { newStep, StepEntity, WorkflowEntity } from "../src/modules/workflows/workflow.entity";
import { gql } from "./lib";

export interface BenchData {
  dataSource: DataSource;
  vault: CredentialVault;
  close(): Promise<void>;
}

/** Opens the bench database (already migrated by the service) with the service's key ring. */
export async function openBenchData(url: string, keyRing: string): Promise<BenchData> {
  const dataSource = await openDataSource({ kind: "mariadb", url, poolSize: 4, connectTimeoutMs: 5000, acquireTimeoutMs: 5000, queryTimeoutMs: 60000, migrate: false });
  return { dataSource, vault: new CredentialVault(new Sealer(KeyRing.parse(keyRing))), close: () => dataSource.destroy() };
}

export interface SeedAccounts {
  workspaceId: string;
  ownerMemberId: string | null;
  count: number;
  appSlug: string;
  /** The i-th account's credentials. */
  credentials: (i: number) => Record<string, string>;
  /** Extra account fields (expiresAt, nextRefreshAt, scopes, …) for the i-th account. */
  fields?: (i: number) => Partial<AccountEntity>;
  /** Grantee keys (`workspace` or member ids) granted on the i-th account. */
  grants?: (i: number) => string[];
}

/** Inserts accounts with sealed credentials and grants, 200 per transaction; returns their ids in order. */
export async function seedAccounts(data: BenchData, spec: SeedAccounts): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < spec.count; start += 200) {
    await data.dataSource.transaction(async (manager) => {
      const accounts: AccountEntity[] = [];
      const grants: GrantEntity[] = [];
      for (let i = start; i < Math.min(spec.count, start + 200); i++) {
        const account = newAccount({
          id: newId(),
          workspaceId: spec.workspaceId,
          appSlug: spec.appSlug,
          nickname: `Bench account ${i}`,
          ownerMemberId: spec.ownerMemberId,
          ...spec.fields?.(i),
        });
        accounts.push(account);
        for (const grantee of spec.grants?.(i) ?? []) {
          grants.push(
            Object.assign(new GrantEntity(), {
              id: newId(),
              workspaceId: spec.workspaceId,
              accountId: account.id,
              granteeKey: grantee,
              memberId: grantee === "workspace" ? null : grantee,
              grantedByMemberId: spec.ownerMemberId,
              createdAt: new Date(),
            }),
          );
        }
      }
      await manager.insert(AccountEntity, accounts);
      for (const [k, account] of accounts.entries()) await data.vault.store(manager, account, spec.credentials(start + k), { replace: false });
      if (grants.length > 0) await manager.insert(GrantEntity, grants);
      ids.push(...accounts.map((a) => a.id));
    });
  }
  return ids;
}

export interface SeedWorkflows {
  workspaceId: string;
  createdByMemberId: string | null;
  count: number;
  /** Account ids (or null for a step without an account) of the w-th workflow's steps, in order. */
  steps: (w: number) => Array<string | null>;
}

/** Inserts V2 workflows and their ACTION steps, 200 workflows per transaction; returns the workflow ids in order. */
export async function seedWorkflows(data: BenchData, spec: SeedWorkflows): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < spec.count; start += 200) {
    await data.dataSource.transaction(async (manager) => {
      const workflows: WorkflowEntity[] = [];
      const steps: StepEntity[] = [];
      const now = new Date();
      for (let w = start; w < Math.min(spec.count, start + 200); w++) {
        const workflow = Object.assign(new WorkflowEntity(), {
          id: newId(),
          workspaceId: spec.workspaceId,
          name: `Bench workflow ${w}`,
          builderVersion: "V2",
          createdByMemberId: spec.createdByMemberId,
          createdAt: now,
          updatedAt: now,
        });
        workflows.push(workflow);
        for (const [position, accountId] of spec.steps(w).entries()) {
          steps.push(newStep({ id: newId(), workflowId: workflow.id, workspaceId: spec.workspaceId, position, kind: "ACTION", name: `Step ${position + 1}`, appSlug: accountId ? "github" : null, accountId }));
        }
      }
      await manager.insert(WorkflowEntity, workflows);
      if (steps.length > 0) await manager.insert(StepEntity, steps);
      ids.push(...workflows.map((w) => w.id));
    });
  }
  return ids;
}

/** The token fetch's world: a workspace, a MEMBER, and one OAuth account with a fresh token shared with that member. */
export interface TokenFetchWorld {
  workspaceId: string;
  ownerMemberId: string;
  memberId: string;
  accountId: string;
  accessToken: string;
}

/** Builds the token fetch's world through the service's API (workspace, member) and the bench seeder (the account). */
export async function seedTokenFetchWorld(service: { url: string; token(sub: string): Promise<string> }, databaseUrl: string, keyRing: string): Promise<TokenFetchWorld> {
  const owner = await service.token("bench-owner");
  const { createWorkspace: workspace } = await gql<{ createWorkspace: { id: string } }>(service.url, owner, `mutation { createWorkspace(input: { name: "Bench" }) { id } }`);
  const { addMember } = await gql<{ addMember: { id: string } }>(service.url, owner, `mutation ($ws: ID!) { addMember(input: { workspaceId: $ws, userId: "bench-member", role: MEMBER }) { id } }`, { ws: workspace.id });
  const { workspace: ws } = await gql<{ workspace: { members: Array<{ id: string; userId: string }> } }>(service.url, owner, `query ($ws: ID!) { workspace(id: $ws) { members { id userId } } }`, { ws: workspace.id });
  const ownerMemberId = ws.members.find((m) => m.userId === "bench-owner")!.id;
  const data = await openBenchData(databaseUrl, keyRing);
  const accessToken = "gho_bench_access_token_0123456789abcdefghij";
  try {
    const [accountId] = await seedAccounts(data, {
      workspaceId: workspace.id,
      ownerMemberId,
      count: 1,
      appSlug: "github",
      credentials: () => ({ oauth_access_token: accessToken, oauth_refresh_token: "ghr_bench_refresh_token" }),
      fields: () => ({ expiresAt: new Date(Date.now() + 7 * 24 * 3600_000), scopes: '["repo"]', externalId: "bench-gh-1" }),
      grants: () => [addMember.id],
    });
    return { workspaceId: workspace.id, ownerMemberId, memberId: addMember.id, accountId: accountId!, accessToken };
  } finally {
    await data.close();
  }
}
