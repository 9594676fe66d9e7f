import type { MigrationInterface, QueryRunner } from "typeorm";

export class ApiTokens1795588539615 implements MigrationInterface {
  name = "ApiTokens1795588539615";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "api_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "member_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "prefix" varchar(16) NOT NULL, "last4" varchar(8) NOT NULL, "hash" varchar(64) NOT NULL, "scope" varchar(20) NOT NULL, "expires_at" datetime(3), "revoked_at" datetime(3), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_api_tokens_member" ON "api_tokens" ("member_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_tokens_prefix" ON "api_tokens" ("prefix") `);
    await queryRunner.query(`DROP INDEX "ix_api_tokens_member"`);
    await queryRunner.query(`DROP INDEX "uq_api_tokens_prefix"`);
    await queryRunner.query(`CREATE TABLE "temporary_api_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "member_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "prefix" varchar(16) NOT NULL, "last4" varchar(8) NOT NULL, "hash" varchar(64) NOT NULL, "scope" varchar(20) NOT NULL, "expires_at" datetime(3), "revoked_at" datetime(3), "created_at" datetime(3) NOT NULL, CONSTRAINT "FK_bb2ac5a8027831a22eee069adfe" FOREIGN KEY ("member_id") REFERENCES "members" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_api_tokens"("id", "workspace_id", "member_id", "name", "prefix", "last4", "hash", "scope", "expires_at", "revoked_at", "created_at") SELECT "id", "workspace_id", "member_id", "name", "prefix", "last4", "hash", "scope", "expires_at", "revoked_at", "created_at" FROM "api_tokens"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`ALTER TABLE "temporary_api_tokens" RENAME TO "api_tokens"`);
    await queryRunner.query(`CREATE INDEX "ix_api_tokens_member" ON "api_tokens" ("member_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_tokens_prefix" ON "api_tokens" ("prefix") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_api_tokens_prefix"`);
    await queryRunner.query(`DROP INDEX "ix_api_tokens_member"`);
    await queryRunner.query(`ALTER TABLE "api_tokens" RENAME TO "temporary_api_tokens"`);
    await queryRunner.query(`CREATE TABLE "api_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "member_id" varchar(36) NOT NULL, "name" varchar(120) NOT NULL, "prefix" varchar(16) NOT NULL, "last4" varchar(8) NOT NULL, "hash" varchar(64) NOT NULL, "scope" varchar(20) NOT NULL, "expires_at" datetime(3), "revoked_at" datetime(3), "created_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "api_tokens"("id", "workspace_id", "member_id", "name", "prefix", "last4", "hash", "scope", "expires_at", "revoked_at", "created_at") SELECT "id", "workspace_id", "member_id", "name", "prefix", "last4", "hash", "scope", "expires_at", "revoked_at", "created_at" FROM "temporary_api_tokens"`);
    await queryRunner.query(`DROP TABLE "temporary_api_tokens"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_tokens_prefix" ON "api_tokens" ("prefix") `);
    await queryRunner.query(`CREATE INDEX "ix_api_tokens_member" ON "api_tokens" ("member_id") `);
    await queryRunner.query(`DROP INDEX "uq_api_tokens_prefix"`);
    await queryRunner.query(`DROP INDEX "ix_api_tokens_member"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
  }
}
