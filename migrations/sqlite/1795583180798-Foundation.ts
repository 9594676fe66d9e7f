import type { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795583180798 implements MigrationInterface {
  name = "Foundation1795583180798";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "workspaces" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(120) NOT NULL, "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "members" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "user_id" varchar(190) NOT NULL, "role" varchar(16) NOT NULL, "display_name" varchar(120), "email" varchar(254), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_members_user" ON "members" ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_members_workspace_user" ON "members" ("workspace_id", "user_id") `);
    await queryRunner.query(`DROP INDEX "ix_members_user"`);
    await queryRunner.query(`DROP INDEX "uq_members_workspace_user"`);
    await queryRunner.query(`CREATE TABLE "temporary_members" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "user_id" varchar(190) NOT NULL, "role" varchar(16) NOT NULL, "display_name" varchar(120), "email" varchar(254), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_c3c299323f3c28b40c2f6479a38" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_members"("id", "workspace_id", "user_id", "role", "display_name", "email", "created_at", "updated_at") SELECT "id", "workspace_id", "user_id", "role", "display_name", "email", "created_at", "updated_at" FROM "members"`);
    await queryRunner.query(`DROP TABLE "members"`);
    await queryRunner.query(`ALTER TABLE "temporary_members" RENAME TO "members"`);
    await queryRunner.query(`CREATE INDEX "ix_members_user" ON "members" ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_members_workspace_user" ON "members" ("workspace_id", "user_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_members_workspace_user"`);
    await queryRunner.query(`DROP INDEX "ix_members_user"`);
    await queryRunner.query(`ALTER TABLE "members" RENAME TO "temporary_members"`);
    await queryRunner.query(`CREATE TABLE "members" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "user_id" varchar(190) NOT NULL, "role" varchar(16) NOT NULL, "display_name" varchar(120), "email" varchar(254), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "members"("id", "workspace_id", "user_id", "role", "display_name", "email", "created_at", "updated_at") SELECT "id", "workspace_id", "user_id", "role", "display_name", "email", "created_at", "updated_at" FROM "temporary_members"`);
    await queryRunner.query(`DROP TABLE "temporary_members"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_members_workspace_user" ON "members" ("workspace_id", "user_id") `);
    await queryRunner.query(`CREATE INDEX "ix_members_user" ON "members" ("user_id") `);
    await queryRunner.query(`DROP INDEX "uq_members_workspace_user"`);
    await queryRunner.query(`DROP INDEX "ix_members_user"`);
    await queryRunner.query(`DROP TABLE "members"`);
    await queryRunner.query(`DROP TABLE "workspaces"`);
  }
}
