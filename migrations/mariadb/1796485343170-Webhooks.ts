import type { MigrationInterface, QueryRunner } from "typeorm";

export class Webhooks1796485343170 implements MigrationInterface {
  name = "Webhooks1796485343170";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`webhook_endpoints\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`url\` varchar(2048) NOT NULL, \`description\` varchar(500) NULL, \`kinds\` varchar(1000) NULL, \`account_ids\` text NULL, \`enabled\` tinyint NOT NULL DEFAULT 1, \`disabled_reason\` varchar(200) NULL, \`secret\` text NOT NULL, \`previous_secret\` text NULL, \`previous_secret_until\` datetime(3) NULL, \`cursor\` int NOT NULL DEFAULT '0', \`lease_owner\` varchar(64) NULL, \`lease_until\` datetime(3) NULL, \`next_attempt_at\` datetime(3) NULL, \`failing_since\` datetime(3) NULL, \`attempts\` int NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_webhook_endpoints_due\` (\`enabled\`, \`next_attempt_at\`), INDEX \`ix_webhook_endpoints_workspace\` (\`workspace_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`webhook_deliveries\` (\`id\` varchar(36) NOT NULL, \`endpoint_id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`event_id\` varchar(36) NULL, \`seq\` int NULL, \`kind\` varchar(64) NOT NULL, \`message_id\` varchar(64) NOT NULL, \`status\` varchar(16) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`response_status\` int NULL, \`error\` varchar(300) NULL, \`latency_ms\` int NULL, \`response_excerpt\` varchar(1000) NULL, \`next_attempt_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_webhook_deliveries_event\` (\`endpoint_id\`, \`seq\`), INDEX \`ix_webhook_deliveries_endpoint\` (\`endpoint_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`webhook_endpoints\` ADD CONSTRAINT \`FK_a37f51d7045b4f19721c6813c63\` FOREIGN KEY (\`workspace_id\`) REFERENCES \`workspaces\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`webhook_deliveries\` ADD CONSTRAINT \`FK_0b882c26a9b91c26e6e86b4867c\` FOREIGN KEY (\`endpoint_id\`) REFERENCES \`webhook_endpoints\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`webhook_deliveries\` DROP FOREIGN KEY \`FK_0b882c26a9b91c26e6e86b4867c\``);
    await queryRunner.query(`ALTER TABLE \`webhook_endpoints\` DROP FOREIGN KEY \`FK_a37f51d7045b4f19721c6813c63\``);
    await queryRunner.query(`DROP INDEX \`ix_webhook_deliveries_endpoint\` ON \`webhook_deliveries\``);
    await queryRunner.query(`DROP INDEX \`uq_webhook_deliveries_event\` ON \`webhook_deliveries\``);
    await queryRunner.query(`DROP TABLE \`webhook_deliveries\``);
    await queryRunner.query(`DROP INDEX \`ix_webhook_endpoints_workspace\` ON \`webhook_endpoints\``);
    await queryRunner.query(`DROP INDEX \`ix_webhook_endpoints_due\` ON \`webhook_endpoints\``);
    await queryRunner.query(`DROP TABLE \`webhook_endpoints\``);
  }
}
