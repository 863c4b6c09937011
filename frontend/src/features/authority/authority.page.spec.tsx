import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppRoot } from '../../app/app-root.component';
import { installPaintlessCanvas } from '../../map/tools/simulated-pointer.test-util';
import { fakeApi, json, resetFakeApi, signInAs, type SeenRequest } from '../../test/fake-api';
import type { Discovery } from './authority.api';

const REPORT_ID = '33333333-3333-4333-8333-333333333333';
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function discovery(state: Discovery['state'], allowedActions: Discovery['allowedActions']): Discovery {
  const reportedAt = Date.now() - 3 * 3600_000;
  return {
    id: REPORT_ID,
    projectId: '44444444-4444-4444-8444-444444444444',
    projectName: '晋通新材料厂房一期（演示）',
    zoneId: '55555555-5555-4555-8555-555555555555',
    divisionCode: '140405',
    state,
    overdue: false,
    location: { type: 'Point', coordinates: [112.898, 36.3067] },
    accuracyM: 8,
    foundAt: iso(reportedAt - 600_000),
    reportedAt: iso(reportedAt),
    depthM: 1.8,
    description: '挖掘机开挖基槽时发现青砖墓室一角',
    suspectedType: 'tomb',
    arrival: { arrivedAt: iso(reportedAt + 3600_000), people: ['赵文保'], notes: null },
    opinion: null,
    nationalAnswer: null,
    measuresDoneAt: null,
    closedAt: null,
    stopWorkOrder: { id: 'swo', reportId: REPORT_ID, projectId: 'p', state: 'active', issuedAt: iso(reportedAt), acknowledgedAt: null, liftedAt: null },
    deadlines: [
      { id: 'd1', kind: 'on_site', dueAt: iso(reportedAt + 24 * 3600_000), metAt: iso(reportedAt + 3600_000), remindedAt: null, breachedAt: null, escalatedTo: null },
      { id: 'd2', kind: 'opinion', dueAt: iso(reportedAt + 168 * 3600_000), metAt: null, remindedAt: null, breachedAt: null, escalatedTo: null },
    ],
    photos: [],
    revisionPlanId: null,
    hold: { active: true, liftedAt: null, liftedReason: null },
    allowedActions,
  } as Discovery;
}

let restoreCanvas: (() => void) | undefined;
beforeAll(() => {
  restoreCanvas = installPaintlessCanvas();
});
afterAll(() => restoreCanvas?.());
afterEach(resetFakeApi);

const OFFICER = { roles: ['authority_officer'], org: { id: 'o-1', name: '长治市屯留区文物局', type: 'local_authority' }, username: 'authority', displayName: '赵文保' };

/**
 * The desk's API around one report (`current()`), with `action` answering the report's POSTs; returns the
 * requests as they are made. The officer is signed in and the app opened at `/`.
 */
function desk(current: () => Discovery, action: (path: string) => Response | undefined): SeenRequest[] {
  const seen = fakeApi((request, path) => {
    if (request.method === 'POST') return action(path);
    if (path === '/api/discoveries') return json(200, [current()]);
    if (path === `/api/discoveries/${REPORT_ID}`) return json(200, current());
    if (path === `/api/discoveries/${REPORT_ID}/history`) return json(200, []);
    if (path === '/api/notifications') return json(200, []);
    if (path.startsWith('/api/layers/')) return json(200, { type: 'FeatureCollection', features: [] });
    return undefined;
  });
  signInAs(OFFICER, '/');
  return seen;
}

describe('the authority’s discovery desk', () => {
  it('shows the report with its countdowns, shows the server’s refusal of an early resumption, then issues the opinion', { timeout: 40000 }, async () => {
    let current = discovery('on_site', ['issue-opinion']);
    const sent = desk(() => current, (path) => {
      if (path === `/api/discoveries/${REPORT_ID}/authorize-resumption`) {
        return json(409, { code: 'conflict_state', message: '当前状态为“已到场”，不能执行“批准复工”；可执行的操作：出具处理意见' });
      }
      if (path === `/api/discoveries/${REPORT_ID}/issue-opinion`) {
        current = { ...discovery('opinion_issued', ['complete-measures']), opinion: { measures: 'rescue_excavation', important: false, text: 'x', issuedAt: iso(Date.now()) } };
        return json(200, current);
      }
      return undefined;
    });
    render(<AppRoot />);

    // Lands on the desk (its home), the report with a met on-site deadline and the opinion counting down.
    const row = await screen.findByTestId('report-row', {}, { timeout: 20000 });
    expect(window.location.pathname).toBe('/discoveries');
    expect(within(row).getByTestId('deadline-on_site').getAttribute('data-status')).toBe('met');
    expect(within(row).getByTestId('deadline-opinion').textContent).toMatch(/剩余 6天2\d小时/);

    fireEvent.click(row);
    const detail = await screen.findByTestId('discovery-detail', {}, { timeout: 15000 });
    expect(detail.getAttribute('data-state')).toBe('on_site');
    expect(screen.queryByTestId('arrival-form')).toBeNull();

    fireEvent.click(screen.getByTestId('submit-resumption'));
    const refusal = await screen.findByTestId('action-error');
    expect(refusal.textContent).toContain('不能执行“批准复工”');

    fireEvent.click(screen.getByTestId('submit-opinion'));
    await waitFor(() => expect(screen.getByTestId('opinion-form').textContent).toContain('请选择处理措施'), { timeout: 5000 });
    expect(sent.some((s) => s.path.endsWith('/issue-opinion'))).toBe(false);

    fireEvent.click(screen.getByTestId('measures-rescue_excavation'));
    fireEvent.change(document.querySelector('#opinion_text')!, { target: { value: '须进行抢救性考古发掘' } });
    fireEvent.click(screen.getByTestId('submit-opinion'));
    await waitFor(() => expect(screen.getByTestId('discovery-detail').getAttribute('data-state')).toBe('opinion_issued'));
    const opinion = sent.find((s) => s.path.endsWith('/issue-opinion'))!;
    expect(JSON.parse(opinion.body)).toEqual({ measures: 'rescue_excavation', important: false, text: '须进行抢救性考古发掘' });
    expect(screen.getByTestId('measures-form')).toBeTruthy();
    // not an important find: no national answer is expected
    expect(screen.queryByTestId('national-answer-form')).toBeNull();
  });

  it('an important find: records the national answer (Beijing time), then shows it instead of the form', { timeout: 40000 }, async () => {
    const important = (): Discovery => {
      const d = discovery('opinion_issued', ['complete-measures']);
      const reportedAt = Date.parse(d.reportedAt);
      return {
        ...d,
        opinion: { measures: 'rescue_excavation', important: true, text: '重要发现，报国家文物局', issuedAt: iso(reportedAt + 2 * 3600_000) },
        deadlines: [
          ...d.deadlines.map((x) => (x.kind === 'opinion' ? { ...x, metAt: iso(reportedAt + 2 * 3600_000) } : x)),
          { id: 'd3', kind: 'national', dueAt: iso(reportedAt + 15 * 24 * 3600_000), metAt: null, remindedAt: null, breachedAt: null, escalatedTo: null },
        ],
      };
    };
    let current = important();
    const sent = desk(() => current, (path) => {
      if (path !== `/api/discoveries/${REPORT_ID}/record-national-answer`) return undefined;
      const base = important();
      current = {
        ...base,
        nationalAnswer: { answeredAt: '2026-12-08T11:30:00.000+08:00', reference: '文物博函〔2026〕88号', text: '同意发掘方案', recordedAt: iso(Date.now()) },
        deadlines: base.deadlines.map((x) => (x.kind === 'national' ? { ...x, metAt: '2026-12-08T11:30:00.000+08:00' } : x)),
      };
      return json(200, current);
    });
    render(<AppRoot />);

    fireEvent.click(await screen.findByTestId('report-row', {}, { timeout: 20000 }));
    const form = await screen.findByTestId('national-answer-form', {}, { timeout: 15000 });
    expect(form.textContent).toContain('登记国家文物局答复');
    expect(screen.queryByTestId('national-answer')).toBeNull();

    // the document number is required
    fireEvent.change(document.querySelector('#national_reference')!, { target: { value: '  ' } });
    fireEvent.click(screen.getByTestId('submit-national-answer'));
    await waitFor(() => expect(screen.getByTestId('national-answer-form').textContent).toContain('请填写答复文号'), { timeout: 5000 });
    expect(sent.some((s) => s.path.endsWith('/record-national-answer'))).toBe(false);

    fireEvent.change(document.querySelector('#national_answeredAt')!, { target: { value: '2026-12-08T11:30' } });
    fireEvent.change(document.querySelector('#national_reference')!, { target: { value: ' 文物博函〔2026〕88号 ' } });
    fireEvent.change(document.querySelector('#national_text')!, { target: { value: '同意发掘方案' } });
    fireEvent.click(screen.getByTestId('submit-national-answer'));

    const shown = await screen.findByTestId('national-answer', {}, { timeout: 5000 });
    const posted = sent.filter((s) => s.path.endsWith('/record-national-answer'));
    expect(posted).toHaveLength(1);
    expect(JSON.parse(posted[0]!.body)).toEqual({ answeredAt: '2026-12-08T11:30:00+08:00', reference: '文物博函〔2026〕88号', text: '同意发掘方案' });
    expect(shown.textContent).toContain('文物博函〔2026〕88号');
    expect(shown.textContent).toContain('2026年12月8日 11:30');
    expect(shown.textContent).toContain('同意发掘方案');
    await waitFor(() => expect(screen.queryByTestId('national-answer-form')).toBeNull());
    expect(within(screen.getByTestId('detail-deadlines')).getByTestId('deadline-national').getAttribute('data-status')).toBe('met');
  });
});
