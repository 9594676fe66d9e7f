import type { MigrationInterface, QueryRunner } from "typeorm";

export class OAuth1795586304259 implements MigrationInterface {
  name = "OAuth1795586304259";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`oauth_clients\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`app_slug\` varchar(64) NOT NULL, \`name\` varchar(120) NOT NULL, \`client_id\` varchar(255) NOT NULL, \`client_secret\` text NOT NULL, \`scopes\` text NOT NULL, \`status\` varchar(32) NOT NULL, \`last_error\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_oauth_clients_workspace_app\` (\`workspace_id\`, \`app_slug\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`oauth_client_health\` (\`app_slug\` varchar(64) NOT NULL, \`status\` varchar(32) NOT NULL, \`last_error\` varchar(500) NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`app_slug\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`oauth_flows\` (\`id\` varchar(64) NOT NULL, \`state_hash\` varchar(64) NULL, \`binding_hash\` varchar(64) NULL, \`workspace_id\` varchar(36) NOT NULL, \`member_id\` varchar(36) NOT NULL, \`user_id\` varchar(190) NOT NULL, \`app_slug\` varchar(64) NOT NULL, \`oauth_client_id\` varchar(36) NULL, \`account_id\` varchar(36) NULL, \`nickname\` varchar(120) NULL, \`scopes\` text NOT NULL, \`code_verifier\` text NULL, \`return_url\` varchar(1000) NULL, \`expires_at\` datetime(3) NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_oauth_flows_expires\` (\`expires_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`accounts\` ADD \`oauth_client_id\` varchar(36) NULL`);
    await queryRunner.query(`ALTER TABLE \`accounts\` ADD \`lease_owner\` varchar(64) NULL`);
    await queryRunner.query(`ALTER TABLE \`accounts\` ADD \`lease_until\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`accounts\` ADD \`refresh_failures\` int NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`accounts\` ADD \`refresh_started_at\` datetime(3) NULL`);
    await queryRunner.query(`CREATE INDEX \`ix_accounts_next_refresh\` ON \`accounts\` (\`next_refresh_at\`)`);
    await queryRunner.query(`ALTER TABLE \`oauth_clients\` ADD CONSTRAINT \`FK_bfb057c19d17aae49fe5802fbfe\` FOREIGN KEY (\`workspace_id\`) REFERENCES \`workspaces\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`oauth_clients\` DROP FOREIGN KEY \`FK_bfb057c19d17aae49fe5802fbfe\``);
    await queryRunner.query(`DROP INDEX \`ix_accounts_next_refresh\` ON \`accounts\``);
    await queryRunner.query(`ALTER TABLE \`accounts\` DROP COLUMN \`refresh_started_at\``);
    await queryRunner.query(`ALTER TABLE \`accounts\` DROP COLUMN \`refresh_failures\``);
    await queryRunner.query(`ALTER TABLE \`accounts\` DROP COLUMN \`lease_until\``);
    await queryRunner.query(`ALTER TABLE \`accounts\` DROP COLUMN \`lease_owner\``);
    await queryRunner.query(`ALTER TABLE \`accounts\` DROP COLUMN \`oauth_client_id\``);
    await queryRunner.query(`DROP INDEX \`ix_oauth_flows_expires\` ON \`oauth_flows\``);
    await queryRunner.query(`DROP TABLE \`oauth_flows\``);
    await queryRunner.query(`DROP TABLE \`oauth_client_health\``);
    await queryRunner.query(`DROP INDEX \`ix_oauth_clients_workspace_app\` ON \`oauth_clients\``);
    await queryRunner.query(`DROP TABLE \`oauth_clients\``);
  }
}
