import type { MigrationInterface, QueryRunner } from "typeorm";

export class AccountHealthIndex1796483038635 implements MigrationInterface {
  name = "AccountHealthIndex1796483038635";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_accounts_health" ON "accounts" ("health_status") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_accounts_health"`);
  }
}
