import type { MigrationInterface, QueryRunner } from "typeorm";

export class Webhooks1796485343170 implements MigrationInterface {
  name = "Webhooks1796485343170";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "url" varchar(2048) NOT NULL, "description" varchar(500), "kinds" varchar(1000), "account_ids" text, "enabled" boolean NOT NULL DEFAULT (1), "disabled_reason" varchar(200), "secret" text NOT NULL, "previous_secret" text, "previous_secret_until" datetime(3), "cursor" integer NOT NULL DEFAULT (0), "lease_owner" varchar(64), "lease_until" datetime(3), "next_attempt_at" datetime(3), "failing_since" datetime(3), "attempts" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_due" ON "webhook_endpoints" ("enabled", "next_attempt_at") `);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_workspace" ON "webhook_endpoints" ("workspace_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" varchar(36) PRIMARY KEY NOT NULL, "endpoint_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "event_id" varchar(36), "seq" integer, "kind" varchar(64) NOT NULL, "message_id" varchar(64) NOT NULL, "status" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "response_status" integer, "error" varchar(300), "latency_ms" integer, "response_excerpt" varchar(1000), "next_attempt_at" datetime(3), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_webhook_deliveries_event" ON "webhook_deliveries" ("endpoint_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "ix_webhook_deliveries_endpoint" ON "webhook_deliveries" ("endpoint_id", "created_at") `);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_due"`);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_workspace"`);
    await queryRunner.query(`CREATE TABLE "temporary_webhook_endpoints" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "url" varchar(2048) NOT NULL, "description" varchar(500), "kinds" varchar(1000), "account_ids" text, "enabled" boolean NOT NULL DEFAULT (1), "disabled_reason" varchar(200), "secret" text NOT NULL, "previous_secret" text, "previous_secret_until" datetime(3), "cursor" integer NOT NULL DEFAULT (0), "lease_owner" varchar(64), "lease_until" datetime(3), "next_attempt_at" datetime(3), "failing_since" datetime(3), "attempts" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_a37f51d7045b4f19721c6813c63" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_webhook_endpoints"("id", "workspace_id", "url", "description", "kinds", "account_ids", "enabled", "disabled_reason", "secret", "previous_secret", "previous_secret_until", "cursor", "lease_owner", "lease_until", "next_attempt_at", "failing_since", "attempts", "created_at", "updated_at") SELECT "id", "workspace_id", "url", "description", "kinds", "account_ids", "enabled", "disabled_reason", "secret", "previous_secret", "previous_secret_until", "cursor", "lease_owner", "lease_until", "next_attempt_at", "failing_since", "attempts", "created_at", "updated_at" FROM "webhook_endpoints"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    await queryRunner.query(`ALTER TABLE "temporary_webhook_endpoints" RENAME TO "webhook_endpoints"`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_due" ON "webhook_endpoints" ("enabled", "next_attempt_at") `);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_workspace" ON "webhook_endpoints" ("workspace_id", "created_at") `);
    await queryRunner.query(`DROP INDEX "uq_webhook_deliveries_event"`);
    await queryRunner.query(`DROP INDEX "ix_webhook_deliveries_endpoint"`);
    await queryRunner.query(`CREATE TABLE "temporary_webhook_deliveries" ("id" varchar(36) PRIMARY KEY NOT NULL, "endpoint_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "event_id" varchar(36), "seq" integer, "kind" varchar(64) NOT NULL, "message_id" varchar(64) NOT NULL, "status" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "response_status" integer, "error" varchar(300), "latency_ms" integer, "response_excerpt" varchar(1000), "next_attempt_at" datetime(3), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL, CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_webhook_deliveries"("id", "endpoint_id", "workspace_id", "event_id", "seq", "kind", "message_id", "status", "attempts", "response_status", "error", "latency_ms", "response_excerpt", "next_attempt_at", "created_at", "updated_at") SELECT "id", "endpoint_id", "workspace_id", "event_id", "seq", "kind", "message_id", "status", "attempts", "response_status", "error", "latency_ms", "response_excerpt", "next_attempt_at", "created_at", "updated_at" FROM "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`ALTER TABLE "temporary_webhook_deliveries" RENAME TO "webhook_deliveries"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_webhook_deliveries_event" ON "webhook_deliveries" ("endpoint_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "ix_webhook_deliveries_endpoint" ON "webhook_deliveries" ("endpoint_id", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_webhook_deliveries_endpoint"`);
    await queryRunner.query(`DROP INDEX "uq_webhook_deliveries_event"`);
    await queryRunner.query(`ALTER TABLE "webhook_deliveries" RENAME TO "temporary_webhook_deliveries"`);
    await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" varchar(36) PRIMARY KEY NOT NULL, "endpoint_id" varchar(36) NOT NULL, "workspace_id" varchar(36) NOT NULL, "event_id" varchar(36), "seq" integer, "kind" varchar(64) NOT NULL, "message_id" varchar(64) NOT NULL, "status" varchar(16) NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "response_status" integer, "error" varchar(300), "latency_ms" integer, "response_excerpt" varchar(1000), "next_attempt_at" datetime(3), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "webhook_deliveries"("id", "endpoint_id", "workspace_id", "event_id", "seq", "kind", "message_id", "status", "attempts", "response_status", "error", "latency_ms", "response_excerpt", "next_attempt_at", "created_at", "updated_at") SELECT "id", "endpoint_id", "workspace_id", "event_id", "seq", "kind", "message_id", "status", "attempts", "response_status", "error", "latency_ms", "response_excerpt", "next_attempt_at", "created_at", "updated_at" FROM "temporary_webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "temporary_webhook_deliveries"`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_deliveries_endpoint" ON "webhook_deliveries" ("endpoint_id", "created_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_webhook_deliveries_event" ON "webhook_deliveries" ("endpoint_id", "seq") `);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_workspace"`);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_due"`);
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" RENAME TO "temporary_webhook_endpoints"`);
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" ("id" varchar(36) PRIMARY KEY NOT NULL, "workspace_id" varchar(36) NOT NULL, "url" varchar(2048) NOT NULL, "description" varchar(500), "kinds" varchar(1000), "account_ids" text, "enabled" boolean NOT NULL DEFAULT (1), "disabled_reason" varchar(200), "secret" text NOT NULL, "previous_secret" text, "previous_secret_until" datetime(3), "cursor" integer NOT NULL DEFAULT (0), "lease_owner" varchar(64), "lease_until" datetime(3), "next_attempt_at" datetime(3), "failing_since" datetime(3), "attempts" integer NOT NULL DEFAULT (0), "created_at" datetime(3) NOT NULL, "updated_at" datetime(3) NOT NULL)`);
    await queryRunner.query(`INSERT INTO "webhook_endpoints"("id", "workspace_id", "url", "description", "kinds", "account_ids", "enabled", "disabled_reason", "secret", "previous_secret", "previous_secret_until", "cursor", "lease_owner", "lease_until", "next_attempt_at", "failing_since", "attempts", "created_at", "updated_at") SELECT "id", "workspace_id", "url", "description", "kinds", "account_ids", "enabled", "disabled_reason", "secret", "previous_secret", "previous_secret_until", "cursor", "lease_owner", "lease_until", "next_attempt_at", "failing_since", "attempts", "created_at", "updated_at" FROM "temporary_webhook_endpoints"`);
    await queryRunner.query(`DROP TABLE "temporary_webhook_endpoints"`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_workspace" ON "webhook_endpoints" ("workspace_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_webhook_endpoints_due" ON "webhook_endpoints" ("enabled", "next_attempt_at") `);
    await queryRunner.query(`DROP INDEX "ix_webhook_deliveries_endpoint"`);
    await queryRunner.query(`DROP INDEX "uq_webhook_deliveries_event"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_workspace"`);
    await queryRunner.query(`DROP INDEX "ix_webhook_endpoints_due"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
