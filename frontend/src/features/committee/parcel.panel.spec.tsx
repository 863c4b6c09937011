import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from 'antd';
import dayjs from 'dayjs';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../i18n/i18n.config';
import type { Clearance, ParcelDetail } from './committee.api';
import { ParcelPanel, shanghaiIso } from './parcel.panel';

const PARCEL_ID = '55555555-5555-4555-8555-555555555555';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const bucket = (mu: number, share: number) => ({ m2: (mu * 10000) / 15, mu, share });

function clearance(verdict: Clearance['verdict']): Clearance {
  return {
    verdict,
    reasons:
      verdict === 'blocked'
        ? [{ code: 'touches_avoidance', message: '地块与避让区重叠 3.75 亩' }]
        : [{ code: 'all_clear', message: '全部位于已释放范围内' }],
    zone: { id: 'z-1', code: 'SX-CZ-TLETDZ', name: '屯留经济技术开发区', category: 'industrial' },
    areas: verdict === 'blocked'
      ? { avoidance: bucket(3.75, 25), exploration: bucket(0, 0), release: bucket(11.25, 75), unzoned: bucket(0, 0), outside: bucket(0, 0) }
      : { avoidance: bucket(0, 0), exploration: bucket(0, 0), release: bucket(15, 100), unzoned: bucket(0, 0), outside: bucket(0, 0) },
    obligations: [{ code: 'stop_work_on_discovery', text: '建设中如新发现地下文物遗存，必须立即停止施工' }],
    total: { m2: 10000, mu: 15, ha: 1 } as never,
    exploredClear: { m2: 0, mu: 0 } as never,
  };
}

function parcel(verdict: Clearance['verdict']): ParcelDetail {
  return {
    id: PARCEL_ID, zoneId: 'z-1', zoneCode: 'SX-CZ-TLETDZ', zoneName: '屯留经济技术开发区', code: 'TL-2026-05', name: '古城址南侧五号地块', plannedUse: '商业用地',
    areaM2: 10000, areaMu: 15, areaHa: 1, transferredAt: null, createdAt: '2026-11-27T10:00:00+08:00', clearance: clearance(verdict), geometry: {} as never,
  };
}

function renderPanel(p: ParcelDetail, onChanged = vi.fn()) {
  render(
    <I18nextProvider i18n={createI18n('zh-CN')}>
      <App>
        <ParcelPanel parcel={p} onClose={vi.fn()} onChanged={onChanged} onExplorationRequested={vi.fn()} onProjectCreated={vi.fn()} />
      </App>
    </I18nextProvider>,
  );
  return onChanged;
}

afterEach(() => vi.unstubAllGlobals());

describe('parcel panel', () => {
  it('shows the five buckets in 亩 and percent, the reasons and the obligations', { timeout: 20000 }, () => {
    renderPanel(parcel('blocked'));
    expect(screen.getByTestId('verdict-blocked').textContent).toBe('禁止出让');
    expect(screen.getByTestId('bucket-avoidance-mu').textContent).toBe('3.75');
    expect(screen.getByTestId('bucket-avoidance-share').textContent).toBe('25.00');
    expect(screen.getByTestId('bucket-release-share').textContent).toBe('75.00');
    expect(screen.getByTestId('clearance-reasons').textContent).toContain('地块与避让区重叠 3.75 亩');
    expect(screen.getByText('建设中如新发现地下文物遗存，必须立即停止施工')).toBeTruthy();
    // no exploration can clear avoidance; the transfer is offered but not as the primary step
    expect(screen.queryByTestId('apply-exploration')).toBeNull();
    expect(screen.getByText('判定为“可出让”后方可登记土地出让。')).toBeTruthy();
  });

  it('says in words why the server refused the land transfer (409) and records nothing', { timeout: 20000 }, async () => {
    const sent: { path: string; body: string }[] = [];
    vi.stubGlobal('fetch', async (request: Request) => {
      sent.push({ path: new URL(request.url).pathname, body: await request.clone().text() });
      return json(409, {
        code: 'parcel_not_cleared',
        message: '地块考古前置判定为“blocked”，不能办理土地出让',
        details: { verdict: 'blocked', reasons: [{ code: 'touches_avoidance', message: '地块与避让区重叠 3.75 亩' }] },
      });
    });
    const onChanged = renderPanel(parcel('blocked'));
    fireEvent.click(screen.getByTestId('transfer-parcel'));
    fireEvent.click(await screen.findByTestId('transfer-confirm'));
    const refused = await screen.findByTestId('transfer-refused');
    expect(refused.textContent).toBe('地块考古前置判定为“禁止出让”，不能办理土地出让：地块与避让区重叠 3.75 亩');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toBe(`/api/parcels/${PARCEL_ID}/transfer`);
    expect(JSON.parse(sent[0]!.body).transferredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('records the transfer of a cleared parcel', { timeout: 20000 }, async () => {
    vi.stubGlobal('fetch', async () => json(200, { ...parcel('cleared'), transferredAt: '2026-11-28T10:00:00+08:00' }));
    const onChanged = renderPanel(parcel('cleared'));
    const button = screen.getByTestId('transfer-parcel');
    expect(button.className).toContain('ant-btn-primary');
    fireEvent.click(button);
    fireEvent.click(await screen.findByTestId('transfer-confirm'));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(within(document.body).queryByTestId('transfer-refused')).toBeNull();
  });

  it('sends the picked wall-clock time as Beijing time', () => {
    expect(shanghaiIso(dayjs('2026-12-01T10:30:00'))).toBe('2026-12-01T10:30:00+08:00');
  });
});
