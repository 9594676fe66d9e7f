import type { MigrationInterface, QueryRunner } from "typeorm";

export class Accounts1795585723782 implements MigrationInterface {
  name = "Accounts1795585723782";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "nickname" varchar(120) NOT NULL, "owner_member_id" varchar(36), "scopes" text NOT NULL, "external_id" varchar(190), "external_name" varchar(190), "fingerprint" varchar(100), "health_status" varchar(32) NOT NULL, "last_error" varchar(500), "expires_at" datetime(3), "last_refreshed_at" datetime(3), "next_refresh_at" datetime(3), "version" integer NOT NULL DEFAULT (1), "connected_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_accounts_owner" ON "accounts" ("owner_member_id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_workspace_created" ON "accounts" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "account_secrets" ("account_id" varchar(36) NOT NULL, "field" varchar(64) NOT NULL, "workspace_id" varchar(36) NOT NULL, "envelope" text NOT NULL, "kid" varchar(32) NOT NULL, "updated_at" datetime(3) NOT NULL, PRIMARY KEY ("account_id", "field"))`);
    await queryRunner.query(`CREATE INDEX "ix_account_secrets_kid" ON "account_secrets" ("kid") `);
    await queryRunner.query(`CREATE TABLE "audit_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "actor_user_id" varchar(190) NOT NULL, "actor_member_id" varchar(36), "action" varchar(40) NOT NULL, "account_id" varchar(36), "details" text NOT NULL, "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_audit_workspace_account" ON "audit_events" ("workspace_id", "account_id") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_workspace_created" ON "audit_events" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`CREATE TABLE "account_grants" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "account_id" varchar(36) NOT NULL, "grantee_key" varchar(36) NOT NULL, "member_id" varchar(36), "granted_by_member_id" varchar(36), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_account_grants_member" ON "account_grants" ("member_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_account_grants_grantee" ON "account_grants" ("account_id", "grantee_key") `);
    await queryRunner.query(`CREATE TABLE "temporary_workspaces" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(120) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "admins_manage_access" boolean NOT NULL DEFAULT (0))`);
    await queryRunner.query(`INSERT INTO "temporary_workspaces"("id", "name", "created_at", "updated_at") SELECT "id", "name", "created_at", "updated_at" FROM "workspaces"`);
    await queryRunner.query(`DROP TABLE "workspaces"`);
    await queryRunner.query(`ALTER TABLE "temporary_workspaces" RENAME TO "workspaces"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_owner"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_workspace_created"`);
    await queryRunner.query(`CREATE TABLE "temporary_accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "nickname" varchar(120) NOT NULL, "owner_member_id" varchar(36), "scopes" text NOT NULL, "external_id" varchar(190), "external_name" varchar(190), "fingerprint" varchar(100), "health_status" varchar(32) NOT NULL, "last_error" varchar(500), "expires_at" datetime(3), "last_refreshed_at" datetime(3), "next_refresh_at" datetime(3), "version" integer NOT NULL DEFAULT (1), "connected_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_212b65ba4b65c8c6d2619f3681b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_f670796423cccbe2fe3e73c8299" FOREIGN KEY ("owner_member_id") REFERENCES "members" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_accounts"("id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at") SELECT "id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at" FROM "accounts"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
    await queryRunner.query(`ALTER TABLE "temporary_accounts" RENAME TO "accounts"`);
    await queryRunner.query(`CREATE INDEX "ix_accounts_owner" ON "accounts" ("owner_member_id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_workspace_created" ON "accounts" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`DROP INDEX "ix_account_secrets_kid"`);
    await queryRunner.query(`CREATE TABLE "temporary_account_secrets" ("account_id" varchar(36) NOT NULL, "field" varchar(64) NOT NULL, "workspace_id" varchar(36) NOT NULL, "envelope" text NOT NULL, "kid" varchar(32) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_a0e7a02cfc6c436946bf0b0c99c" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, PRIMARY KEY ("account_id", "field"))`);
    await queryRunner.query(`INSERT INTO "temporary_account_secrets"("account_id", "field", "workspace_id", "envelope", "kid", "updated_at") SELECT "account_id", "field", "workspace_id", "envelope", "kid", "updated_at" FROM "account_secrets"`);
    await queryRunner.query(`DROP TABLE "account_secrets"`);
    await queryRunner.query(`ALTER TABLE "temporary_account_secrets" RENAME TO "account_secrets"`);
    await queryRunner.query(`CREATE INDEX "ix_account_secrets_kid" ON "account_secrets" ("kid") `);
    await queryRunner.query(`DROP INDEX "ix_account_grants_member"`);
    await queryRunner.query(`DROP INDEX "uq_account_grants_grantee"`);
    await queryRunner.query(`CREATE TABLE "temporary_account_grants" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "account_id" varchar(36) NOT NULL, "grantee_key" varchar(36) NOT NULL, "member_id" varchar(36), "granted_by_member_id" varchar(36), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_5df246b74af54997f51b681a33c" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_a43234dd4e8a6f56755ca939e96" FOREIGN KEY ("member_id") REFERENCES "members" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_account_grants"("id", "workspace_id", "account_id", "grantee_key", "member_id", "granted_by_member_id", "created_at") SELECT "id", "workspace_id", "account_id", "grantee_key", "member_id", "granted_by_member_id", "created_at" FROM "account_grants"`);
    await queryRunner.query(`DROP TABLE "account_grants"`);
    await queryRunner.query(`ALTER TABLE "temporary_account_grants" RENAME TO "account_grants"`);
    await queryRunner.query(`CREATE INDEX "ix_account_grants_member" ON "account_grants" ("member_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_account_grants_grantee" ON "account_grants" ("account_id", "grantee_key") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_account_grants_grantee"`);
    await queryRunner.query(`DROP INDEX "ix_account_grants_member"`);
    await queryRunner.query(`ALTER TABLE "account_grants" RENAME TO "temporary_account_grants"`);
    await queryRunner.query(`CREATE TABLE "account_grants" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "account_id" varchar(36) NOT NULL, "grantee_key" varchar(36) NOT NULL, "member_id" varchar(36), "granted_by_member_id" varchar(36), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "account_grants"("id", "workspace_id", "account_id", "grantee_key", "member_id", "granted_by_member_id", "created_at") SELECT "id", "workspace_id", "account_id", "grantee_key", "member_id", "granted_by_member_id", "created_at" FROM "temporary_account_grants"`);
    await queryRunner.query(`DROP TABLE "temporary_account_grants"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_account_grants_grantee" ON "account_grants" ("account_id", "grantee_key") `);
    await queryRunner.query(`CREATE INDEX "ix_account_grants_member" ON "account_grants" ("member_id") `);
    await queryRunner.query(`DROP INDEX "ix_account_secrets_kid"`);
    await queryRunner.query(`ALTER TABLE "account_secrets" RENAME TO "temporary_account_secrets"`);
    await queryRunner.query(`CREATE TABLE "account_secrets" ("account_id" varchar(36) NOT NULL, "field" varchar(64) NOT NULL, "workspace_id" varchar(36) NOT NULL, "envelope" text NOT NULL, "kid" varchar(32) NOT NULL, "updated_at" datetime(3) NOT NULL, PRIMARY KEY ("account_id", "field"))`);
    await queryRunner.query(`INSERT INTO "account_secrets"("account_id", "field", "workspace_id", "envelope", "kid", "updated_at") SELECT "account_id", "field", "workspace_id", "envelope", "kid", "updated_at" FROM "temporary_account_secrets"`);
    await queryRunner.query(`DROP TABLE "temporary_account_secrets"`);
    await queryRunner.query(`CREATE INDEX "ix_account_secrets_kid" ON "account_secrets" ("kid") `);
    await queryRunner.query(`DROP INDEX "ix_accounts_workspace_created"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_owner"`);
    await queryRunner.query(`ALTER TABLE "accounts" RENAME TO "temporary_accounts"`);
    await queryRunner.query(`CREATE TABLE "accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "nickname" varchar(120) NOT NULL, "owner_member_id" varchar(36), "scopes" text NOT NULL, "external_id" varchar(190), "external_name" varchar(190), "fingerprint" varchar(100), "health_status" varchar(32) NOT NULL, "last_error" varchar(500), "expires_at" datetime(3), "last_refreshed_at" datetime(3), "next_refresh_at" datetime(3), "version" integer NOT NULL DEFAULT (1), "connected_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "accounts"("id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at") SELECT "id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at" FROM "temporary_accounts"`);
    await queryRunner.query(`DROP TABLE "temporary_accounts"`);
    await queryRunner.query(`CREATE INDEX "ix_accounts_workspace_created" ON "accounts" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_owner" ON "accounts" ("owner_member_id") `);
    await queryRunner.query(`ALTER TABLE "workspaces" RENAME TO "temporary_workspaces"`);
    await queryRunner.query(`CREATE TABLE "workspaces" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(120) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "workspaces"("id", "name", "created_at", "updated_at") SELECT "id", "name", "created_at", "updated_at" FROM "temporary_workspaces"`);
    await queryRunner.query(`DROP TABLE "temporary_workspaces"`);
    await queryRunner.query(`DROP INDEX "uq_account_grants_grantee"`);
    await queryRunner.query(`DROP INDEX "ix_account_grants_member"`);
    await queryRunner.query(`DROP TABLE "account_grants"`);
    await queryRunner.query(`DROP INDEX "ix_audit_workspace_created"`);
    await queryRunner.query(`DROP INDEX "ix_audit_workspace_account"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP INDEX "ix_account_secrets_kid"`);
    await queryRunner.query(`DROP TABLE "account_secrets"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_workspace_created"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_owner"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
  }
}
