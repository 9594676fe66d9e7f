import type { MigrationInterface, QueryRunner } from "typeorm";

export class OAuth1795586304259 implements MigrationInterface {
  name = "OAuth1795586304259";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "oauth_clients" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "name" varchar(120) NOT NULL, "client_id" varchar(255) NOT NULL, "client_secret" text NOT NULL, "scopes" text NOT NULL, "status" varchar(32) NOT NULL, "last_error" varchar(500), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_oauth_clients_workspace_app" ON "oauth_clients" ("workspace_id", "app_slug") `);
    await queryRunner.query(`CREATE TABLE "oauth_client_health" ("app_slug" varchar(64) PRIMARY KEY NOT NULL, "status" varchar(32) NOT NULL, "last_error" varchar(500), "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "oauth_flows" ("id" varchar(64) PRIMARY KEY NOT NULL, "state_hash" varchar(64), "binding_hash" varchar(64), "workspace_id" varchar(36) NOT NULL, "member_id" varchar(36) NOT NULL, "user_id" varchar(190) NOT NULL, "app_slug" varchar(64) NOT NULL, "oauth_client_id" varchar(36), "account_id" varchar(36), "nickname" varchar(120), "scopes" text NOT NULL, "code_verifier" text, "return_url" varchar(1000), "expires_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_oauth_flows_expires" ON "oauth_flows" ("expires_at") `);
    await queryRunner.query(`DROP INDEX "ix_accounts_workspace_created"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_owner"`);
    await queryRunner.query(`CREATE TABLE "temporary_accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "nickname" varchar(120) NOT NULL, "owner_member_id" varchar(36), "scopes" text NOT NULL, "external_id" varchar(190), "external_name" varchar(190), "fingerprint" varchar(100), "health_status" varchar(32) NOT NULL, "last_error" varchar(500), "expires_at" datetime(3), "last_refreshed_at" datetime(3), "next_refresh_at" datetime(3), "version" integer NOT NULL DEFAULT (1), "connected_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "oauth_client_id" varchar(36), "lease_owner" varchar(64), "lease_until" datetime(3), "refresh_failures" integer NOT NULL DEFAULT (0), "refresh_started_at" datetime(3), CONSTRAINT "FK_f670796423cccbe2fe3e73c8299" FOREIGN KEY ("owner_member_id") REFERENCES "members" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_212b65ba4b65c8c6d2619f3681b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_accounts"("id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at") SELECT "id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at" FROM "accounts"`);
    await queryRunner.query(`DROP TABLE "accounts"`);
    await queryRunner.query(`ALTER TABLE "temporary_accounts" RENAME TO "accounts"`);
    await queryRunner.query(`CREATE INDEX "ix_accounts_workspace_created" ON "accounts" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_owner" ON "accounts" ("owner_member_id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_next_refresh" ON "accounts" ("next_refresh_at") `);
    await queryRunner.query(`DROP INDEX "ix_oauth_clients_workspace_app"`);
    await queryRunner.query(`CREATE TABLE "temporary_oauth_clients" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "name" varchar(120) NOT NULL, "client_id" varchar(255) NOT NULL, "client_secret" text NOT NULL, "scopes" text NOT NULL, "status" varchar(32) NOT NULL, "last_error" varchar(500), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_bfb057c19d17aae49fe5802fbfe" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_oauth_clients"("id", "workspace_id", "app_slug", "name", "client_id", "client_secret", "scopes", "status", "last_error", "created_at", "updated_at") SELECT "id", "workspace_id", "app_slug", "name", "client_id", "client_secret", "scopes", "status", "last_error", "created_at", "updated_at" FROM "oauth_clients"`);
    await queryRunner.query(`DROP TABLE "oauth_clients"`);
    await queryRunner.query(`ALTER TABLE "temporary_oauth_clients" RENAME TO "oauth_clients"`);
    await queryRunner.query(`CREATE INDEX "ix_oauth_clients_workspace_app" ON "oauth_clients" ("workspace_id", "app_slug") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_oauth_clients_workspace_app"`);
    await queryRunner.query(`ALTER TABLE "oauth_clients" RENAME TO "temporary_oauth_clients"`);
    await queryRunner.query(`CREATE TABLE "oauth_clients" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "name" varchar(120) NOT NULL, "client_id" varchar(255) NOT NULL, "client_secret" text NOT NULL, "scopes" text NOT NULL, "status" varchar(32) NOT NULL, "last_error" varchar(500), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "oauth_clients"("id", "workspace_id", "app_slug", "name", "client_id", "client_secret", "scopes", "status", "last_error", "created_at", "updated_at") SELECT "id", "workspace_id", "app_slug", "name", "client_id", "client_secret", "scopes", "status", "last_error", "created_at", "updated_at" FROM "temporary_oauth_clients"`);
    await queryRunner.query(`DROP TABLE "temporary_oauth_clients"`);
    await queryRunner.query(`CREATE INDEX "ix_oauth_clients_workspace_app" ON "oauth_clients" ("workspace_id", "app_slug") `);
    await queryRunner.query(`DROP INDEX "ix_accounts_next_refresh"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_owner"`);
    await queryRunner.query(`DROP INDEX "ix_accounts_workspace_created"`);
    await queryRunner.query(`ALTER TABLE "accounts" RENAME TO "temporary_accounts"`);
    await queryRunner.query(`CREATE TABLE "accounts" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "app_slug" varchar(64) NOT NULL, "nickname" varchar(120) NOT NULL, "owner_member_id" varchar(36), "scopes" text NOT NULL, "external_id" varchar(190), "external_name" varchar(190), "fingerprint" varchar(100), "health_status" varchar(32) NOT NULL, "last_error" varchar(500), "expires_at" datetime(3), "last_refreshed_at" datetime(3), "next_refresh_at" datetime(3), "version" integer NOT NULL DEFAULT (1), "connected_at" datetime(3) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_f670796423cccbe2fe3e73c8299" FOREIGN KEY ("owner_member_id") REFERENCES "members" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_212b65ba4b65c8c6d2619f3681b" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "accounts"("id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at") SELECT "id", "workspace_id", "app_slug", "nickname", "owner_member_id", "scopes", "external_id", "external_name", "fingerprint", "health_status", "last_error", "expires_at", "last_refreshed_at", "next_refresh_at", "version", "connected_at", "created_at", "updated_at" FROM "temporary_accounts"`);
    await queryRunner.query(`DROP TABLE "temporary_accounts"`);
    await queryRunner.query(`CREATE INDEX "ix_accounts_owner" ON "accounts" ("owner_member_id") `);
    await queryRunner.query(`CREATE INDEX "ix_accounts_workspace_created" ON "accounts" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`DROP INDEX "ix_oauth_flows_expires"`);
    await queryRunner.query(`DROP TABLE "oauth_flows"`);
    await queryRunner.query(`DROP TABLE "oauth_client_health"`);
    await queryRunner.query(`DROP INDEX "ix_oauth_clients_workspace_app"`);
    await queryRunner.query(`DROP TABLE "oauth_clients"`);
  }
}
