import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { SMTPServer } from 'smtp-server';
import { ManualClock } from '../../src/infra/clock/clock';
import { NOTIFICATION_QUEUE, NotificationOutbox } from '../../src/modules/discoveries/notification-outbox';
import { signWebhook, verifyWebhook } from '../../src/modules/discoveries/notification-text';
import { WorkerModule } from '../../src/worker.module';
import { TestApp } from '../support/test-app';
import { freePort, waitFor } from '../support/wait';
import { buildDiscoveryWorld, DiscoveryWorld, newKey, reportBody } from './discovery-world';

interface Mail { from: string; to: string[]; raw: string; subject: string; text: string; headers: Record<string, string> }
interface Hook { body: string; headers: Record<string, string>; valid: boolean; status: number }

/** RFC 2047 words (B or Q) as nodemailer writes a Chinese subject. */
function decodeWords(s: string): string {
  return s.replace(/\s*=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

function parseMail(raw: string): { subject: string; text: string; headers: Record<string, string> } {
  const [head = '', ...rest] = raw.split(/\r\n\r\n/);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split(/\r\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = rest.join('\r\n\r\n');
  const cte = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (cte === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') {
    body = Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return { subject: decodeWords(headers.subject ?? ''), text: body, headers };
}

describe('notification delivery: e-mail over SMTP and signed webhooks, from the worker', () => {
  let sut: TestApp;
  let w: DiscoveryWorld;
  let smtp: SMTPServer;
  let receiver: Server;
  let hookUrl: string;
  let secret = '';
  let countyOrgId: string;
  let bureauOrgId: string;
  const mails: Mail[] = [];
  const hooks: Hook[] = [];
  /** how the receiver answers the next calls (after the signature check) */
  let failNext = 0;
  const workers: INestApplicationContext[] = [];
  const q = <T = any>(sql: string, params: unknown[] = []): Promise<T[]> => sut.db.admin.query(sql, params).then((r) => r.rows as T[]);
  const report = async (description: string): Promise<string> => {
    const res = await sut.request<any>('POST', '/api/discoveries', { token: w.tokens.contractor, body: reportBody(w.projectId, { description }), headers: { 'idempotency-key': newKey() } });
    if (res.status !== 201) throw new Error(`report: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const deliveries = (reportId: string) => q<{ id: string; channel: string; state: string; attempts: number; recipient: string; last_error: string | null }>(
    `SELECT d.id, d.channel, d.state, d.attempts, n.recipient_org_id AS recipient, d.last_error FROM notification_deliveries d
       JOIN notifications n ON n.id = d.notification_id WHERE n.report_id = $1 ORDER BY d.channel`, [reportId]);
  const startWorker = async (): Promise<INestApplicationContext> => {
    const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(sut.config, new ManualClock(sut.clock.now())), { logger: ['error'] });
    await ctx.init();
    workers.push(ctx);
    return ctx;
  };
  const stopWorker = async (ctx: INestApplicationContext): Promise<void> => {
    workers.splice(workers.indexOf(ctx), 1);
    await ctx.close();
  };

  beforeAll(async () => {
    const smtpPort = await freePort();
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, ...parseMail(raw) });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(smtpPort, '127.0.0.1', r));

    // the organisation's receiver: checks the signature with its copy of the secret, refuses anything else
    receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const ts = String(req.headers['x-qianzhi-timestamp'] ?? '');
        const valid = verifyWebhook(secret, ts, body, String(req.headers['x-qianzhi-signature'] ?? ''));
        const status = !valid ? 401 : failNext > 0 ? (failNext--, 503) : 200;
        hooks.push({ body, headers: req.headers as Record<string, string>, valid, status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
      });
    });
    const hookPort = await freePort();
    await new Promise<void>((r) => receiver.listen(hookPort, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${hookPort}/qianzhi`;

    process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
    process.env.SMTP_FROM = '考古前置测试 <noreply@qianzhi.test>';
    process.env.NOTIFY_DELIVERY_BACKOFF_MS = '100';
    process.env.NOTIFY_DELIVERY_ATTEMPTS = '4';
    process.env.DISCOVERY_RECONCILE_MS = '300';
    ({ sut, w } = await buildDiscoveryWorld());
    countyOrgId = (await q(`SELECT id FROM organizations WHERE type = 'local_authority' AND division_code = '140405'`))[0].id;
    bureauOrgId = (await q(`SELECT id FROM organizations WHERE type = 'bureau' LIMIT 1`))[0].id;
  });
  afterAll(async () => {
    for (const ctx of workers.splice(0)) await ctx.close();
    for (const k of ['SMTP_URL', 'SMTP_FROM', 'NOTIFY_DELIVERY_BACKOFF_MS', 'NOTIFY_DELIVERY_ATTEMPTS', 'DISCOVERY_RECONCILE_MS']) delete process.env[k];
    await new Promise<void>((r) => smtp.close(() => r()));
    await new Promise((r) => receiver.close(r));
    await sut.close();
  });

  it('admin sets an organisation’s channels; the webhook secret is generated and shown once; others may not', async () => {
    const put = await sut.request<any>('PUT', `/api/notification-channels/${countyOrgId}`, { token: w.tokens.admin, body: { email: 'wenwu@tunliu.example.cn', webhookUrl: hookUrl } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ orgId: countyOrgId, email: 'wenwu@tunliu.example.cn', webhookUrl: hookUrl, hasWebhookSecret: true });
    expect(put.body.webhookSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    secret = put.body.webhookSecret;
    const get = await sut.request<any>('GET', `/api/notification-channels/${countyOrgId}`, { token: w.tokens.admin });
    expect(get.body).toEqual({ orgId: countyOrgId, email: 'wenwu@tunliu.example.cn', webhookUrl: hookUrl, hasWebhookSecret: true });
    // stored sealed (AES-256-GCM under SECRETS_KEY): a database dump does not give the signing secret away
    const [stored] = await q(`SELECT webhook_secret FROM notification_channels WHERE org_id = $1`, [countyOrgId]);
    expect(stored.webhook_secret).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(stored.webhook_secret).not.toContain(secret);
    // the bureau only by e-mail
    expect((await sut.request('PUT', `/api/notification-channels/${bureauOrgId}`, { token: w.tokens.admin, body: { email: 'ju@wenwu.example.cn' } })).status).toBe(200);
    for (const who of ['authority', 'reviewer', 'contractor', 'committee']) {
      expect((await sut.request('PUT', `/api/notification-channels/${countyOrgId}`, { token: w.tokens[who], body: { email: 'x@y.cn' } })).status).toBe(403);
    }
    const bad = await sut.request<any>('PUT', `/api/notification-channels/${countyOrgId}`, { token: w.tokens.admin, body: { webhookUrl: 'ftp://x' } });
    expect(bad.status).toBe(400);
  });

  it('a report: the county gets an e-mail and a signed webhook, the bureau an e-mail; delivery state per channel in the inbox', async () => {
    await startWorker();
    const id = await report('投递测试：邮件与回调');
    await waitFor(async () => (await deliveries(id)).every((d) => d.state === 'sent'), 20000);
    const rows = await deliveries(id);
    expect(rows.map((d) => [d.recipient === countyOrgId ? 'county' : 'bureau', d.channel, d.state, d.attempts]).sort()).toEqual([
      ['bureau', 'email', 'sent', 1], ['county', 'email', 'sent', 1], ['county', 'webhook', 'sent', 1],
    ]);

    const mail = mails.find((m) => m.to.includes('wenwu@tunliu.example.cn') && m.headers['x-qianzhi-event'] === 'discovery_reported')!;
    expect(mail.from).toBe('noreply@qianzhi.test');
    expect(mail.subject).toBe('【考古前置】施工中发现文物遗存：晋通新材料厂房一期');
    expect(mail.text).toContain('请于 2026年11月28日 10:00（北京时间） 前到达现场');
    expect(mails.some((m) => m.to.includes('ju@wenwu.example.cn'))).toBe(true);

    const hook = hooks.find((h) => JSON.parse(h.body).reportId === id)!;
    expect(hook.valid).toBe(true);
    expect(hook.status).toBe(200);
    expect(hook.headers['x-qianzhi-signature']).toBe(signWebhook(secret, hook.headers['x-qianzhi-timestamp']!, hook.body));
    expect(JSON.parse(hook.body)).toMatchObject({ kind: 'discovery_reported', orgId: countyOrgId, reportId: id, payload: { projectName: '晋通新材料厂房一期' } });
    expect(hook.headers['x-qianzhi-delivery']).toBe(rows.find((d) => d.channel === 'webhook')!.id);

    const inbox = (await sut.request<any[]>('GET', '/api/notifications', { token: w.tokens.authority })).body;
    expect(inbox.find((n) => n.reportId === id).deliveries).toEqual([
      expect.objectContaining({ channel: 'email', state: 'sent', attempts: 1 }),
      expect.objectContaining({ channel: 'webhook', state: 'sent', attempts: 1 }),
    ]);
  });

  it('the receiver rejects a tampered body or a wrong secret (401)', async () => {
    const hook = hooks.find((h) => h.valid)!;
    const ts = hook.headers['x-qianzhi-timestamp']!;
    const tampered = hook.body.replace('晋通新材料厂房一期', '某某厂房');
    expect(verifyWebhook(secret, ts, tampered, hook.headers['x-qianzhi-signature']!)).toBe(false);
    const send = (body: string, signature: string) => fetch(hookUrl, { method: 'POST', body, headers: { 'x-qianzhi-timestamp': ts, 'x-qianzhi-signature': signature } });
    expect((await send(tampered, hook.headers['x-qianzhi-signature']!)).status).toBe(401);
    expect((await send(hook.body, signWebhook('another-secret-of-someone', ts, hook.body))).status).toBe(401);
    expect((await send(hook.body, hook.headers['x-qianzhi-signature']!)).status).toBe(200);
  });

  it('a receiver that fails twice gets the notification on the third attempt (BullMQ backoff); a duplicate job sends nothing', async () => {
    const before = hooks.length;
    failNext = 2;
    const id = await report('投递测试：接收方暂时故障');
    await waitFor(async () => (await deliveries(id)).find((d) => d.channel === 'webhook')?.state === 'sent', 20000);
    const webhook = (await deliveries(id)).find((d) => d.channel === 'webhook')!;
    expect(webhook.attempts).toBe(3);
    const mine = hooks.slice(before).filter((h) => JSON.parse(h.body).reportId === id);
    expect(mine.map((h) => h.status)).toEqual([503, 503, 200]);
    expect(new Set(mine.map((h) => h.headers['x-qianzhi-delivery'])).size).toBe(1);

    // processing the same delivery again (a duplicate or stalled job) finds it sent and does nothing
    const outbox = workers[0]!.get(NotificationOutbox);
    expect(await outbox.deliver(webhook.id, false)).toEqual({ deliveryId: webhook.id, state: 'skipped' });
    expect(hooks.slice(before).filter((h) => JSON.parse(h.body).reportId === id)).toHaveLength(3);
  });

  it('a receiver that never answers 2xx: the delivery ends failed after the configured attempts, with the error kept', async () => {
    failNext = 1000;
    const id = await report('投递测试：接收方持续故障');
    await waitFor(async () => (await deliveries(id)).find((d) => d.channel === 'webhook')?.state === 'failed', 20000);
    const webhook = (await deliveries(id)).find((d) => d.channel === 'webhook')!;
    expect(webhook.attempts).toBe(4);
    expect(webhook.last_error).toContain('503');
    expect((await deliveries(id)).filter((d) => d.channel === 'email').every((d) => d.state === 'sent')).toBe(true);
    failNext = 0;
  });

  it('jobs lost in Redis (queue wiped while no worker runs): the reconciler delivers every pending row once', async () => {
    await stopWorker(workers[0]!);
    const id = await report('投递测试：任务丢失');
    expect((await deliveries(id)).every((d) => d.state === 'pending')).toBe(true);
    // wipe the queue (as a FLUSHALL would) before any worker saw the jobs
    const probe = await startWorkerWithoutProcessing();
    await probe.obliterate({ force: true });
    await probe.close();
    const before = hooks.length;
    await startWorker();
    await waitFor(async () => (await deliveries(id)).every((d) => d.state === 'sent'), 20000);
    expect(hooks.slice(before).filter((h) => JSON.parse(h.body).reportId === id)).toHaveLength(1);
    expect((await deliveries(id)).every((d) => d.attempts === 1)).toBe(true);
  });

  it('escalations from the deadline engine are delivered as well', async () => {
    const id = await report('投递测试：逾期上报');
    // the city authority gets the escalation: give it a webhook too
    const cityOrgId = (await q(`SELECT id FROM organizations WHERE type = 'local_authority' AND division_code = '140400'`))[0].id;
    const put = await sut.request<any>('PUT', `/api/notification-channels/${cityOrgId}`, { token: w.tokens.admin, body: { webhookUrl: hookUrl, webhookSecret: secret } });
    expect(put.status).toBe(200);
    expect(put.body.webhookSecret).toBe(secret);
    const engineClock = new ManualClock(new Date(sut.clock.now().getTime() + 25 * 3600_000));
    const ctx = await NestFactory.createApplicationContext(WorkerModule.forRoot(sut.config, engineClock), { logger: ['error'] });
    await ctx.init();
    workers.push(ctx);
    await waitFor(async () => hooks.some((h) => { const b = JSON.parse(h.body); return b.reportId === id && b.kind === 'deadline_escalation' && h.status === 200; }), 20000);
    const escalation = hooks.find((h) => JSON.parse(h.body).reportId === id && JSON.parse(h.body).kind === 'deadline_escalation')!;
    expect(JSON.parse(escalation.body)).toMatchObject({ orgId: cityOrgId, payload: { kind: 'on_site', escalatedTo: '140400' } });
    expect(escalation.valid).toBe(true);
  });

  /** A bare BullMQ queue handle on the notifications queue (no processors). */
  async function startWorkerWithoutProcessing(): Promise<Queue> {
    const { bullConnection } = await import('../../src/infra/queue/queue.module');
    const queue = new Queue(NOTIFICATION_QUEUE, { connection: bullConnection(sut.config.redisUrl), prefix: sut.config.queuePrefix });
    await queue.waitUntilReady();
    void getQueueToken;
    return queue;
  }
});
