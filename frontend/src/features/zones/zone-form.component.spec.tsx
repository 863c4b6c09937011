import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/client';
import { AppRoot } from '../../app/app-root.component';
import { installPaintlessCanvas } from '../../map/tools/simulated-pointer.test-util';
import { featuresToMultiPolygon } from './zone-form.component';

const COMMITTEE_ID = '33333333-3333-4333-8333-333333333333';
const ZONE_ID = '44444444-4444-4444-8444-444444444444';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const SQUARE_A = [[[112.9, 36.3], [112.91, 36.3], [112.91, 36.31], [112.9, 36.31], [112.9, 36.3]]];
const SQUARE_B = [[[112.92, 36.3], [112.93, 36.3], [112.93, 36.31], [112.92, 36.31], [112.92, 36.3]]];
const SQUARE_C = [[[112.95, 36.3], [112.96, 36.3], [112.96, 36.31], [112.95, 36.31], [112.95, 36.3]]];

/** What the server reads from the red-line file: two polygons of the zone and a third one the admin leaves out. */
const PREVIEW = {
  importId: '55555555-5555-4555-8555-555555555555',
  format: 'geojson',
  crs: { epsg: 4490, detectedFrom: 'file' },
  featureCount: 3,
  features: {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', id: 0, geometry: { type: 'Polygon', coordinates: SQUARE_A }, properties: { name: '东区' } },
      { type: 'Feature', id: 1, geometry: { type: 'MultiPolygon', coordinates: [SQUARE_B] }, properties: { name: '西区' } },
      { type: 'Feature', id: 2, geometry: { type: 'Polygon', coordinates: SQUARE_C }, properties: { name: '预留' } },
    ],
  },
  warnings: [],
};

const EXISTING_ZONE = {
  id: ZONE_ID,
  code: 'SX-CZ-TL',
  name: '屯留经济技术开发区',
  nameEn: null,
  category: 'industrial',
  level: 'provincial',
  division: { code: '140405', name: '屯留区' },
  committeeOrg: null,
  areaM2: 1_000_000,
  areaMu: 1500,
  areaHa: 100,
  assessmentStatus: 'not_started',
  isDemo: false,
  bbox: [112.9, 36.3, 112.93, 36.31],
};

function signIn(roles: string[]) {
  session.set({
    accessToken: 'token',
    refreshToken: 'refresh',
    expiresIn: 900,
    user: { id: 'u-1', username: 'demo', displayName: '演示用户', roles, org: { id: 'o-1', name: '山西省文物局', type: 'bureau' }, scopes: [] },
  } as never);
}

function serve(roles: string[], onCreate: (body: unknown) => Response) {
  const seen: { method: string; path: string; body: string }[] = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    const path = new URL(request.url).pathname;
    const isJson = (request.headers.get('Content-Type') ?? '').includes('json');
    const body = isJson ? await request.clone().text() : '';
    seen.push({ method: request.method, path, body });
    if (path === '/api/auth/me') return json(200, session.get()!.user);
    if (path === '/api/config/public') return json(200, { tiandituKey: null });
    if (path === '/api/zones' && request.method === 'GET') return json(200, [EXISTING_ZONE]);
    if (path === '/api/zones' && request.method === 'POST') return onCreate(JSON.parse(body));
    if (path === `/api/zones/${ZONE_ID}` && request.method === 'PATCH')
      return json(200, { ...EXISTING_ZONE, ...JSON.parse(body), areaMu: 1500, areaHa: 100 });
    if (path === '/api/divisions')
      return json(200, [
        { code: '140000', name: '山西省', nameEn: 'Shanxi', parentCode: null, level: 'province' },
        { code: '140400', name: '长治市', nameEn: 'Changzhi', parentCode: '140000', level: 'city' },
        { code: '140405', name: '屯留区', nameEn: 'Tunliu', parentCode: '140400', level: 'county' },
      ]);
    if (path === '/api/admin/orgs')
      return json(200, [
        { id: COMMITTEE_ID, type: 'zone_committee', name: '屯留经开区管委会', nameEn: null, divisionCode: '140405', divisionName: '屯留区', userCount: 2 },
        { id: 'o-1', type: 'bureau', name: '山西省文物局', nameEn: null, divisionCode: '140000', divisionName: '山西省', userCount: 5 },
      ]);
    if (path === '/api/imports/preview') return json(200, PREVIEW);
    if (path.startsWith('/api/layers/')) return json(200, { type: 'FeatureCollection', features: [] });
    return json(404, { code: 'not_found', message: '不存在' });
  });
  signIn(roles);
  window.history.pushState({}, '', '/zones');
  return seen;
}

/** Opens an antd Select/TreeSelect by its test id and clicks the option with this text. */
async function choose(testId: string, text: string, optionSelector: string) {
  const select = screen.getByTestId(testId).closest('.ant-select') as HTMLElement;
  fireEvent.mouseDown(select.querySelector('.ant-select-selector') as HTMLElement);
  const option = await waitFor(() => {
    const found = [...document.querySelectorAll<HTMLElement>(optionSelector)].find((el) => el.textContent === text);
    if (!found) throw new Error(`no option ${text}`);
    return found;
  });
  fireEvent.click(option);
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

describe('zones registry form', () => {
  it('collects Polygon and MultiPolygon features into one MultiPolygon, leaving other geometries out', () => {
    expect(
      featuresToMultiPolygon([
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: SQUARE_A }, properties: {} },
        { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [SQUARE_B, SQUARE_C] }, properties: {} },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [112.9, 36.3] }, properties: {} },
      ]),
    ).toEqual({ type: 'MultiPolygon', coordinates: [SQUARE_A, SQUARE_B, SQUARE_C] });
    expect(featuresToMultiPolygon([])).toBeNull();
  });

  it('offers no register button or edit action to a non-admin', { timeout: 30000 }, async () => {
    serve(['reviewer'], () => json(500, {}));
    render(<AppRoot />);
    const table = await screen.findByTestId('zones-table', {}, { timeout: 15000 });
    await waitFor(() => expect(within(table).getByText('屯留经济技术开发区')).toBeTruthy());
    expect(screen.queryByTestId('zone-register')).toBeNull();
    expect(screen.queryByTestId('zone-edit-SX-CZ-TL')).toBeNull();
  });

  it('lets an admin register a zone from a red-line file: POST with the chosen polygons as one MultiPolygon; a duplicate code shows the server’s message', { timeout: 60000 }, async () => {
    let attempts = 0;
    const seen = serve(['admin'], (body) => {
      attempts += 1;
      if (attempts === 1) return json(409, { code: 'zone_code_taken', message: '开发区编码“SX-CZ-XY”已存在' });
      return json(200, { ...EXISTING_ZONE, ...(body as object), id: 'new', areaMu: 300, areaHa: 20, division: { code: '140405', name: '屯留区' } });
    });
    render(<AppRoot />);
    expect(await screen.findByTestId('zone-edit-SX-CZ-TL', {}, { timeout: 15000 })).toBeTruthy();
    fireEvent.click(await screen.findByTestId('zone-register'));

    const form = await screen.findByTestId('zone-form');
    fireEvent.change(within(form).getByTestId('zone-form-code'), { target: { value: 'SX-CZ-XY' } });
    fireEvent.change(within(form).getByTestId('zone-form-name'), { target: { value: '新园经济开发区' } });
    fireEvent.change(within(form).getByTestId('zone-form-name-en'), { target: { value: 'Xinyuan Economic Development Zone' } });
    await choose('zone-form-category', '农业类', '.ant-select-item-option');
    await choose('zone-form-level', '国家级', '.ant-select-item-option');
    await choose('zone-form-division', '屯留区（140405）', '.ant-select-tree-title');
    await choose('zone-form-committee', '屯留经开区管委会', '.ant-select-item-option');

    // The boundary: a file through the import wizard, keeping the first two of its three features.
    fireEvent.click(screen.getByTestId('zone-form-boundary'));
    const input = (await waitFor(() => {
      const found = document.querySelector('.qz-import-wizard input[type=file]');
      if (!found) throw new Error('no wizard');
      return found;
    })) as HTMLInputElement;
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(['{}'], 'red-line.geojson', { type: 'application/geo+json' })] } });
    });
    await waitFor(() => expect((screen.getByTestId('import-preview-button') as HTMLButtonElement).disabled).toBe(false));
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-preview-button'));
    });
    const features = await screen.findByTestId('import-features');
    const boxes = features.querySelectorAll('tbody input[type=checkbox]');
    expect(boxes).toHaveLength(3);
    fireEvent.click(boxes[2]!);
    await act(async () => {
      fireEvent.click(screen.getByTestId('import-confirm'));
    });
    await waitFor(() => expect(screen.getByTestId('zone-form-boundary-status').textContent).toBe('已选择边界：2 个面'));
    // Choosing features writes nothing: only the preview went to the server.
    expect(seen.some((s) => s.path.includes('/commit'))).toBe(false);

    await act(async () => {
      fireEvent.click(screen.getByTestId('zone-form-submit'));
    });
    await waitFor(() => expect(screen.getByTestId('zone-form-error').textContent).toContain('开发区编码“SX-CZ-XY”已存在'));

    await act(async () => {
      fireEvent.click(screen.getByTestId('zone-form-submit'));
    });
    await waitFor(() => expect(screen.getByText('已保存，面积 300.00 亩（20.00 公顷）')).toBeTruthy());
    const posts = seen.filter((s) => s.method === 'POST' && s.path === '/api/zones');
    expect(posts).toHaveLength(2);
    expect(JSON.parse(posts[1]!.body)).toEqual({
      code: 'SX-CZ-XY',
      name: '新园经济开发区',
      nameEn: 'Xinyuan Economic Development Zone',
      category: 'agricultural',
      level: 'national',
      divisionCode: '140405',
      committeeOrgId: COMMITTEE_ID,
      boundary: { type: 'MultiPolygon', coordinates: [SQUARE_A, SQUARE_B] },
    });
    // the list is loaded again after saving
    await waitFor(() => expect(seen.filter((s) => s.method === 'GET' && s.path === '/api/zones').length).toBeGreaterThanOrEqual(2));
  });

  it('lets an admin edit a zone: PATCH carries only the changed fields, and the code cannot be changed', { timeout: 30000 }, async () => {
    const seen = serve(['admin'], () => json(500, {}));
    render(<AppRoot />);
    fireEvent.click(await screen.findByTestId('zone-edit-SX-CZ-TL', {}, { timeout: 15000 }));
    const form = await screen.findByTestId('zone-form');
    const code = within(form).getByTestId('zone-form-code') as HTMLInputElement;
    expect(code.value).toBe('SX-CZ-TL');
    expect(code.disabled).toBe(true);
    fireEvent.change(within(form).getByTestId('zone-form-name'), { target: { value: '屯留经济技术开发区（扩区）' } });
    await choose('zone-form-level', '国家级', '.ant-select-item-option');
    await act(async () => {
      fireEvent.click(screen.getByTestId('zone-form-submit'));
    });
    await waitFor(() => expect(screen.getByText('已保存，面积 1,500.00 亩（100.00 公顷）')).toBeTruthy());
    const patches = seen.filter((s) => s.method === 'PATCH');
    expect(patches.map((p) => p.path)).toEqual([`/api/zones/${ZONE_ID}`]);
    expect(JSON.parse(patches[0]!.body)).toEqual({ name: '屯留经济技术开发区（扩区）', level: 'national' });
  });
});
