import type { MigrationInterface, QueryRunner } from "typeorm";

export class Events1795587976228 implements MigrationInterface {
  name = "Events1795587976228";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "account_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "seq" integer NOT NULL, "kind" varchar(40) NOT NULL, "account_id" varchar(36) NOT NULL, "payload" text NOT NULL, "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_account_events_created" ON "account_events" ("created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_account_events_seq" ON "account_events" ("workspace_id", "seq") `);
    await queryRunner.query(`CREATE TABLE "temporary_workspaces" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(120) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "admins_manage_access" boolean NOT NULL DEFAULT (0), "event_seq" integer NOT NULL DEFAULT (0))`);
    await queryRunner.query(`INSERT INTO "temporary_workspaces"("id", "name", "created_at", "updated_at", "admins_manage_access") SELECT "id", "name", "created_at", "updated_at", "admins_manage_access" FROM "workspaces"`);
    await queryRunner.query(`DROP TABLE "workspaces"`);
    await queryRunner.query(`ALTER TABLE "temporary_workspaces" RENAME TO "workspaces"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workspaces" RENAME TO "temporary_workspaces"`);
    await queryRunner.query(`CREATE TABLE "workspaces" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(120) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "admins_manage_access" boolean NOT NULL DEFAULT (0))`);
    await queryRunner.query(`INSERT INTO "workspaces"("id", "name", "created_at", "updated_at", "admins_manage_access") SELECT "id", "name", "created_at", "updated_at", "admins_manage_access" FROM "temporary_workspaces"`);
    await queryRunner.query(`DROP TABLE "temporary_workspaces"`);
    await queryRunner.query(`DROP INDEX "uq_account_events_seq"`);
    await queryRunner.query(`DROP INDEX "ix_account_events_created"`);
    await queryRunner.query(`DROP TABLE "account_events"`);
  }
}
