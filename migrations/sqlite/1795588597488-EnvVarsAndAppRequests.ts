import type { MigrationInterface, QueryRunner } from "typeorm";

export class EnvVarsAndAppRequests1795588597488 implements MigrationInterface {
  name = "EnvVarsAndAppRequests1795588597488";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "app_requests" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "normalized_name" varchar(120) NOT NULL, "url" varchar(2048), "reason" varchar(1000), "count" integer NOT NULL DEFAULT (1), "status" varchar(16) NOT NULL, "requested_by_member_id" varchar(36) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "closed_at" datetime(3))`);
    await queryRunner.query(`CREATE INDEX "ix_app_requests_workspace_created" ON "app_requests" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_app_requests_workspace_name" ON "app_requests" ("workspace_id", "normalized_name", "status") `);
    await queryRunner.query(`CREATE TABLE "workspace_env_vars" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(128) NOT NULL, "value" json NOT NULL, "secret" boolean NOT NULL DEFAULT (1), "description" varchar(500), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_workspace_env_vars_name" ON "workspace_env_vars" ("workspace_id", "name") `);
    await queryRunner.query(`DROP INDEX "ix_app_requests_workspace_created"`);
    await queryRunner.query(`DROP INDEX "ix_app_requests_workspace_name"`);
    await queryRunner.query(`CREATE TABLE "temporary_app_requests" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "normalized_name" varchar(120) NOT NULL, "url" varchar(2048), "reason" varchar(1000), "count" integer NOT NULL DEFAULT (1), "status" varchar(16) NOT NULL, "requested_by_member_id" varchar(36) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "closed_at" datetime(3), CONSTRAINT "FK_e73a05fc2767e62b8c03e142d7a" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_app_requests"("id", "workspace_id", "name", "normalized_name", "url", "reason", "count", "status", "requested_by_member_id", "created_at", "updated_at", "closed_at") SELECT "id", "workspace_id", "name", "normalized_name", "url", "reason", "count", "status", "requested_by_member_id", "created_at", "updated_at", "closed_at" FROM "app_requests"`);
    await queryRunner.query(`DROP TABLE "app_requests"`);
    await queryRunner.query(`ALTER TABLE "temporary_app_requests" RENAME TO "app_requests"`);
    await queryRunner.query(`CREATE INDEX "ix_app_requests_workspace_created" ON "app_requests" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_app_requests_workspace_name" ON "app_requests" ("workspace_id", "normalized_name", "status") `);
    await queryRunner.query(`DROP INDEX "uq_workspace_env_vars_name"`);
    await queryRunner.query(`CREATE TABLE "temporary_workspace_env_vars" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(128) NOT NULL, "value" json NOT NULL, "secret" boolean NOT NULL DEFAULT (1), "description" varchar(500), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_368fd360595cd5a6f4ef2d036bd" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_workspace_env_vars"("id", "workspace_id", "name", "value", "secret", "description", "created_at", "updated_at") SELECT "id", "workspace_id", "name", "value", "secret", "description", "created_at", "updated_at" FROM "workspace_env_vars"`);
    await queryRunner.query(`DROP TABLE "workspace_env_vars"`);
    await queryRunner.query(`ALTER TABLE "temporary_workspace_env_vars" RENAME TO "workspace_env_vars"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_workspace_env_vars_name" ON "workspace_env_vars" ("workspace_id", "name") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_workspace_env_vars_name"`);
    await queryRunner.query(`ALTER TABLE "workspace_env_vars" RENAME TO "temporary_workspace_env_vars"`);
    await queryRunner.query(`CREATE TABLE "workspace_env_vars" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(128) NOT NULL, "value" json NOT NULL, "secret" boolean NOT NULL DEFAULT (1), "description" varchar(500), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "workspace_env_vars"("id", "workspace_id", "name", "value", "secret", "description", "created_at", "updated_at") SELECT "id", "workspace_id", "name", "value", "secret", "description", "created_at", "updated_at" FROM "temporary_workspace_env_vars"`);
    await queryRunner.query(`DROP TABLE "temporary_workspace_env_vars"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_workspace_env_vars_name" ON "workspace_env_vars" ("workspace_id", "name") `);
    await queryRunner.query(`DROP INDEX "ix_app_requests_workspace_name"`);
    await queryRunner.query(`DROP INDEX "ix_app_requests_workspace_created"`);
    await queryRunner.query(`ALTER TABLE "app_requests" RENAME TO "temporary_app_requests"`);
    await queryRunner.query(`CREATE TABLE "app_requests" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "normalized_name" varchar(120) NOT NULL, "url" varchar(2048), "reason" varchar(1000), "count" integer NOT NULL DEFAULT (1), "status" varchar(16) NOT NULL, "requested_by_member_id" varchar(36) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "closed_at" datetime(3))`);
    await queryRunner.query(`INSERT INTO "app_requests"("id", "workspace_id", "name", "normalized_name", "url", "reason", "count", "status", "requested_by_member_id", "created_at", "updated_at", "closed_at") SELECT "id", "workspace_id", "name", "normalized_name", "url", "reason", "count", "status", "requested_by_member_id", "created_at", "updated_at", "closed_at" FROM "temporary_app_requests"`);
    await queryRunner.query(`DROP TABLE "temporary_app_requests"`);
    await queryRunner.query(`CREATE INDEX "ix_app_requests_workspace_name" ON "app_requests" ("workspace_id", "normalized_name", "status") `);
    await queryRunner.query(`CREATE INDEX "ix_app_requests_workspace_created" ON "app_requests" ("workspace_id", "created_at", "id") `);
    await queryRunner.query(`DROP INDEX "uq_workspace_env_vars_name"`);
    await queryRunner.query(`DROP TABLE "workspace_env_vars"`);
    await queryRunner.query(`DROP INDEX "ix_app_requests_workspace_name"`);
    await queryRunner.query(`DROP INDEX "ix_app_requests_workspace_created"`);
    await queryRunner.query(`DROP TABLE "app_requests"`);
  }
}
