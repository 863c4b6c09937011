import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppRoot } from '../../app/app-root.component';
import { fakeApi, json, resetFakeApi, signInAs, type FakeHandler } from '../../test/fake-api';

const ORG_ID = '44444444-4444-4444-8444-444444444444';
const ORG = { id: ORG_ID, name: '长治市屯留区文物局', nameEn: null, type: 'local_authority', divisionCode: '140405', divisionName: '屯留区', userCount: 2 };
const ADMIN = { roles: ['admin'], org: { id: 'o-0', name: '山西省文物局', type: 'bureau' }, username: 'admin', displayName: '系统管理员' };

function serve(handler: FakeHandler) {
  const seen = fakeApi((request, path, body) => handler(request, path, body) ?? (path === '/api/admin/orgs' ? json(200, [ORG]) : undefined));
  signInAs(ADMIN, '/admin/orgs');
  return seen;
}

afterEach(resetFakeApi);

describe('organisations: notification channels (admin)', () => {
  it('sets an e-mail address and a webhook, and shows the generated secret once', { timeout: 30000 }, async () => {
    const seen = serve((request, path) => {
      if (path === `/api/notification-channels/${ORG_ID}` && request.method === 'GET') {
        return json(200, { orgId: ORG_ID, email: null, webhookUrl: null, hasWebhookSecret: false });
      }
      if (path === `/api/notification-channels/${ORG_ID}` && request.method === 'PUT') {
        return json(200, { orgId: ORG_ID, email: 'wenwu@tunliu.gov.cn', webhookUrl: 'https://sms.example.cn/qz', hasWebhookSecret: true, webhookSecret: 'k3y-0nce-7f1c2a9d5e' });
      }
      return undefined;
    });
    render(<AppRoot />);
    fireEvent.click(await screen.findByTestId(`channels-${ORG_ID}`, {}, { timeout: 20000 }));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 10000 });
    expect(within(dialog).getByText('长治市屯留区文物局 · 通知渠道')).toBeTruthy();
    fireEvent.change(await within(dialog).findByLabelText('接收邮箱'), { target: { value: 'wenwu@tunliu.gov.cn' } });
    fireEvent.change(within(dialog).getByLabelText('Webhook 地址'), { target: { value: 'https://sms.example.cn/qz' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));

    const secret = await within(dialog).findByTestId('webhook-secret');
    expect(secret.textContent).toContain('k3y-0nce-7f1c2a9d5e');
    expect(secret.textContent).toContain('只显示这一次');
    const put = seen.find((s) => s.method === 'PUT')!;
    expect(JSON.parse(put.body)).toEqual({ email: 'wenwu@tunliu.gov.cn', webhookUrl: 'https://sms.example.cn/qz' });
    // with a webhook and a secret on file, the secret can be rotated
    expect(within(dialog).getByText('生成新的签名密钥（旧密钥立即失效）')).toBeTruthy();
  });

  it('refuses a malformed address before sending, and an emptied field switches the channel off', { timeout: 30000 }, async () => {
    const seen = serve((request, path) => {
      if (path === `/api/notification-channels/${ORG_ID}` && request.method === 'GET') {
        return json(200, { orgId: ORG_ID, email: 'old@tunliu.gov.cn', webhookUrl: 'https://sms.example.cn/qz', hasWebhookSecret: true });
      }
      if (path === `/api/notification-channels/${ORG_ID}` && request.method === 'PUT') {
        return json(200, { orgId: ORG_ID, email: null, webhookUrl: 'https://sms.example.cn/qz', hasWebhookSecret: true });
      }
      return undefined;
    });
    render(<AppRoot />);
    fireEvent.click(await screen.findByTestId(`channels-${ORG_ID}`, {}, { timeout: 20000 }));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 10000 });
    const email = await within(dialog).findByLabelText('接收邮箱');
    expect((email as HTMLInputElement).value).toBe('old@tunliu.gov.cn');
    fireEvent.change(email, { target: { value: 'not an address' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    expect(await within(dialog).findByText('请输入有效的邮箱地址')).toBeTruthy();
    expect(seen.some((s) => s.method === 'PUT')).toBe(false);

    fireEvent.change(email, { target: { value: '' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(seen.some((s) => s.method === 'PUT')).toBe(true));
    expect(JSON.parse(seen.find((s) => s.method === 'PUT')!.body)).toEqual({ email: null, webhookUrl: 'https://sms.example.cn/qz' });
    expect(await within(dialog).findByText('已保存')).toBeTruthy();
    expect(within(dialog).queryByTestId('webhook-secret')).toBeNull();
  });
});
