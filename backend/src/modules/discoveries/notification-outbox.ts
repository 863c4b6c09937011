import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { SecretBox } from '../../infra/crypto/secret-box';
import { returnedRows } from '../../infra/database/sql-result';
import { ChannelTarget, DeliveryChannel, DeliveryNotConfigured, EmailChannel, OutgoingNotification, WebhookChannel } from './delivery-channels';
import { DeliverySettings } from './notification-delivery.settings';

/** The `notifications` queue: one job per delivery row (deterministic id), carrying only that id. */
export const NOTIFICATION_QUEUE = 'notifications';
export interface DeliveryJob {
  deliveryId: string;
}
// (BullMQ refuses custom ids with one ":" — they look like its own repeat keys)
export const deliveryJobId = (deliveryId: string): string => `delivery-${deliveryId}`;

/**
 * SQL: the delivery rows (one per configured channel of the recipient org) for the notifications in `src`,
 * a relation with columns (id, recipient_org_id). Used inside the statement or transaction that writes the
 * notifications, so a notification and its outbox rows commit together.
 */
export const deliveriesFor = (src: string, nowParam: string): string => `
  INSERT INTO notification_deliveries (notification_id, channel, created_at)
  SELECT s.id, v.channel, ${nowParam}
    FROM ${src} s JOIN notification_channels c ON c.org_id = s.recipient_org_id
   CROSS JOIN LATERAL (VALUES ('email', c.email), ('webhook', c.webhook_url)) AS v(channel, target)
   WHERE v.target IS NOT NULL
  ON CONFLICT (notification_id, channel) DO NOTHING
  RETURNING id`;

export interface DeliveryOutcome {
  deliveryId: string;
  state: 'sent' | 'failed' | 'pending' | 'skipped';
  channel?: string;
  note?: string;
}

/**
 * The outbox of notifications to e-mail and webhooks. Rows are written with their notification; after the
 * commit each gets a BullMQ job (`delivery-<id>`, retried with exponential backoff); the worker's
 * reconciler re-queues pending rows whose job was lost. `deliver` is idempotent: a row already sent or
 * failed is left alone, so a duplicate job does nothing. (Between a successful send and its commit a crash
 * can send twice: receivers drop duplicates by X-Qianzhi-Delivery.)
 */
@Injectable()
export class NotificationOutbox {
  private readonly logger = new Logger('NotificationOutbox');
  private readonly channels: Record<'email' | 'webhook', DeliveryChannel>;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly settings: DeliverySettings,
    private readonly secrets: SecretBox,
    email: EmailChannel,
    webhook: WebhookChannel,
    @Optional() @InjectQueue(NOTIFICATION_QUEUE) private readonly queue?: Queue,
  ) {
    this.channels = { email, webhook };
  }

  /** Outbox rows for notifications just written in `m`'s transaction. */
  async addFor(m: EntityManager, notificationIds: string[], now: Date): Promise<string[]> {
    if (!notificationIds.length) return [];
    const rows: Array<{ id: string }> = await m.query(
      `WITH s AS (SELECT id, recipient_org_id FROM notifications WHERE id = ANY($1::uuid[])) ${deliveriesFor('s', '$2')}`,
      [notificationIds, now],
    );
    return rows.map((r) => r.id);
  }

  /** After the commit: one job per delivery. Redis trouble is logged, not fatal (the reconciler re-queues). */
  async enqueue(deliveryIds: string[]): Promise<void> {
    if (!this.queue || !deliveryIds.length) return;
    try {
      await this.queue.addBulk(deliveryIds.map((deliveryId) => ({
        name: 'notification.deliver',
        data: { deliveryId } satisfies DeliveryJob,
        opts: {
          jobId: deliveryJobId(deliveryId), attempts: this.settings.attempts,
          backoff: { type: 'exponential', delay: this.settings.backoffMs }, removeOnComplete: 1000, removeOnFail: 5000,
        },
      })));
    } catch (e) {
      this.logger.warn(`delivery jobs not queued (the reconciler will): ${(e as Error).message}`);
    }
  }

  /** The reconciler's part: every pending row gets its job again (a no-op where the job still exists). */
  async requeuePending(limit = 1000): Promise<number> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM notification_deliveries WHERE state = 'pending' ORDER BY created_at LIMIT $1`,
      [limit],
    );
    await this.enqueue(rows.map((r) => r.id));
    return rows.length;
  }

  /** One attempt at one delivery. Throws on a failed attempt that may be retried (BullMQ schedules the retry). */
  async deliver(deliveryId: string, finalAttempt: boolean): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    const [claimed] = returnedRows<{
      channel: 'email' | 'webhook'; notification_id: string; kind: string; recipient_org_id: string; report_id: string | null; deadline_id: string | null;
      payload: Record<string, unknown>; created_at: Date; email: string | null; webhook_url: string | null; webhook_secret: string | null;
    }>(await this.db.query(
      `UPDATE notification_deliveries d SET attempts = d.attempts + 1, last_attempt_at = $2
         FROM notifications n LEFT JOIN notification_channels c ON c.org_id = n.recipient_org_id
        WHERE d.id = $1 AND d.state = 'pending' AND n.id = d.notification_id
       RETURNING d.channel, n.id AS notification_id, n.kind, n.recipient_org_id, n.report_id, n.deadline_id, n.payload, n.created_at,
                 c.email, c.webhook_url, c.webhook_secret`,
      [deliveryId, now],
    ));
    if (!claimed) return { deliveryId, state: 'skipped' };
    const channel = this.channels[claimed.channel];
    const target: ChannelTarget = {
      email: claimed.email, webhookUrl: claimed.webhook_url, webhookSecret: claimed.webhook_secret === null ? null : this.secrets.open(claimed.webhook_secret),
    };
    const n: OutgoingNotification = {
      deliveryId, notificationId: claimed.notification_id, kind: claimed.kind, orgId: claimed.recipient_org_id, reportId: claimed.report_id,
      deadlineId: claimed.deadline_id, payload: claimed.payload, createdAt: toIsoOffset(claimed.created_at)!,
    };
    const targetText = claimed.channel === 'email' ? target.email : target.webhookUrl;
    try {
      const note = await channel.send(n, target, now);
      await this.db.query(
        `UPDATE notification_deliveries SET state = 'sent', sent_at = $2, response = $3, target = $4, last_error = NULL WHERE id = $1 AND state = 'pending'`,
        [deliveryId, this.clock.now(), note, targetText],
      );
      return { deliveryId, state: 'sent', channel: claimed.channel, note };
    } catch (e) {
      // a channel switched off since the row was written cannot succeed by retrying
      const final = finalAttempt || e instanceof DeliveryNotConfigured;
      const message = (e as Error).message.slice(0, 1000);
      await this.db.query(
        `UPDATE notification_deliveries SET state = $3, last_error = $2, target = $4 WHERE id = $1 AND state = 'pending'`,
        [deliveryId, message, final ? 'failed' : 'pending', targetText],
      );
      if (final) {
        this.logger.warn(`delivery ${deliveryId} (${claimed.channel}) failed for good: ${message}`);
        return { deliveryId, state: 'failed', channel: claimed.channel, note: message };
      }
      throw e;
    }
  }
}
