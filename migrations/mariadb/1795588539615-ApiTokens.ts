import type { MigrationInterface, QueryRunner } from "typeorm";

export class ApiTokens1795588539615 implements MigrationInterface {
  name = "ApiTokens1795588539615";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`api_tokens\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`member_id\` varchar(36) NOT NULL, \`name\` varchar(120) NOT NULL, \`prefix\` varchar(16) NOT NULL, \`last4\` varchar(8) NOT NULL, \`hash\` varchar(64) NOT NULL, \`scope\` varchar(20) NOT NULL, \`expires_at\` datetime(3) NULL, \`revoked_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_api_tokens_member\` (\`member_id\`), UNIQUE INDEX \`uq_api_tokens_prefix\` (\`prefix\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`api_tokens\` ADD CONSTRAINT \`FK_bb2ac5a8027831a22eee069adfe\` FOREIGN KEY (\`member_id\`) REFERENCES \`members\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_tokens\` DROP FOREIGN KEY \`FK_bb2ac5a8027831a22eee069adfe\``);
    await queryRunner.query(`DROP INDEX \`uq_api_tokens_prefix\` ON \`api_tokens\``);
    await queryRunner.query(`DROP INDEX \`ix_api_tokens_member\` ON \`api_tokens\``);
    await queryRunner.query(`DROP TABLE \`api_tokens\``);
  }
}
