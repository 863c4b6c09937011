import { join } from 'node:path';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS_DIR, type E2eApp } from './support/app';
import { screenshot, signIn, useJourney } from './support/browser';

const JOURNEY = 'dashboard';

/** Figures straight from the journey's own seeded database, to compare with what the charts draw. */
async function seeded(app: E2eApp, sql: string, params: unknown[] = []): Promise<any[]> {
  const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${app.db.name}` });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A tall desktop page, so the whole dashboard fits one screenshot. */
async function tallPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1900 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  return context.newPage();
}

/** The chart's accessible description ("工业类 7; 农业类 1; 文旅类 1") and its drawn segments/bars with their on-screen sizes. */
async function chart(page: Page, testId: string, shape: string) {
  const card = page.getByTestId(testId);
  await card.locator('svg[role="img"]').first().waitFor();
  return card.evaluate((el, selector) => ({
    desc: el.querySelector('svg[role="img"] desc')?.textContent ?? '',
    shapes: Array.from(el.querySelectorAll(selector)).map((s) => {
      const box = s.getBoundingClientRect();
      return {
        key: s.getAttribute('data-key') ?? s.closest('g')?.getAttribute('data-key') ?? '',
        value: Number(s.getAttribute('data-value') ?? s.getAttribute('data-share')),
        width: box.width,
        height: box.height,
        title: s.querySelector('title')?.textContent ?? s.closest('g')?.querySelector(':scope > title')?.textContent ?? '',
      };
    }),
  }), shape);
}

describe('the province dashboard', () => {
  const journey = useJourney(JOURNEY);

  it('the reviewer opens it from the menu and the charts draw the seeded figures', async () => {
    const { app, browser } = journey;
    const counts = Object.fromEntries(
      (await seeded(app, `SELECT category, count(*)::int AS n FROM zones GROUP BY category`)).map((r) => [r.category, r.n]),
    ) as Record<string, number>;
    expect(counts.industrial).toBeGreaterThan(0);

    const page = await tallPage(browser);
    await signIn(page, app.baseUrl, 'reviewer');
    await page.waitForURL('**/map');
    await page.getByTestId('side-menu').getByText('统计看板', { exact: true }).click();
    await page.waitForURL('**/dashboard');
    await page.getByRole('heading', { name: '全省看板' }).waitFor();

    // zones by category: the donut's segments are the registered zones, in the map's category colours
    const donut = await chart(page, 'chart-zones-by-category', 'circle.qz-chart-segment');
    expect(donut.desc).toContain(`工业类 ${counts.industrial}`);
    const industrial = donut.shapes.find((s) => s.key === 'industrial')!;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(industrial.value).toBeCloseTo((counts.industrial! / total) * 100, 6);
    expect(industrial.title).toContain(`工业类: ${counts.industrial}`);
    await page.getByText(/全省公布：工业类 71 个，农业类／文旅类 22 个/).waitFor();

    // assessment progress: the industrial row is split into the states of its zones' assessments
    const assessment = await chart(page, 'chart-assessment', 'rect.qz-chart-segment');
    expect(assessment.desc).toContain(`工业类 ${counts.industrial}`);
    expect(assessment.shapes.filter((s) => s.title.startsWith('工业类')).length).toBeGreaterThan(1);

    // areas in 亩: the issued Tunliu plan's three categories, bars as long (on screen) as their areas
    const areas = await chart(page, 'chart-areas', 'rect.qz-chart-value-bar');
    expect(areas.shapes.map((s) => s.key)).toEqual(['avoidance', 'exploration', 'release']);
    const [issued] = await seeded(app,
      `SELECT sum(ST_Area(a.geom::geography)) FILTER (WHERE a.category = 'exploration') / (10000 / 15.0) AS exploration_mu,
              sum(ST_Area(a.geom::geography)) FILTER (WHERE a.category = 'release') / (10000 / 15.0) AS release_mu
         FROM zoning_areas a JOIN zoning_plans p ON p.id = a.plan_id WHERE p.state = 'issued'`);
    const bar = (k: string) => areas.shapes.find((s) => s.key === k)!;
    expect(bar('exploration').value).toBeCloseTo(Number(issued.exploration_mu), 1);
    expect(bar('release').value).toBeGreaterThan(0);
    expect(bar('release').width / bar('exploration').width).toBeCloseTo(Number(issued.release_mu) / Number(issued.exploration_mu), 2);

    // all zone land in one bar: the unzoned part as wide as its share of the zones' land
    const land = await chart(page, 'chart-land', 'rect.qz-chart-segment');
    expect(land.shapes.map((s) => s.key)).toEqual(['avoidance', 'exploration', 'release', 'unzoned']);
    const [zoneLand] = await seeded(app, `SELECT sum(ST_Area(boundary::geography)) AS m2 FROM zones`);
    const landWidth = land.shapes.reduce((s, x) => s + x.width, 0);
    const unzoned = land.shapes.find((s) => s.key === 'unzoned')!;
    expect(unzoned.width / landWidth).toBeCloseTo(unzoned.value / Number(zoneLand.m2), 2);
    expect(unzoned.title).toMatch(/^全部土地 · 未分区: [\d,.]+ 亩$/);

    // reports and deadlines show whatever the seed holds: a chart when there are reports, the empty state when not
    const [reports] = await seeded(app, `SELECT count(*)::int AS n, count(*) FILTER (WHERE state <> 'closed')::int AS open FROM discovery_reports`);
    const reportCard = page.getByTestId('chart-reports');
    if (reports.n === 0) {
      await reportCard.getByText('暂无新发现报告').waitFor();
    } else {
      const bars = await chart(page, 'chart-reports', 'rect.qz-chart-value-bar');
      expect(bars.shapes.find((s) => s.key === 'open')!.value).toBe(reports.open);
    }
    const gauges = await page.getByTestId('chart-deadlines').locator('text.qz-chart-total').allTextContents();
    expect(gauges).toHaveLength(2);
    for (const g of gauges) expect(g).toMatch(/^(—|\d+(\.\d)?%)$/);

    const table = page.getByTestId('dashboard-divisions');
    await table.getByText('屯留区').waitFor();
    await page.screenshot({ path: join(ARTIFACTS_DIR, `${JOURNEY}-reviewer.png`) });
    await page.context().close();
  });

  it('the county authority sees only its county; the contractor has no dashboard', async () => {
    const { app, browser } = journey;
    const [tunliu] = await seeded(app, `SELECT count(*)::int AS n FROM zones WHERE division_code = '140405'`);
    const page = await tallPage(browser);
    await signIn(page, app.baseUrl, 'authority');
    await page.waitForURL('**/discoveries'); // the authority's home is its discovery desk
    await page.goto(`${app.baseUrl}/dashboard`);
    await page.getByRole('heading', { name: '屯留区看板' }).waitFor();
    const donut = await chart(page, 'chart-zones-by-category', 'circle.qz-chart-segment');
    expect(donut.desc).toContain(`工业类 ${tunliu.n}`);
    expect(await page.getByText(/全省公布/).count()).toBe(0);
    const rows = await page.getByTestId('dashboard-divisions').locator('tbody tr.ant-table-row').count();
    expect(rows).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS_DIR, `${JOURNEY}-county-authority.png`) });
    await page.context().close();

    const contractor = await tallPage(browser);
    await signIn(contractor, app.baseUrl, 'contractor');
    await contractor.waitForURL('**/field'); // the contractor's home is its projects
    expect(await contractor.getByTestId('side-menu').getByText('统计看板').count()).toBe(0);
    await contractor.goto(`${app.baseUrl}/dashboard`);
    await contractor.waitForURL('**/field');
    await screenshot(contractor, JOURNEY, 'contractor-no-dashboard');
    await contractor.context().close();
  });
});
