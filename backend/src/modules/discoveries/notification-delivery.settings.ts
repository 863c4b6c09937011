import { ConfigError, envNumber } from '../../infra/config/config';

/**
 * Delivery of notifications beyond the in-app inbox, from the environment:
 * - SMTP_URL (unset: no e-mail): e.g. `smtp://user:pass@mail.example.cn:587` or `smtps://…:465`;
 * - SMTP_FROM (default `考古前置 <noreply@qianzhi.local>`): the sender;
 * - NOTIFY_DELIVERY_ATTEMPTS (default 6): tries per delivery before it is marked `failed`;
 * - NOTIFY_DELIVERY_BACKOFF_MS (default 5000): first retry delay, doubling each time (BullMQ exponential);
 * - NOTIFY_WEBHOOK_TIMEOUT_MS (default 10000): how long a webhook receiver may take to answer.
 * Each organisation's e-mail address and webhook (URL + secret) are data: `PUT /api/notification-channels/{orgId}`.
 */
export class DeliverySettings {
  constructor(
    readonly smtpUrl: string | null,
    readonly smtpFrom: string,
    readonly attempts: number,
    readonly backoffMs: number,
    readonly webhookTimeoutMs: number,
  ) {}

  static fromEnv(env: Record<string, string | undefined> = process.env): DeliverySettings {
    const num = (name: string, fallback: number, ok: (n: number) => boolean): number => envNumber(env, name, fallback, ok);
    const smtpUrl = env.SMTP_URL?.trim() || null;
    if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://: "${smtpUrl}"`);
    return new DeliverySettings(
      smtpUrl,
      env.SMTP_FROM?.trim() || '考古前置 <noreply@qianzhi.local>',
      num('NOTIFY_DELIVERY_ATTEMPTS', 6, (n) => Number.isInteger(n) && n >= 1 && n <= 50),
      num('NOTIFY_DELIVERY_BACKOFF_MS', 5000, (n) => n >= 10 && n <= 3_600_000),
      num('NOTIFY_WEBHOOK_TIMEOUT_MS', 10_000, (n) => n >= 100 && n <= 120_000),
    );
  }
}
