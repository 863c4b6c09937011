import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/client';
import { AppRoot } from '../../app/app-root.component';
import { installPaintlessCanvas } from '../../map/tools/simulated-pointer.test-util';
import { importApi } from '../imports/imports.api';
import type { PlanDetail, ZoningArea } from './zoning.api';

const PLAN_ID = '11111111-1111-4111-8111-111111111111';
const ZONE_ID = '22222222-2222-4222-8222-222222222222';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function area(id: string, category: ZoningArea['category'], areaMu: number, rationale: string): ZoningArea {
  return {
    id,
    category,
    geometry: { type: 'Polygon', coordinates: [[[112.92, 35.8], [112.93, 35.8], [112.93, 35.81], [112.92, 35.8]]] } as never,
    areaM2: (areaMu * 10000) / 15,
    areaMu,
    areaHa: areaMu / 15,
    rationale,
    label: null,
    evidence: [],
  };
}

function plan(state: PlanDetail['state'], allowedActions: PlanDetail['allowedActions'], rowVersion = 3): PlanDetail {
  return {
    id: PLAN_ID,
    zoneId: ZONE_ID,
    version: 2,
    state,
    zoneName: '高平经济技术开发区',
    zoneCode: 'GP-01',
    documentNumber: null,
    submittedAt: null,
    issuedAt: null,
    updatedAt: '2026-11-27T10:00:00+08:00',
    basedOn: null,
    assessmentId: null,
    rowVersion,
    approvedAt: null,
    returnedAt: null,
    returnReason: null,
    supersededAt: null,
    justifications: null,
    opinion: null,
    allowedActions,
    areas: [area('a-1', 'avoidance', 150, '夯土城墙遗迹，原址保护'), area('a-2', 'release', 30, '勘探未见遗存')],
    totals: [],
  };
}

function signIn(roles: string[]) {
  session.set({
    accessToken: 'token',
    refreshToken: 'refresh',
    expiresIn: 900,
    user: { id: 'u-1', username: 'demo', displayName: '演示用户', roles, org: { id: 'o-1', name: '省考古研究院', type: 'institute' }, scopes: [] },
  } as never);
}

/** The dialog's OK button (antd puts the footer outside the element carrying the test id). */
function okOf(dialog: HTMLElement): HTMLElement {
  const modal = dialog.closest('.ant-modal') ?? dialog.querySelector('.ant-modal') ?? document.querySelector('.ant-modal');
  return (modal as HTMLElement).querySelector('.ant-modal-footer .ant-btn-primary') as HTMLElement;
}

type Handler = (request: Request, path: string) => Response | Promise<Response> | undefined;

function serve(handler: Handler, roles: string[]) {
  const seen: { method: string; path: string; ifMatch: string | null; body: string }[] = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    const path = new URL(request.url).pathname;
    seen.push({ method: request.method, path, ifMatch: request.headers.get('If-Match'), body: await request.clone().text() });
    const answer = await handler(request, path);
    if (answer) return answer;
    if (path === '/api/auth/me') return json(200, session.get()!.user);
    if (path === '/api/config/public') return json(200, { tiandituKey: null });
    if (path.startsWith('/api/layers/')) return json(200, { type: 'FeatureCollection', features: [] });
    if (path === '/api/zoning-plans/' + PLAN_ID + '/comments') return json(200, []);
    return json(404, { code: 'not_found', message: '不存在' });
  });
  signIn(roles);
  window.history.pushState({}, '', `/zoning?plan=${PLAN_ID}`);
  return seen;
}

let restoreCanvas: (() => void) | undefined;
beforeAll(() => {
  restoreCanvas = installPaintlessCanvas();
});
afterAll(() => restoreCanvas?.());
afterEach(() => {
  vi.unstubAllGlobals();
  session.clear('logout');
});

describe('zoning plan workspace', () => {
  it('shows a reviewer the areas in 亩 and 公顷 and returns the plan only with a reason', { timeout: 30000 }, async () => {
    let current = plan('submitted', ['approve', 'return']);
    const seen = serve((request, path) => {
      if (path === `/api/zoning-plans/${PLAN_ID}`) return json(200, current, { ETag: `"${current.rowVersion}"` });
      if (path === `/api/zoning-plans/${PLAN_ID}/return` && request.method === 'POST') {
        current = { ...plan('returned', ['revise'], 4), returnReason: '避让区范围与城墙保护范围不符' };
        return json(200, current, { ETag: '"4"' });
      }
      return undefined;
    }, ['reviewer']);
    render(<AppRoot />);

    const table = await screen.findByTestId('zoning-areas-table', {}, { timeout: 15000 });
    await waitFor(() => expect(within(table).getByText('夯土城墙遗迹，原址保护')).toBeTruthy());
    expect(within(table).getByText('150.00')).toBeTruthy(); // 亩
    expect(within(table).getByText('10.00')).toBeTruthy(); // 公顷 = 亩 / 15
    expect(screen.getByTestId('plan-state-submitted').textContent).toBe('待审核');
    expect(screen.getByTestId('action-approve')).toBeTruthy();
    expect(screen.queryByTestId('action-submit')).toBeNull();
    expect(screen.queryByTestId('zoning-tools')).toBeNull(); // reviewers do not draw

    fireEvent.click(screen.getByTestId('action-return'));
    const dialog = await screen.findByTestId('return-dialog');
    fireEvent.click(okOf(dialog));
    await waitFor(() => expect(screen.getByText('请填写退回原因')).toBeTruthy());
    expect(seen.some((r) => r.path.endsWith('/return'))).toBe(false);

    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: '避让区范围与城墙保护范围不符' } });
    fireEvent.click(okOf(dialog));
    await waitFor(() => expect(screen.getByTestId('plan-state-returned')).toBeTruthy());
    const sent = seen.find((r) => r.path.endsWith('/return'))!;
    expect(JSON.parse(sent.body)).toEqual({ reason: '避让区范围与城墙保护范围不符' });
    expect(screen.getByTestId('return-reason').textContent).toContain('避让区范围与城墙保护范围不符');
  });

  it('tells an assessor when the plan changed meanwhile (412) and reloads it', { timeout: 30000 }, async () => {
    let loads = 0;
    const seen = serve((request, path) => {
      if (path === `/api/zoning-plans/${PLAN_ID}` && request.method === 'GET') {
        loads += 1;
        return json(200, plan('draft', ['submit'], loads === 1 ? 3 : 5), { ETag: loads === 1 ? '"3"' : '"5"' });
      }
      if (path === `/api/zoning-plans/${PLAN_ID}/areas/a-2` && request.method === 'DELETE') {
        return json(412, { code: 'conflict_stale', message: '数据已被他人修改' });
      }
      return undefined;
    }, ['assessor']);
    render(<AppRoot />);

    const table = await screen.findByTestId('zoning-areas-table', {}, { timeout: 15000 });
    await waitFor(() => expect(within(table).getByText('勘探未见遗存')).toBeTruthy());
    expect(screen.getByTestId('zoning-tools')).toBeTruthy();
    const row = within(table).getByText('勘探未见遗存').closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: '删除' }));
    fireEvent.click(await screen.findByRole('button', { name: /确\s*定/ }));

    await waitFor(() => expect(screen.getByText('方案已被他人修改，已重新加载最新版本，请重新操作')).toBeTruthy(), { timeout: 5000 });
    const del = seen.find((r) => r.method === 'DELETE')!;
    expect(del.ifMatch).toBe('"3"');
    await waitFor(() => expect(loads).toBe(2));
  });

  it('undoes and redoes a delete with the buttons and Ctrl+Z / Ctrl+Shift+Z, each with the ETag of the previous step; a refused undo is said, not forced', { timeout: 30000 }, async () => {
    const withAreas = (areas: ZoningArea[], rowVersion: number) => ({ ...plan('draft', ['submit'], rowVersion), areas });
    const [a1, a2] = plan('draft', []).areas as [ZoningArea, ZoningArea];
    let loads = 0;
    let recreated = 0;
    const seen = serve((request, path) => {
      if (path === `/api/zoning-plans/${PLAN_ID}` && request.method === 'GET') {
        loads += 1;
        return loads === 1 ? json(200, withAreas([a1, a2], 3), { ETag: '"3"' }) : json(200, withAreas([a1], 9), { ETag: '"9"' });
      }
      if (path === `/api/zoning-plans/${PLAN_ID}/areas/a-2` && request.method === 'DELETE') return json(200, withAreas([a1], 4), { ETag: '"4"' });
      if (path === `/api/zoning-plans/${PLAN_ID}/areas` && request.method === 'POST') {
        recreated += 1;
        if (recreated === 1) return json(200, withAreas([a1, { ...a2, id: 'a-3' }], 5), { ETag: '"5"' });
        return json(412, { code: 'conflict_stale', message: '数据已被他人修改' });
      }
      if (path === `/api/zoning-plans/${PLAN_ID}/areas/a-3` && request.method === 'DELETE') return json(200, withAreas([a1], 6), { ETag: '"6"' });
      return undefined;
    }, ['assessor']);
    render(<AppRoot />);

    const table = await screen.findByTestId('zoning-areas-table', {}, { timeout: 15000 });
    await waitFor(() => expect(within(table).getByText('勘探未见遗存')).toBeTruthy());
    expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(true);
    const row = within(table).getByText('勘探未见遗存').closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: '删除' }));
    fireEvent.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(within(table).queryByText('勘探未见遗存')).toBeNull());

    // undo (button): the area comes back, sent with If-Match of the delete's answer and all it had
    await waitFor(() => expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(within(table).getByText('勘探未见遗存')).toBeTruthy());
    const post = seen.find((r) => r.method === 'POST' && r.path.endsWith('/areas'))!;
    expect(post.ifMatch).toBe('"4"');
    expect(JSON.parse(post.body)).toEqual({ category: 'release', geometry: a2.geometry, rationale: '勘探未见遗存' });

    // redo (Ctrl+Shift+Z): deletes the re-created area under its new id
    await waitFor(() => expect((screen.getByTestId('redo') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(within(table).queryByText('勘探未见遗存')).toBeNull());
    expect(seen.find((r) => r.method === 'DELETE' && r.path.endsWith('/a-3'))!.ifMatch).toBe('"5"');

    // undo (Ctrl+Z) once the server moved on: refused with 412, said so, reloaded, history gone
    await waitFor(() => expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    const refused = await screen.findByTestId('history-refused');
    expect(refused.textContent).toContain('服务器拒绝了此操作，未覆盖任何修改');
    expect(refused.textContent).toContain('数据已被他人修改');
    expect(seen.filter((r) => r.method === 'POST' && r.path.endsWith('/areas')).at(-1)!.ifMatch).toBe('"6"');
    await waitFor(() => expect(loads).toBe(2));
    await waitFor(() => expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(true));
    expect((screen.getByTestId('redo') as HTMLButtonElement).disabled).toBe(true);
  });

  it('imports areas from a file through the import wizard, with the category read from an attribute and the plan revision seen', { timeout: 30000 }, async () => {
    const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 35.8], [x + 0.001, 35.8], [x + 0.001, 35.801], [x, 35.8]]] });
    const features = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { index: 0, 类别: '避让区', 依据: '墓葬' }, geometry: square(112.92) },
        { type: 'Feature', properties: { index: 1, 类别: '勘探区' }, geometry: square(112.93) },
        { type: 'Feature', properties: { index: 2, 类别: '待定' }, geometry: square(112.94) },
      ],
    };
    let loads = 0;
    const seen = serve((request, path) => {
      if (path === `/api/zoning-plans/${PLAN_ID}` && request.method === 'GET') {
        loads += 1;
        return json(200, plan('draft', ['submit'], loads === 1 ? 3 : 4), { ETag: loads === 1 ? '"3"' : '"4"' });
      }
      if (path === '/api/imports/imp-1/commit') return json(200, { target: 'zoning-areas', written: 2, ids: ['a-3', 'a-4'] });
      return undefined;
    }, ['assessor']);
    // jsdom cannot send a multipart body through fetch: the preview step answers here, the commit goes over the stub
    const preview = vi
      .spyOn(importApi, 'preview')
      .mockResolvedValue({ importId: 'imp-1', format: 'geojson', crs: { epsg: 4490, detectedFrom: 'default' }, featureCount: 3, features: features as never, warnings: [] });
    render(<AppRoot />);
    await screen.findByTestId('zoning-areas-table', {}, { timeout: 15000 });

    fireEvent.click(await screen.findByTestId('open-area-import'));
    const input = (await waitFor(() => document.querySelector('.qz-import-wizard input[type=file]'))) as HTMLInputElement;
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(['{}'], 'areas.geojson')] } });
    });
    await waitFor(() => expect((screen.getByTestId('import-preview-button') as HTMLButtonElement).disabled).toBe(false));
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-preview-button'));
    });

    // the mapping: the category attribute found, known words mapped, the unknown one flagged and blocking
    expect(preview).toHaveBeenCalledWith(expect.objectContaining({ target: 'zoning-areas' }));
    const mapping = await screen.findByTestId('area-import-mapping');
    expect(mapping.textContent).toContain('以下属性值还没有对应的类别：待定');
    const confirm = screen.getByTestId('import-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);

    // leaving that row out completes it
    const rowBoxes = screen.getByTestId('import-features').querySelectorAll('tbody input[type=checkbox]');
    fireEvent.click(rowBoxes[2]!);
    await waitFor(() => expect((screen.getByTestId('import-confirm') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('import-confirm'));

    await screen.findByTestId('import-done');
    const sent = seen.find((r) => r.path === '/api/imports/imp-1/commit')!;
    expect(JSON.parse(sent.body)).toEqual({
      target: 'zoning-areas',
      featureIndexes: [0, 1],
      options: { planId: PLAN_ID, rowVersion: 3, categoryField: '类别', categoryMap: { 勘探区: 'exploration', 避让区: 'avoidance' }, rationaleField: '依据' },
    });
    // the plan is read again, with its new revision
    await waitFor(() => expect(loads).toBe(2));
    preview.mockRestore();
  });

  it('lists validation problems, zooms to one when clicked, and submits with a justification per warning', { timeout: 30000 }, async () => {
    const gap = { type: 'Polygon', coordinates: [[[112.95, 35.82], [112.951, 35.82], [112.951, 35.821], [112.95, 35.82]]] };
    const problems = [
      { code: 'gap', severity: 'error', message: '分区之间有 120 平方米的空隙', areaIds: ['a-1'], location: gap, key: 'gap:a-1@gap:1' },
      { code: 'sliver', severity: 'warning', message: '释放区有狭长碎片', areaIds: ['a-2'], location: gap, key: 'sliver:a-2' },
    ];
    let validations = 0;
    const seen = serve((request, path) => {
      if (path === `/api/zoning-plans/${PLAN_ID}`) return json(200, plan('draft', ['submit']), { ETag: '"3"' });
      if (path === `/api/zoning-plans/${PLAN_ID}/validate`) {
        validations += 1;
        // the first run finds the gap; after the (server-side) fix only the warning is left
        return json(200, { problems: validations === 1 ? problems : problems.slice(1), toleranceM2: 0.5, sliverM2: 10 });
      }
      if (path === `/api/zoning-plans/${PLAN_ID}/submit`) return json(200, plan('submitted', []), { ETag: '"4"' });
      return undefined;
    }, ['assessor']);
    render(<AppRoot />);
    await screen.findByTestId('zoning-areas-table', {}, { timeout: 15000 });
    const map = window.__qianzhi!.map;

    fireEvent.click(screen.getByRole('tab', { name: '校验' }));
    fireEvent.click(await screen.findByTestId('validate'));
    const gapItem = await screen.findByTestId('problem-gap');
    expect(gapItem.textContent).toContain('错误');
    expect(gapItem.textContent).toContain('分区之间有 120 平方米的空隙');
    expect(screen.getByTestId('problem-sliver').textContent).toContain('警告');

    fireEvent.click(gapItem);
    const highlight = map
      .getLayers()
      .getArray()
      .find((l) => l.get('id') === 'zoning-highlight') as unknown as { getSource(): { getFeatures(): unknown[] } };
    await waitFor(() => expect(highlight.getSource().getFeatures()).toHaveLength(1));

    fireEvent.click(screen.getByTestId('action-submit'));
    const dialog = await screen.findByTestId('submit-dialog');
    const field = await within(dialog).findByTestId('justify-sliver');
    fireEvent.click(okOf(dialog));
    await waitFor(() => expect(screen.getByText('每个警告都须说明理由')).toBeTruthy());
    expect(seen.some((r) => r.path.endsWith('/submit'))).toBe(false);

    fireEvent.change(field, { target: { value: '道路绿化带，宽度受现状限制' } });
    fireEvent.click(okOf(dialog));
    await waitFor(() => expect(screen.getByTestId('plan-state-submitted')).toBeTruthy());
    const sent = seen.find((r) => r.path.endsWith('/submit'))!;
    expect(JSON.parse(sent.body)).toEqual({ justifications: { 'sliver:a-2': '道路绿化带，宽度受现状限制' } });
  });
});
