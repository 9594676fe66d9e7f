import type { MigrationInterface, QueryRunner } from "typeorm";

export class EnvVarsAndAppRequests1795588597488 implements MigrationInterface {
  name = "EnvVarsAndAppRequests1795588597488";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`app_requests\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`name\` varchar(120) NOT NULL, \`normalized_name\` varchar(120) NOT NULL, \`url\` varchar(2048) NULL, \`reason\` varchar(1000) NULL, \`count\` int NOT NULL DEFAULT '1', \`status\` varchar(16) NOT NULL, \`requested_by_member_id\` varchar(36) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, \`closed_at\` datetime(3) NULL, INDEX \`ix_app_requests_workspace_created\` (\`workspace_id\`, \`created_at\`, \`id\`), INDEX \`ix_app_requests_workspace_name\` (\`workspace_id\`, \`normalized_name\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`workspace_env_vars\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`name\` varchar(128) NOT NULL, \`value\` json NOT NULL, \`secret\` tinyint NOT NULL DEFAULT 1, \`description\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_workspace_env_vars_name\` (\`workspace_id\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`app_requests\` ADD CONSTRAINT \`FK_e73a05fc2767e62b8c03e142d7a\` FOREIGN KEY (\`workspace_id\`) REFERENCES \`workspaces\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`workspace_env_vars\` ADD CONSTRAINT \`FK_368fd360595cd5a6f4ef2d036bd\` FOREIGN KEY (\`workspace_id\`) REFERENCES \`workspaces\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`workspace_env_vars\` DROP FOREIGN KEY \`FK_368fd360595cd5a6f4ef2d036bd\``);
    await queryRunner.query(`ALTER TABLE \`app_requests\` DROP FOREIGN KEY \`FK_e73a05fc2767e62b8c03e142d7a\``);
    await queryRunner.query(`DROP INDEX \`uq_workspace_env_vars_name\` ON \`workspace_env_vars\``);
    await queryRunner.query(`DROP TABLE \`workspace_env_vars\``);
    await queryRunner.query(`DROP INDEX \`ix_app_requests_workspace_name\` ON \`app_requests\``);
    await queryRunner.query(`DROP INDEX \`ix_app_requests_workspace_created\` ON \`app_requests\``);
    await queryRunner.query(`DROP TABLE \`app_requests\``);
  }
}
