import type { MigrationInterface, QueryRunner } from "typeorm";

export class Workflows1795587405664 implements MigrationInterface {
  name = "Workflows1795587405664";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "workflows" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "builder_version" varchar(4) NOT NULL, "created_by_member_id" varchar(36), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_workflows_workspace" ON "workflows" ("workspace_id", "id") `);
    await queryRunner.query(`CREATE TABLE "steps" ("id" varchar(36) PRIMARY KEY NOT NULL, "workflow_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "position" integer NOT NULL, "kind" varchar(16) NOT NULL, "name" varchar(120) NOT NULL, "app_slug" varchar(64), "account_id" varchar(36), "account_removed" boolean NOT NULL DEFAULT (0), "props" text NOT NULL, "code" text, "http" text, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_steps_account" ON "steps" ("account_id") `);
    await queryRunner.query(`CREATE INDEX "ix_steps_workflow" ON "steps" ("workflow_id", "position") `);
    await queryRunner.query(`CREATE TABLE "step_runs" ("id" varchar(36) PRIMARY KEY NOT NULL, "step_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "tester_member_id" varchar(36), "status" varchar(16) NOT NULL, "inputs" text NOT NULL, "exports" text NOT NULL, "logs" text NOT NULL, "error" varchar(1000), "duration_ms" integer NOT NULL, "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_step_runs_step" ON "step_runs" ("step_id", "id") `);
    await queryRunner.query(`DROP INDEX "ix_workflows_workspace"`);
    await queryRunner.query(`CREATE TABLE "temporary_workflows" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "builder_version" varchar(4) NOT NULL, "created_by_member_id" varchar(36), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_cff7dceda71edc109874a34a965" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_workflows"("id", "workspace_id", "name", "builder_version", "created_by_member_id", "created_at", "updated_at") SELECT "id", "workspace_id", "name", "builder_version", "created_by_member_id", "created_at", "updated_at" FROM "workflows"`);
    await queryRunner.query(`DROP TABLE "workflows"`);
    await queryRunner.query(`ALTER TABLE "temporary_workflows" RENAME TO "workflows"`);
    await queryRunner.query(`CREATE INDEX "ix_workflows_workspace" ON "workflows" ("workspace_id", "id") `);
    await queryRunner.query(`DROP INDEX "ix_steps_account"`);
    await queryRunner.query(`DROP INDEX "ix_steps_workflow"`);
    await queryRunner.query(`CREATE TABLE "temporary_steps" ("id" varchar(36) PRIMARY KEY NOT NULL, "workflow_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "position" integer NOT NULL, "kind" varchar(16) NOT NULL, "name" varchar(120) NOT NULL, "app_slug" varchar(64), "account_id" varchar(36), "account_removed" boolean NOT NULL DEFAULT (0), "props" text NOT NULL, "code" text, "http" text, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_66b164af824ed3524043ac568ef" FOREIGN KEY ("workflow_id") REFERENCES "workflows" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_db1f903df3f1736ba1d8982f54d" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_steps"("id", "workflow_id", "workspace_id", "position", "kind", "name", "app_slug", "account_id", "account_removed", "props", "code", "http", "created_at", "updated_at") SELECT "id", "workflow_id", "workspace_id", "position", "kind", "name", "app_slug", "account_id", "account_removed", "props", "code", "http", "created_at", "updated_at" FROM "steps"`);
    await queryRunner.query(`DROP TABLE "steps"`);
    await queryRunner.query(`ALTER TABLE "temporary_steps" RENAME TO "steps"`);
    await queryRunner.query(`CREATE INDEX "ix_steps_account" ON "steps" ("account_id") `);
    await queryRunner.query(`CREATE INDEX "ix_steps_workflow" ON "steps" ("workflow_id", "position") `);
    await queryRunner.query(`DROP INDEX "ix_step_runs_step"`);
    await queryRunner.query(`CREATE TABLE "temporary_step_runs" ("id" varchar(36) PRIMARY KEY NOT NULL, "step_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "tester_member_id" varchar(36), "status" varchar(16) NOT NULL, "inputs" text NOT NULL, "exports" text NOT NULL, "logs" text NOT NULL, "error" varchar(1000), "duration_ms" integer NOT NULL, "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_1c35fca8d3db33573bf16c5f566" FOREIGN KEY ("step_id") REFERENCES "steps" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_step_runs"("id", "step_id", "workspace_id", "tester_member_id", "status", "inputs", "exports", "logs", "error", "duration_ms", "created_at") SELECT "id", "step_id", "workspace_id", "tester_member_id", "status", "inputs", "exports", "logs", "error", "duration_ms", "created_at" FROM "step_runs"`);
    await queryRunner.query(`DROP TABLE "step_runs"`);
    await queryRunner.query(`ALTER TABLE "temporary_step_runs" RENAME TO "step_runs"`);
    await queryRunner.query(`CREATE INDEX "ix_step_runs_step" ON "step_runs" ("step_id", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_step_runs_step"`);
    await queryRunner.query(`ALTER TABLE "step_runs" RENAME TO "temporary_step_runs"`);
    await queryRunner.query(`CREATE TABLE "step_runs" ("id" varchar(36) PRIMARY KEY NOT NULL, "step_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "tester_member_id" varchar(36), "status" varchar(16) NOT NULL, "inputs" text NOT NULL, "exports" text NOT NULL, "logs" text NOT NULL, "error" varchar(1000), "duration_ms" integer NOT NULL, "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "step_runs"("id", "step_id", "workspace_id", "tester_member_id", "status", "inputs", "exports", "logs", "error", "duration_ms", "created_at") SELECT "id", "step_id", "workspace_id", "tester_member_id", "status", "inputs", "exports", "logs", "error", "duration_ms", "created_at" FROM "temporary_step_runs"`);
    await queryRunner.query(`DROP TABLE "temporary_step_runs"`);
    await queryRunner.query(`CREATE INDEX "ix_step_runs_step" ON "step_runs" ("step_id", "id") `);
    await queryRunner.query(`DROP INDEX "ix_steps_workflow"`);
    await queryRunner.query(`DROP INDEX "ix_steps_account"`);
    await queryRunner.query(`ALTER TABLE "steps" RENAME TO "temporary_steps"`);
    await queryRunner.query(`CREATE TABLE "steps" ("id" varchar(36) PRIMARY KEY NOT NULL, "workflow_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "position" integer NOT NULL, "kind" varchar(16) NOT NULL, "name" varchar(120) NOT NULL, "app_slug" varchar(64), "account_id" varchar(36), "account_removed" boolean NOT NULL DEFAULT (0), "props" text NOT NULL, "code" text, "http" text, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "steps"("id", "workflow_id", "workspace_id", "position", "kind", "name", "app_slug", "account_id", "account_removed", "props", "code", "http", "created_at", "updated_at") SELECT "id", "workflow_id", "workspace_id", "position", "kind", "name", "app_slug", "account_id", "account_removed", "props", "code", "http", "created_at", "updated_at" FROM "temporary_steps"`);
    await queryRunner.query(`DROP TABLE "temporary_steps"`);
    await queryRunner.query(`CREATE INDEX "ix_steps_workflow" ON "steps" ("workflow_id", "position") `);
    await queryRunner.query(`CREATE INDEX "ix_steps_account" ON "steps" ("account_id") `);
    await queryRunner.query(`DROP INDEX "ix_workflows_workspace"`);
    await queryRunner.query(`ALTER TABLE "workflows" RENAME TO "temporary_workflows"`);
    await queryRunner.query(`CREATE TABLE "workflows" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "builder_version" varchar(4) NOT NULL, "created_by_member_id" varchar(36), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "workflows"("id", "workspace_id", "name", "builder_version", "created_by_member_id", "created_at", "updated_at") SELECT "id", "workspace_id", "name", "builder_version", "created_by_member_id", "created_at", "updated_at" FROM "temporary_workflows"`);
    await queryRunner.query(`DROP TABLE "temporary_workflows"`);
    await queryRunner.query(`CREATE INDEX "ix_workflows_workspace" ON "workflows" ("workspace_id", "id") `);
    await queryRunner.query(`DROP INDEX "ix_step_runs_step"`);
    await queryRunner.query(`DROP TABLE "step_runs"`);
    await queryRunner.query(`DROP INDEX "ix_steps_workflow"`);
    await queryRunner.query(`DROP INDEX "ix_steps_account"`);
    await queryRunner.query(`DROP TABLE "steps"`);
    await queryRunner.query(`DROP INDEX "ix_workflows_workspace"`);
    await queryRunner.query(`DROP TABLE "workflows"`);
  }
}
