import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/client';
import { AppRoot } from '../../app/app-root.component';
import type { DashboardSummary } from './dashboard.api';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function summary(over: Partial<DashboardSummary> = {}): DashboardSummary {
  return {
    generatedAt: '2026-11-27T10:00:00.000+08:00',
    scope: [{ code: '140000', name: '山西省', nameEn: 'Shanxi' }],
    zones: {
      total: 93,
      byCategory: [
        { category: 'industrial', count: 71 },
        { category: 'agricultural', count: 14 },
        { category: 'cultural_tourism', count: 8 },
      ],
      byAssessmentStatus: [
        { category: 'industrial', assessmentStatus: 'concluded', count: 30 },
        { category: 'industrial', assessmentStatus: 'not_started', count: 41 },
        { category: 'agricultural', assessmentStatus: 'not_applicable', count: 14 },
        { category: 'cultural_tourism', assessmentStatus: 'not_applicable', count: 8 },
      ],
      withIssuedPlan: 30,
      published: { industrial: 71, agriculturalOrTourism: 22, total: 93 },
    },
    areas: {
      byCategory: [
        { category: 'avoidance', areaM2: 607838, areaMu: 911.76, areaHa: 60.7838 },
        { category: 'exploration', areaM2: 10148932.3, areaMu: 15223.4, areaHa: 1014.8932 },
        { category: 'release', areaM2: 4748004.4, areaMu: 7122.01, areaHa: 474.8004 },
        { category: 'unzoned', areaM2: 0, areaMu: 0, areaHa: 0 },
      ],
      totalM2: 15504774.7,
      totalMu: 23257.16,
      totalHa: 1550.4775,
    },
    discoveries: {
      total: 5, open: 4, overdue: 2, closed: 1,
      byState: [
        { state: 'reported', count: 2 }, { state: 'on_site', count: 1 }, { state: 'opinion_issued', count: 1 },
        { state: 'measures_done', count: 0 }, { state: 'closed', count: 1 },
      ],
    },
    deadlines: [
      { kind: 'on_site', met: 3, breached: 1, pending: 1, metShare: 0.75 },
      { kind: 'opinion', met: 0, breached: 0, pending: 3, metShare: null },
    ],
    divisions: [
      {
        division: { code: '140405', name: '屯留区', nameEn: 'Tunliu' }, parent: { code: '140400', name: '长治市', nameEn: 'Changzhi' },
        zones: 1, industrialZones: 1, assessedZones: 1, openReports: 3, overdueReports: 2, closedReports: 1,
      },
    ],
    ...over,
  };
}

function serve(body: DashboardSummary, roles: string[]) {
  vi.stubGlobal('fetch', async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (path === '/api/dashboard') return json(200, body);
    if (path === '/api/auth/me') return json(200, session.get()!.user);
    if (path === '/api/config/public') return json(200, { tiandituKey: null });
    return json(404, { code: 'not_found', message: '不存在' });
  });
  session.set({
    accessToken: 'token', refreshToken: 'refresh', expiresIn: 900,
    user: { id: 'u-1', username: 'reviewer', displayName: '李审核', roles, org: { id: 'o-1', name: '山西省文物局', type: 'bureau' }, scopes: [] },
  } as never);
  window.history.pushState({}, '', '/dashboard');
}

afterEach(() => {
  vi.unstubAllGlobals();
  session.clear('logout');
});

describe('province dashboard page', () => {
  it('draws every figure as a chart: categories, assessment progress, areas in 亩, reports, deadlines met, counties', { timeout: 30000 }, async () => {
    serve(summary(), ['reviewer']);
    render(<AppRoot />);
    await screen.findByTestId('dashboard-page', {}, { timeout: 15000 });
    const donut = await screen.findByTestId('chart-zones-by-category', {}, { timeout: 15000 });
    expect(screen.getByRole('heading', { name: '全省看板' })).toBeTruthy();
    expect(within(donut).getByRole('img', { name: /开发区类别/ }).querySelector('desc')?.textContent).toBe('工业类 71; 农业类 14; 文旅类 8');
    expect(within(donut).getByText(/全省公布：工业类 71 个，农业类／文旅类 22 个/)).toBeTruthy();
    // the map's category colours
    expect(donut.querySelector('circle[data-key="industrial"]')?.getAttribute('stroke')).toBe('rgb(47, 120, 214)');

    const assessment = screen.getByTestId('chart-assessment');
    expect(assessment.querySelectorAll('g[data-key="industrial"] rect.qz-chart-segment')).toHaveLength(2);
    expect(within(assessment).getByText('已完成')).toBeTruthy();

    const areas = screen.getByTestId('chart-areas');
    const bars = [...areas.querySelectorAll('rect.qz-chart-value-bar')];
    expect(bars.map((b) => b.closest('g')?.getAttribute('data-key'))).toEqual(['avoidance', 'exploration', 'release']);
    expect(Number(bars[2]!.getAttribute('width')) / Number(bars[1]!.getAttribute('width'))).toBeCloseTo(7122.01 / 15223.4, 6);
    expect(within(areas).getByText('911.76 亩')).toBeTruthy();
    expect(bars[0]!.getAttribute('fill')).toBe('rgb(229, 57, 53)');
    // the land of all zones in one bar: the unzoned part has no width here (0 亩), the zoned parts share the rest
    const land = screen.getByTestId('chart-land');
    expect([...land.querySelectorAll('rect.qz-chart-segment')].map((r) => r.getAttribute('data-key'))).toEqual(['avoidance', 'exploration', 'release']);
    expect(within(land).getByText('未分区')).toBeTruthy();
    expect(within(areas).getByText(/开发区总面积 23,257.16 亩（1,550.48 公顷）/)).toBeTruthy();

    const reports = screen.getByTestId('chart-reports');
    expect([...reports.querySelectorAll('rect.qz-chart-value-bar')].map((b) => b.getAttribute('data-value'))).toEqual(['4', '2', '1']);

    const onSite = screen.getByTestId('deadline-on_site');
    expect(onSite.querySelector('text.qz-chart-total')?.textContent).toBe('75%');
    expect(within(onSite).getByText('未到期 1 件')).toBeTruthy();
    const opinion = screen.getByTestId('deadline-opinion');
    expect(opinion.querySelector('text.qz-chart-total')?.textContent).toBe('—');
    expect(opinion.querySelector('path.qz-chart-gauge-value')).toBeNull();

    const table = screen.getByTestId('dashboard-divisions');
    expect(within(table).getByText('屯留区')).toBeTruthy();
    expect(within(table).getByText('长治市')).toBeTruthy();
    expect(screen.getByText('统计时间：2026年11月27日 10:00')).toBeTruthy();
  });

  it('a county officer sees its county in the title; with no reports the report chart and the gauges say so', { timeout: 30000 }, async () => {
    serve(
      summary({
        scope: [{ code: '140405', name: '屯留区', nameEn: 'Tunliu' }],
        zones: { ...summary().zones, published: null },
        discoveries: { total: 0, open: 0, overdue: 0, closed: 0, byState: [] },
        deadlines: [
          { kind: 'on_site', met: 0, breached: 0, pending: 0, metShare: null },
          { kind: 'opinion', met: 0, breached: 0, pending: 0, metShare: null },
        ],
      }),
      ['authority_officer'],
    );
    render(<AppRoot />);
    await screen.findByTestId('chart-reports', {}, { timeout: 15000 });
    expect(screen.getByRole('heading', { name: '屯留区看板' })).toBeTruthy();
    expect(screen.getByText('暂无新发现报告')).toBeTruthy();
    expect(screen.getAllByText('尚无已到期的时限')).toHaveLength(2);
    expect(screen.queryByText(/全省公布/)).toBeNull();
  });
});
