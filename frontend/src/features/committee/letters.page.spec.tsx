import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AppRoot } from '../../app/app-root.component';
import { fakeApi, json, resetFakeApi, signInAs, type FakeHandler } from '../../test/fake-api';

const ZONE_ID = '22222222-2222-4222-8222-222222222222';
const PLAN_ID = '11111111-1111-4111-8111-111111111111';
const LETTER_ID = '33333333-3333-4333-8333-333333333333';
const SHA = 'ab'.repeat(32);

const COMMITTEE_ORG = { id: 'o-1', name: '屯留经济技术开发区管理委员会', type: 'zone_committee' };

const ZONE = { id: ZONE_ID, code: 'SX-CZ-TLETDZ', name: '屯留经济技术开发区', category: 'industrial', division: { code: '140405', name: '屯留区' }, areaMu: 3000, assessmentStatus: 'concluded' };
const STATUS = {
  zoneId: ZONE_ID, planId: PLAN_ID, planVersion: 2, documentNumber: '晋文物函〔2026〕12号',
  release: { m2: 200000, mu: 300, ha: 20 }, released: { m2: 133333.33, mu: 200, ha: 13.33 }, pendingCommitment: { m2: 66666.67, mu: 100, ha: 6.67 },
  releasedGeometry: null, pendingGeometry: null, acceptedCommitments: [],
};

function letterText(name: string, title: string, extra: string[]) {
  return {
    title: '屯留经济技术开发区释放区文物保护承诺书',
    addressee: '山西省文物局：',
    preamble: '根据贵局《屯留经济技术开发区分类文物保护工作意见》……',
    clauses: ['一、……必须立即停止施工，保护好现场，并及时上报文物主管部门……', ...extra.map((c, i) => `${['七', '八'][i]}、${c}`)],
    closing: '特此承诺。',
    signature: ['承诺单位：屯留经济技术开发区管理委员会（盖章）', `签署人：${name || '＿＿＿＿'}（${title || '＿＿＿＿'}）`, '日期：2026年11月28日'],
  };
}

function letter(state: string, extra: Record<string, unknown> = {}) {
  return {
    id: LETTER_ID, planId: PLAN_ID, state, zoneId: ZONE_ID, zoneCode: ZONE.code, zoneName: ZONE.name, planVersion: 2,
    documentNumber: '晋文物函〔2026〕12号', signatoryName: '孙管委', signatoryTitle: '管委会主任', extraClauses: [],
    signedAt: state === 'draft' ? null : '2026-11-28T09:30:00+08:00', decidedAt: null, rejectReason: null, createdAt: '2026-11-28T09:29:00+08:00',
    allowedActions: state === 'draft' ? ['submit'] : state === 'submitted' ? ['accept', 'reject'] : [],
    ...(state === 'draft' ? {} : { pdfSha256: SHA }),
    ...extra,
  };
}

function serve(roles: string[], handler: FakeHandler) {
  const seen = fakeApi(handler);
  signInAs({ roles, org: COMMITTEE_ORG }, '/letters');
  return seen;
}

afterEach(resetFakeApi);

describe('commitment letters (committee)', () => {
  it('previews the letter as it is typed, refuses to sign without a signatory, then signs, submits and shows the SHA-256', { timeout: 30000 }, async () => {
    let submitted = false;
    const seen = serve(['committee_officer'], (request, path, body) => {
      if (path === '/api/zones') return json(200, [ZONE]);
      if (path === `/api/zones/${ZONE_ID}/release-status`) return json(200, STATUS);
      if (path === '/api/commitments' && request.method === 'GET') return json(200, submitted ? [letter('submitted')] : []);
      if (path === '/api/commitments/preview') {
        const b = JSON.parse(body) as { signatoryName: string; signatoryTitle: string; extraClauses: string[] };
        return json(200, {
          planId: PLAN_ID, planVersion: 2, documentNumber: '晋文物函〔2026〕12号', letterDate: '2026-11-28',
          letter: letterText(b.signatoryName, b.signatoryTitle, b.extraClauses),
          releaseAreas: [{ label: '释放区 1', areaM2: 66666.67, areaMu: 100, areaHa: 6.67 }], releaseMu: 100,
        });
      }
      if (path === '/api/commitments' && request.method === 'POST') return json(201, { ...letter('draft'), letter: letterText('孙管委', '管委会主任', []), releaseAreas: [], releaseMu: 100 });
      if (path === `/api/commitments/${LETTER_ID}/submit`) {
        submitted = true;
        return json(200, { ...letter('submitted'), letter: letterText('孙管委', '管委会主任', []), releaseAreas: [], releaseMu: 100 });
      }
      return undefined;
    });
    render(<AppRoot />);

    const pending = await screen.findByTestId('pending-commitment-mu', {}, { timeout: 15000 });
    expect(pending.textContent).toContain('100.00');
    fireEvent.click(screen.getByTestId('new-letter'));
    const preview = await screen.findByTestId('letter-preview', {}, { timeout: 5000 });
    expect(preview.textContent).toContain('签署人：＿＿＿＿（＿＿＿＿）');
    expect(preview.textContent).toContain('必须立即停止施工');
    expect((screen.getByTestId('letter-date') as HTMLInputElement).value).toBe('2026-11-28');
    expect(screen.getByTestId('letter-release-mu').textContent).toContain('100.00');
    expect((screen.getByTestId('letter-sign') as HTMLButtonElement).disabled).toBe(false);

    // signing with an empty form sends nothing and says what is missing
    fireEvent.click(screen.getByTestId('letter-sign'));
    fireEvent.click(await screen.findByRole('button', { name: '签署并提交' }, { timeout: 5000 }));
    await waitFor(() => expect(screen.getByText('请填写签署人姓名')).toBeTruthy());
    expect(seen.some((r) => r.method === 'POST' && r.path === '/api/commitments')).toBe(false);

    fireEvent.change(screen.getByTestId('letter-signatory-name'), { target: { value: '孙管委' } });
    fireEvent.change(screen.getByTestId('letter-signatory-title'), { target: { value: '管委会主任' } });
    fireEvent.change(screen.getByTestId('letter-extra-clauses'), { target: { value: '每季度报送建设进展。\n\n' } });
    await waitFor(() => expect(screen.getByTestId('letter-preview').textContent).toContain('签署人：孙管委（管委会主任）'), { timeout: 5000 });
    expect(screen.getByTestId('letter-preview').textContent).toContain('七、每季度报送建设进展。');
    const lastPreview = seen.filter((r) => r.path === '/api/commitments/preview').at(-1)!;
    expect(JSON.parse(lastPreview.body)).toEqual({ planId: PLAN_ID, signatoryName: '孙管委', signatoryTitle: '管委会主任', extraClauses: ['每季度报送建设进展。'] });

    fireEvent.click(screen.getByTestId('letter-sign'));
    const confirms = await screen.findAllByRole('button', { name: '签署并提交' }, { timeout: 5000 });
    fireEvent.click(confirms.at(-1)!);
    const signed = await screen.findByTestId('letter-signed', {}, { timeout: 5000 });
    expect(within(signed).getByTestId('letter-sha256').textContent).toContain(SHA);
    expect(within(signed).getByTestId('letter-state-submitted').textContent).toBe('已提交');
    expect(within(signed).getByTestId('letter-pdf')).toBeTruthy();
    const created = seen.find((r) => r.method === 'POST' && r.path === '/api/commitments')!;
    expect(JSON.parse(created.body)).toEqual({ planId: PLAN_ID, signatoryName: '孙管委', signatoryTitle: '管委会主任', extraClauses: ['每季度报送建设进展。'] });
    expect(seen.some((r) => r.method === 'POST' && r.path === `/api/commitments/${LETTER_ID}/submit`)).toBe(true);
    // the list now holds the submitted letter, and no second letter can be drafted while it waits
    await waitFor(() => expect(screen.getByTestId('open-letter-v2-submitted')).toBeTruthy());
    expect((screen.getByTestId('new-letter') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('commitment letters (committee) with a draft left over', () => {
  it('continues the draft: the form starts from it and signing updates it instead of creating a second letter', { timeout: 30000 }, async () => {
    const seen = serve(['committee_officer'], (request, path, body) => {
      if (path === '/api/zones') return json(200, [ZONE]);
      if (path === `/api/zones/${ZONE_ID}/release-status`) return json(200, STATUS);
      if (path === '/api/commitments' && request.method === 'GET') return json(200, [letter('draft', { signatoryName: '李主任', signatoryTitle: '副主任' })]);
      if (path === '/api/commitments/preview') {
        const b = JSON.parse(body) as { signatoryName: string; signatoryTitle: string; extraClauses: string[] };
        return json(200, { planId: PLAN_ID, planVersion: 2, documentNumber: null, letterDate: '2026-11-28', letter: letterText(b.signatoryName, b.signatoryTitle, b.extraClauses), releaseAreas: [], releaseMu: 100 });
      }
      if (path === `/api/commitments/${LETTER_ID}` && request.method === 'PATCH') return json(200, { ...letter('draft'), letter: letterText('李主任', '主任', []), releaseAreas: [], releaseMu: 100 });
      if (path === `/api/commitments/${LETTER_ID}/submit`) return json(200, { ...letter('submitted'), letter: letterText('李主任', '主任', []), releaseAreas: [], releaseMu: 100 });
      return undefined;
    });
    render(<AppRoot />);
    const button = await screen.findByTestId('new-letter', {}, { timeout: 15000 });
    await waitFor(() => expect(button.textContent?.replace(/\s/g, '')).toBe('继续签署草稿'));
    fireEvent.click(button);
    expect((await screen.findByTestId('letter-signatory-name') as HTMLInputElement).value).toBe('李主任');
    fireEvent.change(screen.getByTestId('letter-signatory-title'), { target: { value: '主任' } });
    await waitFor(() => expect(screen.getByTestId('letter-preview').textContent).toContain('签署人：李主任（主任）'), { timeout: 5000 });
    fireEvent.click(screen.getByTestId('letter-sign'));
    const confirms = await screen.findAllByRole('button', { name: '签署并提交' }, { timeout: 5000 });
    fireEvent.click(confirms.at(-1)!);
    await screen.findByTestId('letter-signed', {}, { timeout: 5000 });
    const patch = seen.find((r) => r.method === 'PATCH')!;
    expect(JSON.parse(patch.body)).toEqual({ signatoryName: '李主任', signatoryTitle: '主任', extraClauses: [] });
    expect(seen.some((r) => r.method === 'POST' && r.path === '/api/commitments')).toBe(false);
  });
});

describe('letters queue (reviewer)', () => {
  it('accepts a letter, and rejects one only with a reason', { timeout: 30000 }, async () => {
    const queue = [letter('submitted'), letter('submitted', { id: '44444444-4444-4444-8444-444444444444', zoneCode: 'SX-JC-GPETDZ', zoneName: '高平经济技术开发区', planVersion: 1 })];
    const seen = serve(['reviewer'], (request, path) => {
      if (path === '/api/commitments' && request.method === 'GET') return json(200, queue);
      const m = /^\/api\/commitments\/([0-9a-f-]+)\/(accept|reject)$/.exec(path);
      if (m) {
        const i = queue.findIndex((l) => l.id === m[1]);
        const [done] = queue.splice(i, 1);
        return json(200, { ...done, state: m[2] === 'accept' ? 'accepted' : 'rejected', allowedActions: [], letter: letterText('孙管委', '管委会主任', []), releaseAreas: [], releaseMu: 100 });
      }
      return undefined;
    });
    render(<AppRoot />);

    const table = await screen.findByTestId('letters-queue-table', {}, { timeout: 15000 });
    await waitFor(() => expect(within(table).getByText('屯留经济技术开发区')).toBeTruthy());
    expect(seen.find((r) => r.path === '/api/commitments')!.search).toBe('?state=submitted');

    fireEvent.click(screen.getByTestId('queue-reject-SX-JC-GPETDZ-v1'));
    const dialog = await screen.findByTestId('reject-dialog');
    const ok = (dialog.closest('.ant-modal') as HTMLElement).querySelector('.ant-modal-footer .ant-btn-dangerous') as HTMLElement;
    fireEvent.click(ok);
    await waitFor(() => expect(screen.getByText('请填写退回原因')).toBeTruthy());
    expect(seen.some((r) => r.path.endsWith('/reject'))).toBe(false);
    fireEvent.change(within(dialog).getByTestId('reject-reason'), { target: { value: '释放区面积与意见不符' } });
    fireEvent.click(ok);
    await waitFor(() => expect(seen.some((r) => r.path.endsWith('/reject'))).toBe(true));
    expect(JSON.parse(seen.find((r) => r.path.endsWith('/reject'))!.body)).toEqual({ reason: '释放区面积与意见不符' });
    await waitFor(() => expect(within(table).queryByText('高平经济技术开发区')).toBeNull());

    fireEvent.click(screen.getByTestId('queue-accept-SX-CZ-TLETDZ-v2'));
    fireEvent.click(await screen.findByRole('button', { name: '接 受' }, { timeout: 5000 }));
    await waitFor(() => expect(seen.some((r) => r.path === `/api/commitments/${LETTER_ID}/accept`)).toBe(true));
    expect(JSON.parse(seen.find((r) => r.path.endsWith('/accept'))!.body)).toEqual({});
    await waitFor(() => expect(screen.getByText('没有待审核的承诺书')).toBeTruthy());
  });
});
