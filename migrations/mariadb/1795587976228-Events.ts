import type { MigrationInterface, QueryRunner } from "typeorm";

export class Events1795587976228 implements MigrationInterface {
  name = "Events1795587976228";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`account_events\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`seq\` int NOT NULL, \`kind\` varchar(40) NOT NULL, \`account_id\` varchar(36) NOT NULL, \`payload\` text NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_account_events_created\` (\`created_at\`), UNIQUE INDEX \`uq_account_events_seq\` (\`workspace_id\`, \`seq\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`workspaces\` ADD \`event_seq\` int NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`workspaces\` DROP COLUMN \`event_seq\``);
    await queryRunner.query(`DROP INDEX \`uq_account_events_seq\` ON \`account_events\``);
    await queryRunner.query(`DROP INDEX \`ix_account_events_created\` ON \`account_events\``);
    await queryRunner.query(`DROP TABLE \`account_events\``);
  }
}
