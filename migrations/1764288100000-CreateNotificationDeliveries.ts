import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery of notifications beyond the in-app inbox: each organisation may name an e-mail address and a
 * webhook (with its own HMAC secret; SMS gateways plug in there). Every notification × configured channel
 * gets a delivery row in the transaction that writes the notification (the outbox); the worker's jobs and
 * its reconciler move the row to `sent` (or `failed` after the last retry).
 */
export class CreateNotificationDeliveries1764288100000 implements MigrationInterface {
  name = 'CreateNotificationDeliveries1764288100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_channels (
        org_id          uuid PRIMARY KEY REFERENCES organizations(id),
        email           text CHECK (email IS NULL OR email ~ '^[^@\\s]+@[^@\\s]+$'),
        webhook_url     text CHECK (webhook_url IS NULL OR webhook_url ~ '^https?://'),
        webhook_secret  text,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CHECK (webhook_url IS NULL OR webhook_secret IS NOT NULL)
      )`);
    await q.query(`
      CREATE TABLE notification_deliveries (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id  uuid NOT NULL REFERENCES notifications(id),
        channel          text NOT NULL CHECK (channel IN ('email', 'webhook')),
        state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts         int NOT NULL DEFAULT 0,
        last_attempt_at  timestamptz,
        last_error       text,
        target           text,
        response         text,
        sent_at          timestamptz,
        created_at       timestamptz NOT NULL,
        UNIQUE (notification_id, channel),
        CHECK ((state = 'sent') = (sent_at IS NOT NULL))
      )`);
    // the reconciler's question: what is still pending
    await q.query(`CREATE INDEX notification_deliveries_pending_idx ON notification_deliveries (created_at) WHERE state = 'pending'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_deliveries`);
    await q.query(`DROP TABLE notification_channels`);
  }
}
