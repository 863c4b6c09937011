import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a notification says, in Chinese, for e-mail (and any human-facing channel). Pure: the kind and payload in, text out. */

const KIND_NAMES: Record<string, string> = { on_site: '到场（24 小时内）', opinion: '处理意见（7 日内）', national: '国家文物局答复（15 日内）' };

const shanghai = (iso: unknown): string => {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return '—';
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}（北京时间）`;
};

export function notificationText(kind: string, payload: Record<string, unknown>, reportId: string | null): { subject: string; text: string } {
  const ref = reportId ? `报告编号：${reportId}` : '';
  switch (kind) {
    case 'discovery_reported':
      return {
        subject: `【考古前置】施工中发现文物遗存：${String(payload.projectName ?? '')}`,
        text: [
          `项目“${String(payload.projectName ?? '')}”施工中发现疑似文物遗存（${String(payload.suspectedType ?? '')}），已停工。`,
          `报告时间：${shanghai(payload.reportedAt)}`,
          `请于 ${shanghai(payload.onSiteDue)} 前到达现场，于 ${shanghai(payload.opinionDue)} 前提出处理意见。`,
          ref,
        ].filter(Boolean).join('\n'),
      };
    case 'deadline_reminder':
      return {
        subject: `【考古前置】期限提醒：${KIND_NAMES[String(payload.kind)] ?? String(payload.kind)}`,
        text: [`新发现文物遗存报告的${KIND_NAMES[String(payload.kind)] ?? '处理'}期限将于 ${shanghai(payload.dueAt)} 届满，请及时办理。`, ref].filter(Boolean).join('\n'),
      };
    case 'deadline_escalation':
      return {
        subject: `【考古前置】期限已逾期并上报：${KIND_NAMES[String(payload.kind)] ?? String(payload.kind)}`,
        text: [`新发现文物遗存报告的${KIND_NAMES[String(payload.kind)] ?? '处理'}期限已于 ${shanghai(payload.dueAt)} 届满而未办理，已上报至上一级（${String(payload.escalatedTo ?? '')}）。`, ref].filter(Boolean).join('\n'),
      };
    case 'stop_work_lifted':
      return { subject: '【考古前置】停工令已解除，可以复工', text: ['文物部门已确认保护措施完成，批准复工。', ref].filter(Boolean).join('\n') };
    default:
      return { subject: `【考古前置】通知：${kind}`, text: ref };
  }
}

/** Webhook signature: HMAC-SHA256 over `${timestamp}.${body}` with the organisation's secret, hex, prefixed `sha256=`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (documented for integrators, used by the tests' receiver). */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
