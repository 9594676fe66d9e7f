import type { MigrationInterface, QueryRunner } from "typeorm";

export class RetentionIndexes1796494074075 implements MigrationInterface {
  name = "RetentionIndexes1796494074075";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`ix_audit_created\` ON \`audit_events\` (\`created_at\`)`);
    await queryRunner.query(`CREATE INDEX \`ix_step_runs_created\` ON \`step_runs\` (\`created_at\`)`);
    await queryRunner.query(`CREATE INDEX \`ix_webhook_deliveries_created\` ON \`webhook_deliveries\` (\`created_at\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`ix_webhook_deliveries_created\` ON \`webhook_deliveries\``);
    await queryRunner.query(`DROP INDEX \`ix_step_runs_created\` ON \`step_runs\``);
    await queryRunner.query(`DROP INDEX \`ix_audit_created\` ON \`audit_events\``);
  }
}
