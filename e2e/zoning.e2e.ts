import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { newDesktopPage, screenshot, signIn, useJourney } from './support/browser';
import { apiLogin as login } from './support/api';

const JOURNEY = 'zoning';
// ~60 spaced clicks, three validations and the opinion PDF: longer than the default journey budget on a busy machine
jest.setTimeout(240_000);
/** 晋城经济技术开发区: surveyed, no registered relics and no cores yet, no zoning plan in the demo seed. */
const ZONE_CODE = 'SX-JC-JCETDZ';

type Xy = [number, number];

/** The zone's boundary ring (without the closing vertex) and a point inside it, in the map's view projection. */
interface ZoneGeometry {
  ring: Xy[];
  centre: Xy;
}

async function zoneGeometry(page: Page): Promise<ZoneGeometry> {
  await page.waitForFunction(
    (code) => {
      const map = (window as any).__qianzhi?.map;
      const layer = map?.getLayers().getArray().find((l: any) => l.get('id') === 'zones');
      return Boolean(layer?.getSource()?.getFeatures().some((f: any) => f.get('code') === code));
    },
    ZONE_CODE,
    { timeout: 30_000 },
  );
  return page.evaluate((code) => {
    const map = (window as any).__qianzhi.map;
    const layer = map.getLayers().getArray().find((l: any) => l.get('id') === 'zones');
    const feature = layer.getSource().getFeatures().find((f: any) => f.get('code') === code);
    const geometry = feature.getGeometry();
    const rings: number[][][] = geometry.getType() === 'MultiPolygon' ? geometry.getCoordinates()[0] : geometry.getCoordinates();
    const ring = rings[0]!.slice(0, -1) as [number, number][];
    const centre: [number, number] = [0, 0];
    ring.forEach(([x, y]) => {
      centre[0] += x / ring.length;
      centre[1] += y / ring.length;
    });
    return { ring, centre };
  }, ZONE_CODE);
}

/** Page pixels of view coordinates, after the map has finished drawing the current view. */
async function toScreen(page: Page, coordinates: Xy[]): Promise<Xy[]> {
  return page.evaluate(async (coords) => {
    const map = (window as any).__qianzhi.map;
    await new Promise((resolve) => {
      map.once('rendercomplete', resolve);
      map.render();
    });
    const rect = (map.getTargetElement() as HTMLElement).getBoundingClientRect();
    return coords.map((c) => {
      const [x, y] = map.getPixelFromCoordinate(c) as [number, number];
      return [rect.x + x, rect.y + y] as [number, number];
    });
  }, coordinates);
}

/** Features on one of the workspace's map layers (by its `id` property). */
function featuresOn(page: Page, layerId: string): Promise<number> {
  return page.evaluate((id) => {
    const map = (window as any).__qianzhi.map;
    const layer = map.getLayers().getArray().find((l: any) => l.get('id') === id);
    return layer ? layer.getSource().getFeatures().length : -1;
  }, layerId);
}

/**
 * Draws one polygon with real mouse clicks at the given view coordinates, closing it by clicking the first
 * vertex again, then fills in the area form. Clicks are spaced so OpenLayers never reads two as a double-click.
 */
async function drawArea(page: Page, vertices: Xy[], category: string, rationale: string, shot?: string): Promise<void> {
  const pixels = await toScreen(page, vertices);
  for (const [i, [x, y]] of pixels.entries()) {
    await page.mouse.move(x, y, { steps: 4 });
    await page.mouse.click(x, y);
    await page.waitForTimeout(320);
    if (i === 3) {
      // the live area readout of the sketch, in 亩 and 公顷
      expect(await page.getByTestId('sketch-area').innerText()).toMatch(/^[\d,.]+ 亩（[\d,.]+ 公顷）$/);
      if (shot) await screenshot(page, JOURNEY, shot);
    }
  }
  const [x0, y0] = pixels[0]!;
  await page.mouse.move(x0, y0, { steps: 4 });
  await page.mouse.click(x0, y0);

  const form = page.locator('.ant-modal').filter({ hasText: '新增分区' });
  await form.waitFor();
  await form.getByText(category, { exact: true }).click();
  await form.locator('textarea').fill(rationale);
  await form.locator('.ant-btn-primary').click();
  await form.waitFor({ state: 'hidden' });
}

async function areasInTable(page: Page, count: number): Promise<void> {
  await page.getByRole('tab', { name: `分区（${count}）` }).waitFor({ timeout: 15_000 });
}

/** antd's confirm dialog of a workflow action: press its OK button. */
async function confirmAction(page: Page, action: string): Promise<void> {
  await page.getByTestId(`action-${action}`).click();
  const confirm = page.locator('.ant-modal-confirm');
  await confirm.waitFor();
  await confirm.locator('.ant-btn-primary').click();
  await confirm.waitFor({ state: 'hidden' });
}

describe('zoning: the assessor draws and submits a plan, the reviewer approves and issues it', () => {
  const journey = useJourney(JOURNEY);
  let planId = '';

  it('the assessor draws three snapped areas, validation finds the gap left, filling it makes the plan clean, and submits it', async () => {
    const { app, browser } = journey;
    const page = await newDesktopPage(browser);
    await signIn(page, app.baseUrl, 'assessor');
    await page.waitForURL('**/map');
    await page.getByTestId('side-menu').getByText('分区方案', { exact: true }).click();
    await page.getByTestId('zoning-plans-table').waitFor();

    // Pick the zone and start its first draft.
    await page.locator('.ant-select').filter({ has: page.getByTestId('zoning-zone') }).or(page.locator('.ant-select[data-testid="zoning-zone"]')).first().click();
    await page.keyboard.type(ZONE_CODE);
    await page.locator('.ant-select-item-option').filter({ hasText: ZONE_CODE }).click();
    await page.getByTestId('new-draft').click();
    await page.getByTestId('zoning-workspace').waitFor();
    await page.getByTestId('plan-state-draft').waitFor();
    planId = new URL(page.url()).searchParams.get('plan') ?? '';
    expect(planId).toMatch(/^[0-9a-f-]{36}$/);
    await areasInTable(page, 0);

    const { ring, centre } = await zoneGeometry(page);
    const n = ring.length;
    expect(n).toBeGreaterThanOrEqual(24);
    const third = Math.floor(n / 3);
    const gapFrom = n - 4; // the last four boundary segments are left out on purpose
    const arc = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => ring[(from + k) % n]!);

    await page.getByTestId('zoning-tools').getByText('绘制', { exact: true }).click();
    // Each wedge starts at the centre and follows the zone boundary: every vertex but the first centre click
    // lands on a boundary vertex or the previous wedge's centre vertex, where the snap takes it exactly.
    await drawArea(page, [centre, ...arc(0, third)], '避让区', 'e2e：东侧遗存线索集中，划为避让区', 'drawing');
    await areasInTable(page, 1);
    await drawArea(page, [centre, ...arc(third, 2 * third)], '勘探区', 'e2e：西北部尚需勘探');
    await areasInTable(page, 2);
    await drawArea(page, [centre, ...arc(2 * third, gapFrom)], '释放区', 'e2e：南部实探阴性，释放');
    await areasInTable(page, 3);
    expect(await featuresOn(page, 'zoning-areas')).toBe(3);

    // Undo the last drawing with Ctrl+Z, redo it with the button: the area comes back where it was.
    await page.keyboard.press('Control+z');
    await areasInTable(page, 2);
    expect(await featuresOn(page, 'zoning-areas')).toBe(2);
    await page.getByTestId('redo').click();
    await areasInTable(page, 3);
    expect(await featuresOn(page, 'zoning-areas')).toBe(3);
    await screenshot(page, JOURNEY, 'three-areas');

    // Validation finds exactly the gap left between the third wedge and the first.
    await page.getByRole('tab', { name: '校验' }).click();
    await page.getByTestId('validate').click();
    const gap = page.getByTestId('problem-gap');
    await gap.first().waitFor({ timeout: 30_000 });
    expect(await gap.count()).toBe(1);
    expect(await page.getByTestId('problem-overlap').count()).toBe(0);
    expect(await page.getByTestId('problem-outside_boundary').count()).toBe(0);
    await gap.click(); // zooms to the gap and outlines it
    await page.waitForTimeout(500);
    await screenshot(page, JOURNEY, 'gap-found');

    // Fill the gap: a fourth wedge snapped to the centre, the third wedge's last edge and the first one's.
    await drawArea(page, [centre, ...arc(gapFrom, n)], '释放区', 'e2e：补齐缺口，实探阴性');
    await areasInTable(page, 4);
    await page.getByRole('tab', { name: '校验' }).click();
    await page.getByTestId('validate').click();
    await page.getByTestId('no-problems').waitFor({ timeout: 30_000 });
    await screenshot(page, JOURNEY, 'validation-clean');

    // The snapped vertices are stored exactly: every area vertex is a boundary vertex or the one shared centre.
    const token = await login(app, 'assessor');
    const plan = (await (await fetch(`${app.baseUrl}/api/zoning-plans/${planId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      areas: { geometry: { coordinates: number[][][] } }[];
    };
    const zones = (await (await fetch(`${app.baseUrl}/api/layers/zones?bbox=110,34,115,40`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      features: { properties: { code: string }; geometry: { type: string; coordinates: any } }[];
    };
    const zone = zones.features.find((f) => f.properties.code === ZONE_CODE)!;
    const boundary: number[][] = zone.geometry.type === 'MultiPolygon' ? zone.geometry.coordinates[0][0] : zone.geometry.coordinates[0];
    const key = (c: number[]) => `${c[0]!.toFixed(9)},${c[1]!.toFixed(9)}`;
    const onBoundary = new Set(boundary.map(key));
    const others = new Set(plan.areas.flatMap((a) => a.geometry.coordinates[0]!.map(key)).filter((k) => !onBoundary.has(k)));
    expect(plan.areas).toHaveLength(4);
    expect(others.size).toBe(1); // the centre, identical in all four areas

    await page.getByTestId('action-submit').click();
    const dialog = page.locator('.ant-modal-content').filter({ has: page.locator('.ant-modal-title', { hasText: '提交审核' }) });
    await dialog.getByText('校验未发现问题，可以提交。').waitFor({ timeout: 30_000 });
    await screenshot(page, JOURNEY, 'submit');
    await dialog.locator('.ant-btn-primary').click();
    await page.getByTestId('plan-state-submitted').waitFor({ timeout: 15_000 });
    await screenshot(page, JOURNEY, 'submitted');
    await page.context().close();
  });

  it('the reviewer opens it from the queue, sees the changes on the map, approves, issues and downloads the opinion PDF', async () => {
    const { app, browser } = journey;
    expect(planId).not.toBe('');
    const page = await newDesktopPage(browser);
    await signIn(page, app.baseUrl, 'reviewer');
    await page.getByTestId('side-menu').getByText('分区方案', { exact: true }).click();
    // The reviewer lands on the queue of submitted plans.
    const open = page.getByTestId(`open-plan-${ZONE_CODE}-v1`);
    await open.waitFor({ timeout: 15_000 });
    await open.click();
    const workspace = page.getByTestId('zoning-workspace');
    await workspace.getByTestId('plan-state-submitted').waitFor();

    await page.getByRole('tab', { name: '对比' }).click();
    const added = page.getByTestId('diff-added');
    await added.first().waitFor({ timeout: 15_000 });
    expect(await added.count()).toBe(4); // a first plan: everything in it is new
    await page.waitForFunction(() => {
      const map = (window as any).__qianzhi?.map;
      const layer = map?.getLayers().getArray().find((l: any) => l.get('id') === 'zoning-diff');
      return layer?.getSource().getFeatures().length === 4;
    });
    await page.waitForTimeout(500);
    await screenshot(page, JOURNEY, 'review-diff');

    await confirmAction(page, 'approve');
    await workspace.getByTestId('plan-state-approved').waitFor({ timeout: 15_000 });
    await confirmAction(page, 'issue');
    await workspace.getByTestId('plan-state-issued').waitFor({ timeout: 60_000 });
    const number = await page.locator('.qz-workspace-head .ant-tag').filter({ hasText: '号' }).innerText();
    expect(number).toMatch(/^晋文物函〔\d{4}〕\d+号$/);
    await screenshot(page, JOURNEY, 'issued');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-opinion').click()]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    const path = await download.path();
    const pdf = readFileSync(path!);
    expect(pdf.length).toBeGreaterThan(1000);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.context().close();
  });
});
