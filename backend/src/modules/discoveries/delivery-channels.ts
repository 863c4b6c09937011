import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { DeliverySettings } from './notification-delivery.settings';
import { notificationText, signWebhook } from './notification-text';

/** One notification as the channels send it (the delivery id doubles as the receiver's idempotency key). */
export interface OutgoingNotification {
  deliveryId: string;
  notificationId: string;
  kind: string;
  orgId: string;
  reportId: string | null;
  deadlineId: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface ChannelTarget {
  email: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

/** A delivery channel: sends or throws (the job retries); returns a short note of what the other side said. */
export interface DeliveryChannel {
  readonly name: 'email' | 'webhook';
  send(n: OutgoingNotification, target: ChannelTarget, now: Date): Promise<string>;
}

export class DeliveryNotConfigured extends Error {}

/** E-mail over SMTP (nodemailer), when SMTP_URL is set. */
@Injectable()
export class EmailChannel implements DeliveryChannel, OnModuleDestroy {
  readonly name = 'email' as const;
  private transport: Transporter | null = null;

  constructor(private readonly settings: DeliverySettings) {}

  async send(n: OutgoingNotification, target: ChannelTarget): Promise<string> {
    if (!this.settings.smtpUrl) throw new DeliveryNotConfigured('SMTP_URL is not set');
    if (!target.email) throw new DeliveryNotConfigured('the organisation has no e-mail address');
    this.transport ??= createTransport(this.settings.smtpUrl);
    const { subject, text } = notificationText(n.kind, n.payload, n.reportId);
    const info = await this.transport.sendMail({
      from: this.settings.smtpFrom, to: target.email, subject, text,
      headers: { 'X-Qianzhi-Delivery': n.deliveryId, 'X-Qianzhi-Event': n.kind },
    });
    return String(info.response ?? info.messageId ?? 'sent').slice(0, 500);
  }

  onModuleDestroy(): void {
    this.transport?.close();
    this.transport = null;
  }
}

/**
 * A signed POST to the organisation's webhook (how SMS gateways plug in): body JSON, headers
 * X-Qianzhi-Timestamp (unix seconds) and X-Qianzhi-Signature = `sha256=` HMAC-SHA256(secret, `${timestamp}.${body}`),
 * X-Qianzhi-Delivery (the same on every retry: receivers drop duplicates by it). Any answer but 2xx is a failure.
 */
@Injectable()
export class WebhookChannel implements DeliveryChannel {
  readonly name = 'webhook' as const;

  constructor(private readonly settings: DeliverySettings) {}

  async send(n: OutgoingNotification, target: ChannelTarget, now: Date): Promise<string> {
    if (!target.webhookUrl || !target.webhookSecret) throw new DeliveryNotConfigured('the organisation has no webhook');
    const { subject, text } = notificationText(n.kind, n.payload, n.reportId);
    const body = JSON.stringify({
      deliveryId: n.deliveryId, notificationId: n.notificationId, kind: n.kind, orgId: n.orgId, reportId: n.reportId,
      deadlineId: n.deadlineId, createdAt: n.createdAt, payload: n.payload, subject, text,
    });
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const res = await fetch(target.webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-qianzhi-timestamp': timestamp,
        'x-qianzhi-signature': signWebhook(target.webhookSecret, timestamp, body),
        'x-qianzhi-delivery': n.deliveryId,
        'x-qianzhi-event': n.kind,
      },
      body,
      signal: AbortSignal.timeout(this.settings.webhookTimeoutMs),
      redirect: 'error',
    });
    const answer = (await res.text().catch(() => '')).slice(0, 300);
    if (!res.ok) throw new Error(`webhook answered ${res.status}: ${answer}`);
    return `${res.status} ${answer}`.trim();
  }
}
