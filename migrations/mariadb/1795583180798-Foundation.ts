import type { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795583180798 implements MigrationInterface {
  name = "Foundation1795583180798";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`workspaces\` (\`id\` varchar(36) NOT NULL, \`name\` varchar(120) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`members\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`user_id\` varchar(190) NOT NULL, \`role\` varchar(16) NOT NULL, \`display_name\` varchar(120) NULL, \`email\` varchar(254) NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_members_user\` (\`user_id\`), UNIQUE INDEX \`uq_members_workspace_user\` (\`workspace_id\`, \`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`members\` ADD CONSTRAINT \`FK_c3c299323f3c28b40c2f6479a38\` FOREIGN KEY (\`workspace_id\`) REFERENCES \`workspaces\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`members\` DROP FOREIGN KEY \`FK_c3c299323f3c28b40c2f6479a38\``);
    await queryRunner.query(`DROP INDEX \`uq_members_workspace_user\` ON \`members\``);
    await queryRunner.query(`DROP INDEX \`ix_members_user\` ON \`members\``);
    await queryRunner.query(`DROP TABLE \`members\``);
    await queryRunner.query(`DROP TABLE \`workspaces\``);
  }
}
