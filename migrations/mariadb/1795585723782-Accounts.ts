import type { MigrationInterface, QueryRunner } from "typeorm";

export class Accounts1795585723782 implements MigrationInterface {
  name = "Accounts1795585723782";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`accounts\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`app_slug\` varchar(64) NOT NULL, \`nickname\` varchar(120) NOT NULL, \`owner_member_id\` varchar(36) NULL, \`scopes\` text NOT NULL, \`external_id\` varchar(190) NULL, \`external_name\` varchar(190) NULL, \`fingerprint\` varchar(100) NULL, \`health_status\` varchar(32) NOT NULL, \`last_error\` varchar(500) NULL, \`expires_at\` datetime(3) NULL, \`last_refreshed_at\` datetime(3) NULL, \`next_refresh_at\` datetime(3) NULL, \`version\` int NOT NULL DEFAULT '1', \`connected_at\` datetime(3) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_accounts_owner\` (\`owner_member_id\`), INDEX \`ix_accounts_workspace_created\` (\`workspace_id\`, \`created_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`account_secrets\` (\`account_id\` varchar(36) NOT NULL, \`field\` varchar(64) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`envelope\` text NOT NULL, \`kid\` varchar(32) NOT NULL, \`updated_at\` datetime(3) NOT NULL, INDEX \`ix_account_secrets_kid\` (\`kid\`), PRIMARY KEY (\`account_id\`, \`field\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`audit_events\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`actor_user_id\` varchar(190) NOT NULL, \`actor_member_id\` varchar(36) NULL, \`action\` varchar(40) NOT NULL, \`account_id\` varchar(36) NULL, \`details\` text NOT NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_audit_workspace_account\` (\`workspace_id\`, \`account_id\`), INDEX \`ix_audit_workspace_created\` (\`workspace_id\`, \`created_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`account_grants\` (\`id\` varchar(36) NOT NULL, \`workspace_id\` varchar(36) NOT NULL, \`account_id\` varchar(36) NOT NULL, \`grantee_key\` varchar(36) NOT NULL, \`member_id\` varchar(36) NULL, \`granted_by_member_id\` varchar(36) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_account_grants_member\` (\`member_id\`), UNIQUE INDEX \`uq_account_grants_grantee\` (\`account_id\`, \`grantee_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`workspaces\` ADD \`admins_manage_access\` tinyint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`accounts\` ADD CONSTRAINT \`FK_212b65ba4b65c8c6d2619f3681b\` FOREIGN KEY (\`workspace_id\`) REFERENCES \`workspaces\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`accounts\` ADD CONSTRAINT \`FK_f670796423cccbe2fe3e73c8299\` FOREIGN KEY (\`owner_member_id\`) REFERENCES \`members\`(\`id\`) ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`account_secrets\` ADD CONSTRAINT \`FK_a0e7a02cfc6c436946bf0b0c99c\` FOREIGN KEY (\`account_id\`) REFERENCES \`accounts\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`account_grants\` ADD CONSTRAINT \`FK_5df246b74af54997f51b681a33c\` FOREIGN KEY (\`account_id\`) REFERENCES \`accounts\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`account_grants\` ADD CONSTRAINT \`FK_a43234dd4e8a6f56755ca939e96\` FOREIGN KEY (\`member_id\`) REFERENCES \`members\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`account_grants\` DROP FOREIGN KEY \`FK_a43234dd4e8a6f56755ca939e96\``);
    await queryRunner.query(`ALTER TABLE \`account_grants\` DROP FOREIGN KEY \`FK_5df246b74af54997f51b681a33c\``);
    await queryRunner.query(`ALTER TABLE \`account_secrets\` DROP FOREIGN KEY \`FK_a0e7a02cfc6c436946bf0b0c99c\``);
    await queryRunner.query(`ALTER TABLE \`accounts\` DROP FOREIGN KEY \`FK_f670796423cccbe2fe3e73c8299\``);
    await queryRunner.query(`ALTER TABLE \`accounts\` DROP FOREIGN KEY \`FK_212b65ba4b65c8c6d2619f3681b\``);
    await queryRunner.query(`ALTER TABLE \`workspaces\` DROP COLUMN \`admins_manage_access\``);
    await queryRunner.query(`DROP INDEX \`uq_account_grants_grantee\` ON \`account_grants\``);
    await queryRunner.query(`DROP INDEX \`ix_account_grants_member\` ON \`account_grants\``);
    await queryRunner.query(`DROP TABLE \`account_grants\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_workspace_created\` ON \`audit_events\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_workspace_account\` ON \`audit_events\``);
    await queryRunner.query(`DROP TABLE \`audit_events\``);
    await queryRunner.query(`DROP INDEX \`ix_account_secrets_kid\` ON \`account_secrets\``);
    await queryRunner.query(`DROP TABLE \`account_secrets\``);
    await queryRunner.query(`DROP INDEX \`ix_accounts_workspace_created\` ON \`accounts\``);
    await queryRunner.query(`DROP INDEX \`ix_accounts_owner\` ON \`accounts\``);
    await queryRunner.query(`DROP TABLE \`accounts\``);
  }
}
