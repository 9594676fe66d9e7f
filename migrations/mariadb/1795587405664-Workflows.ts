import type { MigrationInterface, QueryRunner } from "typeorm";

export class Workflows1795587405664 implements MigrationInterface {
  name = "Workflows1795587405664";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`workflows\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`name\` varchar(120) NOT NULL, \`builder_version\` varchar(4) NOT NULL, \`created_by_member_id\` varchar(36) NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_workflows_workspace\` (\`workspace_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`steps\` (\`id\` varchar(36) NOT NULL, \`workflow_id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`position\` int NOT NULL, \`kind\` varchar(16) NOT NULL, \`name\` varchar(120) NOT NULL, \`app_slug\` varchar(64) NULL, \`account_id\` varchar(36) NULL, \`account_removed\` tinyint NOT NULL DEFAULT 0, \`props\` text NOT NULL, \`code\` text NULL, \`http\` text NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_steps_account\` (\`account_id\`), INDEX \`ix_steps_workflow\` (\`workflow_id\`, \`position\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`step_runs\` (\`id\` varchar(36) NOT NULL, \`step_id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`tester_member_id\` varchar(36) NULL, \`status\` varchar(16) NOT NULL, \`inputs\` text NOT NULL, \`exports\` text NOT NULL, \`logs\` text NOT NULL, \`error\` varchar(1000) NULL, \`duration_ms\` int NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_step_runs_step\` (\`step_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`workflows\` ADD CONSTRAINT \`FK_cff7dceda71edc109874a34a965\` FOREIGN KEY (\`workspace_id\`) REFERENCES \`workspaces\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`steps\` ADD CONSTRAINT \`FK_66b164af824ed3524043ac568ef\` FOREIGN KEY (\`workflow_id\`) REFERENCES \`workflows\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`steps\` ADD CONSTRAINT \`FK_db1f903df3f1736ba1d8982f54d\` FOREIGN KEY (\`account_id\`) REFERENCES \`accounts\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`step_runs\` ADD CONSTRAINT \`FK_1c35fca8d3db33573bf16c5f566\` FOREIGN KEY (\`step_id\`) REFERENCES \`steps\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`step_runs\` DROP FOREIGN KEY \`FK_1c35fca8d3db33573bf16c5f566\``);
    await queryRunner.query(`ALTER TABLE \`steps\` DROP FOREIGN KEY \`FK_db1f903df3f1736ba1d8982f54d\``);
    await queryRunner.query(`ALTER TABLE \`steps\` DROP FOREIGN KEY \`FK_66b164af824ed3524043ac568ef\``);
    await queryRunner.query(`ALTER TABLE \`workflows\` DROP FOREIGN KEY \`FK_cff7dceda71edc109874a34a965\``);
    await queryRunner.query(`DROP INDEX \`ix_step_runs_step\` ON \`step_runs\``);
    await queryRunner.query(`DROP TABLE \`step_runs\``);
    await queryRunner.query(`DROP INDEX \`ix_steps_workflow\` ON \`steps\``);
    await queryRunner.query(`DROP INDEX \`ix_steps_account\` ON \`steps\``);
    await queryRunner.query(`DROP TABLE \`steps\``);
    await queryRunner.query(`DROP INDEX \`ix_workflows_workspace\` ON \`workflows\``);
    await queryRunner.query(`DROP TABLE \`workflows\``);
  }
}
