import type { MigrationInterface, QueryRunner } from "typeorm";

export class WorkspaceDeletion1796493769364 implements MigrationInterface {
  name = "WorkspaceDeletion1796493769364";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "temporary_workspaces" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(120) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "admins_manage_access" boolean NOT NULL DEFAULT (0), "event_seq" integer NOT NULL DEFAULT (0), "deleting_at" datetime(3), "deletion_lease_until" datetime(3))`);
    await queryRunner.query(`INSERT INTO "temporary_workspaces"("id", "name", "created_at", "updated_at", "admins_manage_access", "event_seq") SELECT "id", "name", "created_at", "updated_at", "admins_manage_access", "event_seq" FROM "workspaces"`);
    await queryRunner.query(`DROP TABLE "workspaces"`);
    await queryRunner.query(`ALTER TABLE "temporary_workspaces" RENAME TO "workspaces"`);
    await queryRunner.query(`CREATE INDEX "ix_workspaces_deleting" ON "workspaces" ("deleting_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_workspaces_deleting"`);
    await queryRunner.query(`ALTER TABLE "workspaces" RENAME TO "temporary_workspaces"`);
    await queryRunner.query(`CREATE TABLE "workspaces" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(120) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, "admins_manage_access" boolean NOT NULL DEFAULT (0), "event_seq" integer NOT NULL DEFAULT (0))`);
    await queryRunner.query(`INSERT INTO "workspaces"("id", "name", "created_at", "updated_at", "admins_manage_access", "event_seq") SELECT "id", "name", "created_at", "updated_at", "admins_manage_access", "event_seq" FROM "temporary_workspaces"`);
    await queryRunner.query(`DROP TABLE "temporary_workspaces"`);
  }
}
