import type { MigrationInterface, QueryRunner } from "typeorm";

export class ConnectionValues1796480092633 implements MigrationInterface {
  name = "ConnectionValues1796480092633";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`accounts\` ADD \`connection\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`oauth_flows\` ADD \`parameters\` text NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`oauth_flows\` DROP COLUMN \`parameters\``);
    await queryRunner.query(`ALTER TABLE \`accounts\` DROP COLUMN \`connection\``);
  }
}
