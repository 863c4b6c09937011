import { createHmac } from 'node:crypto';
import { notificationText, signWebhook, verifyWebhook } from './notification-text';

describe('notification text and webhook signature', () => {
  it('signs HMAC-SHA256 over `${timestamp}.${body}` and verifies only the exact body, timestamp and secret', () => {
    const body = '{"kind":"discovery_reported"}';
    const sut = signWebhook('s3cret-s3cret-s3cret', '1795000000', body);
    expect(sut).toBe(`sha256=${createHmac('sha256', 's3cret-s3cret-s3cret').update(`1795000000.${body}`).digest('hex')}`);
    expect(verifyWebhook('s3cret-s3cret-s3cret', '1795000000', body, sut)).toBe(true);
    expect(verifyWebhook('s3cret-s3cret-s3cret', '1795000001', body, sut)).toBe(false);
    expect(verifyWebhook('s3cret-s3cret-s3cret', '1795000000', `${body} `, sut)).toBe(false);
    expect(verifyWebhook('other', '1795000000', body, sut)).toBe(false);
    expect(verifyWebhook('s3cret-s3cret-s3cret', '1795000000', body, 'sha256=00')).toBe(false);
  });

  it('says in Chinese what happened and by when, in Beijing time', () => {
    const sut = notificationText('discovery_reported', {
      projectName: '厂房一期', suspectedType: 'tomb', reportedAt: '2026-11-27T10:00:00.000+08:00',
      onSiteDue: '2026-11-28T10:00:00.000+08:00', opinionDue: '2026-12-04T10:00:00.000+08:00',
    }, 'r-1');
    expect(sut.subject).toBe('【考古前置】施工中发现文物遗存：厂房一期');
    expect(sut.text).toContain('请于 2026年11月28日 10:00（北京时间） 前到达现场，于 2026年12月4日 10:00（北京时间） 前提出处理意见');
    expect(notificationText('deadline_escalation', { kind: 'on_site', dueAt: '2026-11-28T02:00:00Z', escalatedTo: '140400' }, 'r-1').text)
      .toContain('到场（24 小时内）期限已于 2026年11月28日 10:00（北京时间） 届满');
  });
});
