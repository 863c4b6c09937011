import type { Browser, Page } from 'playwright-core';
import { CORE_RESULT_COLORS } from '../frontend/src/map/layers/evidence-colors.data';
import { startApp, type E2eApp } from './support/app';
import { launchBrowser, newDesktopPage, readScreenPixels, screenshot, signIn } from './support/browser';
import { api, apiLogin } from './support/api';

const JOURNEY = 'assessor-import';
const ZONE_CODE = 'SX-JC-GPETDZ'; // 高平经济技术开发区, which the demo seed leaves in `coring`

/** Four cores ~55 m apart near the middle of the Gaoping demo zone, lon/lat, one still only planned. */
const CORES = [
  { code: 'E2E-001', lon: 112.925, lat: 35.772, result: 'negative', depth: '2.5' },
  { code: 'E2E-002', lon: 112.9256, lat: 35.772, result: 'tomb', depth: '3.1' },
  { code: 'E2E-003', lon: 112.925, lat: 35.7725, result: 'cultural_layer', depth: '1.8' },
  { code: 'E2E-004', lon: 112.9256, lat: 35.7725, result: '', depth: '' },
];
const CSV = ['code,x,y,result,depth', ...CORES.map((c) => `${c.code},${c.lon},${c.lat},${c.result},${c.depth}`)].join('\n') + '\n';


/**
 * The seed puts Gaoping in `coring`; should it ever not, the journey brings an assessment there itself (in its
 * own database), through the same API a user's clicks would call.
 */
async function ensureCoringAssessment(app: E2eApp): Promise<void> {
  const token = await apiLogin(app, 'assessor');
  const zones = await api<{ id: string; code: string }[]>(app, token, 'GET', '/api/zones?category=industrial');
  const zone = zones.find((z) => z.code === ZONE_CODE);
  if (!zone) throw new Error(`the seed has no zone ${ZONE_CODE}`);
  const existing = await api<{ id: string; state: string }[]>(app, token, 'GET', `/api/assessments?zoneId=${zone.id}`);
  if (existing.some((a) => a.state === 'coring')) return;
  const created = existing.find((a) => a.state === 'planned' || a.state === 'surveying') ??
    (await api<{ id: string; state: string }>(app, token, 'POST', '/api/assessments', { zoneId: zone.id }));
  if (created.state === 'planned') await api(app, token, 'POST', `/api/assessments/${created.id}/start-survey`, {});
  await api(app, token, 'POST', `/api/assessments/${created.id}/start-coring`, {});
}

/** Centres the live map on a lon/lat at a zoom, waits for it to be drawn, and returns the pixels of the cores. */
async function coresAtTheirPixels(page: Page) {
  return page.evaluate(
    async ({ cores }) => {
      const map = (window as unknown as { __qianzhi: { map: any } }).__qianzhi.map;
      const layer = map.getLayers().getArray().find((l: any) => l.get('id') === 'coring-points');
      const R = 6378137;
      const toMercator = (lon: number, lat: number) => [
        (lon * Math.PI * R) / 180,
        R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)),
      ];
      const [cx, cy] = toMercator(112.9253, 35.77225);
      map.getView().setCenter([cx, cy]);
      map.getView().setZoom(18);
      await new Promise((resolve) => {
        map.once('rendercomplete', resolve);
        map.render();
      });
      const rect = (map.getTargetElement() as HTMLElement).getBoundingClientRect();
      // What a click at each position hits: the layer's hit detection on the drawn symbols (what the app's click uses).
      const clickHits: string[][] = await Promise.all(
        cores.map(async (core) => {
          const [x, y] = toMercator(core.lon, core.lat);
          const features: any[] = await layer.getFeatures(map.getPixelFromCoordinate([x, y]));
          return features.map((f) => String(f.get('code')));
        }),
      );
      return cores.map((core, i) => {
        const [x, y] = toMercator(core.lon, core.lat);
        const pixel: number[] = map.getPixelFromCoordinate([x, y]);
        // What the tiles hold within 3 m of the imported position …
        const near: any[] = layer.getFeaturesInExtent([x! - 3, y! - 3, x! + 3, y! + 3]);
        const hit = near.find((f) => f.get('code') === core.code);
        return {
          code: core.code,
          found: Boolean(hit),
          status: hit ? String(hit.get('status')) : null,
          result: hit ? (hit.get('result') ?? null) : null,
          clickable: clickHits[i]!.includes(core.code),
          screen: { x: rect.x + pixel[0]!, y: rect.y + pixel[1]! },
        };
      });
    },
    { cores: CORES },
  );
}

describe('an assessor imports cores from a CSV and sees them on the map', () => {
  let app: E2eApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp(JOURNEY);
    await ensureCoringAssessment(app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('previews the file on a map with its feature count, confirms, and the cores are drawn in their result colours', async () => {
    const page = await newDesktopPage(browser);
    await signIn(page, app.baseUrl, 'assessor');
    await page.waitForURL('**/map');

    await page.getByTestId('side-menu').getByText('评估工作', { exact: true }).click();
    await page.getByTestId('assessments-table').waitFor();
    await page.getByTestId(`open-${ZONE_CODE}`).click();

    const workspace = page.getByTestId('assessment-workspace');
    await workspace.waitFor();
    await page.getByTestId('assessment-state').getByText('大孔距实探').waitFor();
    // The step bar's current step is coring, and the only forward action offered is the one the server allows.
    expect(await page.locator('.qz-assessment-steps .ant-steps-item-process').innerText()).toContain('大孔距实探');
    expect(await page.getByTestId('action-start-zoning').isVisible()).toBe(true);
    expect(await page.getByTestId('action-conclude').count()).toBe(0);
    const coresBefore = await page.getByTestId('assessment-cores').innerText();

    await page.getByTestId('open-import').click();
    // The dialog itself (antd's modal root is a zero-size wrapper).
    const wizard = page.locator('.ant-modal.qz-import-wizard');
    await wizard.waitFor();
    expect(await wizard.getByTestId('import-target').innerText()).toContain('探孔');
    await wizard.locator('input[type=file]').setInputFiles({ name: 'e2e-cores.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await wizard.getByTestId('import-preview-button').click();

    const count = wizard.getByTestId('import-preview-count');
    await count.waitFor({ timeout: 30_000 });
    expect(await count.innerText()).toBe('共读取 4 个要素');
    // The CRS the server settled on is named in words (lon/lat detected from the values).
    expect(await wizard.getByTestId('import-preview-crs').innerText()).toMatch(/EPSG:4490|EPSG:4326/);
    expect(await wizard.getByTestId('import-features').locator('tbody tr.ant-table-row').count()).toBe(4);
    // The preview is drawn: the dialog's map has a canvas with the four points on it.
    await wizard.locator('.qz-import-map canvas').first().waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, JOURNEY, 'preview');

    await wizard.getByTestId('import-confirm').click();
    await wizard.getByTestId('import-done').getByText('已导入 4 条记录').waitFor({ timeout: 30_000 });
    await wizard.getByTestId('import-finish').click();
    await wizard.waitFor({ state: 'hidden' });

    // The counts move on without a reload.
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="assessment-cores"]')?.textContent !== before,
      coresBefore,
      { timeout: 15_000 },
    );

    // The refreshed vector tiles carry the imported cores, where they were imported, with their results.
    let probes = await coresAtTheirPixels(page);
    for (let attempt = 0; attempt < 10 && probes.some((p) => !p.found || !p.clickable); attempt++) {
      await page.waitForTimeout(500);
      probes = await coresAtTheirPixels(page);
    }
    await screenshot(page, JOURNEY, 'cores-on-map');
    expect(probes.map((p) => [p.code, p.found, p.status, p.result, p.clickable])).toEqual([
      ['E2E-001', true, 'cored', 'negative', true],
      ['E2E-002', true, 'cored', 'tomb', true],
      ['E2E-003', true, 'cored', 'cultural_layer', true],
      ['E2E-004', true, 'planned', null, true],
    ]);

    // And the user sees them in colour: the tomb red, the cultural layer amber, at their pixels.
    const [tomb, cultural] = await readScreenPixels(page, [probes[1]!.screen, probes[2]!.screen]);
    const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 24);
    expect({ tomb, near: near(tomb!, hex(CORE_RESULT_COLORS.tomb)) }).toEqual({ tomb, near: true });
    expect({ cultural, near: near(cultural!, hex(CORE_RESULT_COLORS.cultural_layer)) }).toEqual({ cultural, near: true });

    // Clicking the tomb opens its record.
    await page.mouse.click(probes[1]!.screen.x, probes[1]!.screen.y);
    const drawer = page.getByTestId('record-drawer');
    await drawer.getByText('探孔 E2E-002').waitFor({ timeout: 15_000 });
    expect(await drawer.innerText()).toContain('墓葬');
    await screenshot(page, JOURNEY, 'core-record');
    await page.context().close();
  });
});
