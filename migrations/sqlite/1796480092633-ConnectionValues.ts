import type { MigrationInterface, QueryRunner } from "typeorm";

export class ConnectionValues1796480092633 implements MigrationInterface {
  name = "ConnectionValues1796480092633";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_accounts_next_refresh"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_owner"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_workspace_created"`);
    await queryRunner.query(`CREATE TABLE "temporary_accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "nickname" varchar(120) NOT NULL, "owner_member_id" varchar(36), "scopes" text NOT NULL, "external_id" varchar(190), "external_name" varchar(190), "fingerprint" varchar(100), "health_status" varchar(32) NOT NULL, "last_error" varchar(500), "expires_at" datetime(3), "last_refreshed_at" datetime(3), "next_refresh_at" datetime(3), "version" integer NOT NULL DEFAULT (1), "connected_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "oauth_client_id" varchar(36), "lease_owner" varchar(64), "lease_until" datetime(3), "refresh_failures" integer NOT NULL DEFAULT (0), "refresh_started_at" datetime(3), "connection" text, CONSTRAINT "FK_212b65ba4b65c8c6d2619f3681b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_f670796423cccbe2fe3e73c8299" FOREIGN KEY ("owner_member_id") REFERENCES "members" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_accounts"("id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at", "oauth_client_id", "lease_owner", "lease_until", "refresh_failures", "refresh_started_at") SELECT "id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at", "oauth_client_id", "lease_owner", "lease_until", "refresh_failures", "refresh_started_at" FROM "accounts"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
    await queryRunner.query(`ALTER TABLE "temporary_accounts" RENAME TO "accounts"`);
    await queryRunner.query(`CREATE INDEX "ix_accounts_next_refresh" ON "accounts" ("next_refresh_at") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_owner" ON "accounts" ("owner_member_id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_workspace_created" ON "accounts" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`DROP INDEX "ix_oauth_flows_expires"`);
    await queryRunner.query(`CREATE TABLE "temporary_oauth_flows" ("id" varchar(64) PRIMARY KEY NOT NULL, "state_hash" varchar(64), "binding_hash" varchar(64), "workspace_id" varchar(36) NOT NULL, "member_id" varchar(36) NOT NULL, "user_id" varchar(190) NOT NULL, "app_slug" varchar(64) NOT NULL, "oauth_client_id" varchar(36), "account_id" varchar(36), "nickname" varchar(120), "scopes" text NOT NULL, "code_verifier" text, "return_url" varchar(1000), "expires_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL, "parameters" text)`);
    await queryRunner.query(`INSERT INTO "temporary_oauth_flows"("id", "state_hash", "binding_hash", "workspace_id", "member_id", "user_id", "app_slug", "oauth_client_id", "account_id", "nickname", "scopes", "code_verifier", "return_url", "expires_at", "created_at") SELECT "id", "state_hash", "binding_hash", "workspace_id", "member_id", "user_id", "app_slug", "oauth_client_id", "account_id", "nickname", "scopes", "code_verifier", "return_url", "expires_at", "created_at" FROM "oauth_flows"`);
    await queryRunner.query(`DROP TABLE "oauth_flows"`);
    await queryRunner.query(`ALTER TABLE "temporary_oauth_flows" RENAME TO "oauth_flows"`);
    await queryRunner.query(`CREATE INDEX "ix_oauth_flows_expires" ON "oauth_flows" ("expires_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_oauth_flows_expires"`);
    await queryRunner.query(`ALTER TABLE "oauth_flows" RENAME TO "temporary_oauth_flows"`);
    await queryRunner.query(`CREATE TABLE "oauth_flows" ("id" varchar(64) PRIMARY KEY NOT NULL, "state_hash" varchar(64), "binding_hash" varchar(64), "workspace_id" varchar(36) NOT NULL, "member_id" varchar(36) NOT NULL, "user_id" varchar(190) NOT NULL, "app_slug" varchar(64) NOT NULL, "oauth_client_id" varchar(36), "account_id" varchar(36), "nickname" varchar(120), "scopes" text NOT NULL, "code_verifier" text, "return_url" varchar(1000), "expires_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "oauth_flows"("id", "state_hash", "binding_hash", "workspace_id", "member_id", "user_id", "app_slug", "oauth_client_id", "account_id", "nickname", "scopes", "code_verifier", "return_url", "expires_at", "created_at") SELECT "id", "state_hash", "binding_hash", "workspace_id", "member_id", "user_id", "app_slug", "oauth_client_id", "account_id", "nickname", "scopes", "code_verifier", "return_url", "expires_at", "created_at" FROM "temporary_oauth_flows"`);
    await queryRunner.query(`DROP TABLE "temporary_oauth_flows"`);
    await queryRunner.query(`CREATE INDEX "ix_oauth_flows_expires" ON "oauth_flows" ("expires_at") `);
    await queryRunner.query(`DROP INDEX "ix_accounts_workspace_created"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_owner"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_next_refresh"`);
    await queryRunner.query(`ALTER TABLE "accounts" RENAME TO "temporary_accounts"`);
    await queryRunner.query(`CREATE TABLE "accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "nickname" varchar(120) NOT NULL, "owner_member_id" varchar(36), "scopes" text NOT NULL, "external_id" varchar(190), "external_name" varchar(190), "fingerprint" varchar(100), "health_status" varchar(32) NOT NULL, "last_error" varchar(500), "expires_at" datetime(3), "last_refreshed_at" datetime(3), "next_refresh_at" datetime(3), "version" integer NOT NULL DEFAULT (1), "connected_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "oauth_client_id" varchar(36), "lease_owner" varchar(64), "lease_until" datetime(3), "refresh_failures" integer NOT NULL DEFAULT (0), "refresh_started_at" datetime(3), CONSTRAINT "FK_212b65ba4b65c8c6d2619f3681b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_f670796423cccbe2fe3e73c8299" FOREIGN KEY ("owner_member_id") REFERENCES "members" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "accounts"("id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at", "oauth_client_id", "lease_owner", "lease_until", "refresh_failures", "refresh_started_at") SELECT "id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at", "oauth_client_id", "lease_owner", "lease_until", "refresh_failures", "refresh_started_at" FROM "temporary_accounts"`);
    await queryRunner.query(`DROP TABLE "temporary_accounts"`);
    await queryRunner.query(`CREATE INDEX "ix_accounts_workspace_created" ON "accounts" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_owner" ON "accounts" ("owner_member_id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_next_refresh" ON "accounts" ("next_refresh_at") `);
  }
}
