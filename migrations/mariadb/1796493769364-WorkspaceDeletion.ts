import type { MigrationInterface, QueryRunner } from "typeorm";

export class WorkspaceDeletion1796493769364 implements MigrationInterface {
  name = "WorkspaceDeletion1796493769364";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`workspaces\` ADD \`deleting_at\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`workspaces\` ADD \`deletion_lease_until\` datetime(3) NULL`);
    await queryRunner.query(`CREATE INDEX \`ix_workspaces_deleting\` ON \`workspaces\` (\`deleting_at\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_workspaces_deleting\` ON \`workspaces\``);
    await queryRunner.query(`ALTER TABLE \`workspaces\` DROP COLUMN \`deletion_lease_until\``);
    await queryRunner.query(`ALTER TABLE \`workspaces\` DROP COLUMN \`deleting_at\``);
  }
}
