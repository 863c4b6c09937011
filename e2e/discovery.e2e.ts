import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { REPO_ROOT, startApp, type E2eApp } from './support/app';
import { launchBrowser, newDesktopPage, screenshot, signIn } from './support/browser';
import { api, apiLogin as login } from './support/api';

const JOURNEY = 'discovery';
const PHOTO = join(REPO_ROOT, 'e2e', 'fixtures', 'find-photo.jpg');

interface Project {
  id: string;
  name: string;
  state: 'active' | 'stopped' | 'completed';
  parcelId: string;
}
interface Discovery {
  id: string;
  projectId: string;
  state: string;
  photos: unknown[];
  stopWorkOrder: { state: string; acknowledgedAt: string | null };
  nationalAnswer: { reference: string } | null;
}

/** A point well inside the parcel: the middle of its first ring's vertices (the demo parcels are convex). */
function insideOf(geometry: { type: string; coordinates: any }): { longitude: number; latitude: number } {
  const ring: number[][] = geometry.type === 'MultiPolygon' ? geometry.coordinates[0][0] : geometry.coordinates[0];
  const points = ring.slice(0, -1);
  return {
    longitude: points.reduce((s, p) => s + p[0]!, 0) / points.length,
    latitude: points.reduce((s, p) => s + p[1]!, 0) / points.length,
  };
}

/** What the phone's IndexedDB outbox holds: the reports, and the bytes of their photos. */
function outboxContents(page: Page) {
  return page.evaluate(
    () =>
      new Promise<Array<{ id: string; photoBytes: number[]; data: string }>>((resolve, reject) => {
        const open = indexedDB.open('qianzhi-field');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('discovery-outbox')) return resolve([]);
          const request = db.transaction('discovery-outbox').objectStore('discovery-outbox').getAll();
          request.onsuccess = () =>
            resolve(
              (request.result as Array<{ id: string; data: string; photos: Array<{ blob: Blob }> }>).map((item) => ({
                id: item.id,
                data: item.data,
                photoBytes: item.photos.map((p) => p.blob.size),
              })),
            );
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

describe('a find reported offline from the trench reaches the authority once, and the authority takes it to resumption', () => {
  let app: E2eApp;
  let browser: Browser;
  let phone: BrowserContext;
  let project: Project;
  let contractorToken: string;
  /** reports the seed already holds on that project (its story includes a closed find with history) */
  let seeded: string[];
  const newReports = async () =>
    (await api<Discovery[]>(app, contractorToken, 'GET', `/api/discoveries?projectId=${project.id}`)).filter((d) => !seeded.includes(d.id));

  beforeAll(async () => {
    app = await startApp(JOURNEY);
    browser = await launchBrowser();
    contractorToken = await login(app, 'contractor');
    const projects = await api<Project[]>(app, contractorToken, 'GET', '/api/projects');
    const active = projects.find((p) => p.state === 'active');
    if (!active) throw new Error(`the seed gives the contractor no active project: ${JSON.stringify(projects)}`);
    project = active;
    seeded = (await api<Discovery[]>(app, contractorToken, 'GET', `/api/discoveries?projectId=${project.id}`)).map((d) => d.id);
  });

  afterAll(async () => {
    await phone?.close();
    await browser?.close();
    await app?.stop();
  });

  it('the contractor reports a find with a photo while offline; the outbox keeps it and delivers it exactly once', async () => {
    const parcel = await api<{ geometry: { type: string; coordinates: unknown } }>(app, contractorToken, 'GET', `/api/parcels/${project.parcelId}`);
    const here = insideOf(parcel.geometry);
    phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { ...here, accuracy: 8 },
      permissions: ['geolocation'],
    });
    const page = await phone.newPage();
    await signIn(page, app.baseUrl, 'contractor');

    // The contractor's phone opens on its projects.
    await page.waitForURL('**/field');
    const card = page.locator(`[data-testid="project-card"][data-project-id="${project.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-state')).toBe('active');
    // Phone first: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, JOURNEY, '1-contractor-projects');

    // In the trench: no signal. Once the service worker is active the phone keeps the application, so even a
    // reload without signal opens the projects, as last seen online.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await phone.setOffline(true);
    await page.reload();
    await card.waitFor();
    await page.getByTestId('kept-since').waitFor();
    await page.getByTestId('offline-banner').waitFor();
    expect(await card.getAttribute('data-state')).toBe('active');
    await screenshot(page, JOURNEY, '1b-offline-reload');
    await card.getByTestId('report-find').click();
    await page.getByTestId('report-find-form').waitFor();

    // Offline, the map still shows the parcel's outline, kept while the phone had signal.
    await page.waitForFunction(() => {
      const map = (window as any).__qianzhi?.map;
      const layer = map?.getLayers().getArray().find((l: any) => l.get('id') === 'project-parcel');
      return (layer?.getSource().getFeatures().length ?? 0) === 1;
    });
    // A tap on the small map picks a point (no accuracy) …
    const mapBox = (await page.getByTestId('map-viewport').boundingBox())!;
    await page.touchscreen.tap(mapBox.x + mapBox.width / 2, mapBox.y + mapBox.height / 2);
    await waitForText(page.getByTestId('picked-location'), '地图点选');
    // … and the phone's position replaces it, with its accuracy.
    await page.getByTestId('use-gps').click();
    await waitForText(page.getByTestId('picked-location'), '±8 米');
    await page.getByTestId('use-gps').scrollIntoViewIfNeeded();
    await screenshot(page, JOURNEY, '2-report-location');
    await page.locator('#report_depthM').fill('1.8');
    await page.locator('#report_suspectedType').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '墓葬' }).click();
    await page.locator('#report_description').fill('挖掘机开挖基槽时发现青砖墓室一角，已停止作业并设置警戒。');
    await page.getByTestId('photo-input').setInputFiles(PHOTO);
    await page.locator('[data-testid="photo-previews"] img').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, JOURNEY, '3-report-form');

    await page.getByTestId('submit-report').click();

    // Back on the list: the report waits in the outbox, visibly, and the phone says it is offline.
    await page.getByTestId('field-page').waitFor();
    const item = page.getByTestId('outbox-item');
    await item.waitFor();
    await page.getByTestId('offline-banner').waitFor();
    // at least one attempt has failed (the runner tries at once), and it is still pending
    await waitForText(item, '已尝试');
    expect(await item.getAttribute('data-status')).toBe('pending');
    expect(await card.getAttribute('data-state')).toBe('active');
    await card.getByTestId('project-pending').waitFor();

    const stored = await outboxContents(page);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored[0]!.photoBytes).toEqual([3224]);
    expect(JSON.parse(stored[0]!.data)).toMatchObject({ projectId: project.id, accuracyM: 8, depthM: 1.8, suspectedType: 'tomb' });
    // nothing reached the server
    expect(await newReports()).toHaveLength(0);
    await screenshot(page, JOURNEY, '4-outbox-pending');

    // Signal again: the browser's `online` event sends it at once.
    await phone.setOffline(false);
    await page.getByTestId('outbox-confirmed').waitFor({ timeout: 20_000 });
    await page.waitForSelector(`[data-testid="project-card"][data-project-id="${project.id}"][data-state="stopped"]`);
    expect(await page.getByTestId('outbox-item').count()).toBe(0);
    expect(await outboxContents(page)).toEqual([]);

    const reports = await newReports();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.photos).toHaveLength(1);
    const projects = await api<Project[]>(app, contractorToken, 'GET', '/api/projects');
    expect(projects.find((p) => p.id === project.id)?.state).toBe('stopped');

    // The stop-work notice says what happens next, with the deadlines ticking; the contractor acknowledges it.
    const notice = card.getByTestId('stop-work-notice');
    await waitForText(notice, '24 小时内到场');
    expect(await notice.getByTestId('deadline-on_site').getAttribute('data-status')).toBe('running');
    await notice.getByTestId('acknowledge').click();
    await notice.getByTestId('acknowledged-at').waitFor();
    await screenshot(page, JOURNEY, '5-contractor-stopped');

    // Later retries, a reload: still exactly one report.
    await page.reload();
    await page.locator(`[data-testid="project-card"][data-project-id="${project.id}"][data-state="stopped"]`).waitFor();
    await page.waitForTimeout(1500);
    const after = await newReports();
    expect(after).toHaveLength(1);
    expect(after[0]!.stopWorkOrder.acknowledgedAt).not.toBeNull();
  });

  it('the county authority sees it with a live countdown, records arrival and opinion, measures, and authorizes resumption', async () => {
    const page = await newDesktopPage(browser);
    await signIn(page, app.baseUrl, 'authority');
    await page.waitForURL('**/discoveries');

    // open reports of this project: only the new one (the seed's earlier find there is closed)
    const row = page.locator(`[data-testid="report-row"][data-project-id="${project.id}"]`);
    await row.waitFor();
    const countdown = row.getByTestId('deadline-on_site');
    expect(await countdown.getAttribute('data-status')).toBe('running');
    const before = await countdown.innerText();
    expect(before).toMatch(/剩余 2[34]小时\d\d分\d\d秒/);
    await page.waitForTimeout(1500);
    expect(await countdown.innerText()).not.toBe(before);
    await waitForText(row.getByTestId('deadline-opinion'), '剩余 6天23小时');

    // Its site is on the map of active stop-work sites.
    const reportId = (await row.getAttribute('data-id'))!;
    await page.waitForFunction(
      (id) => {
        const map = (window as any).__qianzhi?.map;
        const layer = map?.getLayers().getArray().find((l: any) => l.get('id') === 'discovery-sites');
        return Boolean(layer?.getSource().getFeatureById(id));
      },
      reportId,
      { timeout: 15_000 },
    );
    await screenshot(page, JOURNEY, '6-authority-inbox');

    // The in-app inbox announces it; opening the notification opens the report.
    await page.getByTestId('notifications-bell').click();
    // newest first: the seed's earlier find on the same project is further down
    const notification = page.locator('[data-testid="notification"][data-kind="discovery_reported"]').filter({ hasText: project.name }).first();
    await notification.click();
    const detail = page.getByTestId('discovery-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-state')).toBe('reported');
    await waitForText(detail, '施工单位已于');
    // The contractor's photo, fetched with the authority's token and really decoded.
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="discovery-photo"][data-step="report"] img');
      return Boolean(img && img.complete && img.naturalWidth === 160);
    });

    // Arrival: people and notes.
    const people = page.locator('#arrival_people');
    await people.fill('赵文保');
    await people.press('Enter');
    await people.fill('钱考古');
    await people.press('Enter');
    await page.locator('#arrival_notes').fill('现场已设警戒，墓室顶部外露约一平方米。');
    await page.getByTestId('arrival-photo-input').setInputFiles(PHOTO);
    await page.getByTestId('submit-arrival').click();
    await page.waitForSelector('[data-testid="discovery-detail"][data-state="on_site"]');
    await page.locator('[data-testid="discovery-photo"][data-step="arrival"]').waitFor();
    await waitForText(detail.getByTestId('deadline-on_site'), '已按时完成');

    // Resumption before the measures: the server refuses, and says why.
    await page.getByTestId('submit-resumption').click();
    const refusal = page.getByTestId('action-error');
    await refusal.waitFor();
    await waitForText(refusal, '当前状态为“已到场”，不能执行“批准复工”'); // in words, not state codes
    expect(await detail.getAttribute('data-state')).toBe('on_site');
    await refusal.scrollIntoViewIfNeeded();
    await screenshot(page, JOURNEY, '7-authority-resumption-refused');

    // The handling opinion, on an important find: the national administration must answer within 15 days.
    await page.getByTestId('measures-rescue_excavation').click();
    await page.getByTestId('important-switch').click();
    await page.locator('#opinion_text').fill('经现场勘查，确认为砖室墓一座，须进行抢救性考古发掘，发掘完成前不得施工。');
    await page.getByTestId('submit-opinion').click();
    await page.waitForSelector('[data-testid="discovery-detail"][data-state="opinion_issued"]');
    expect(await detail.getByTestId('deadline-national').getAttribute('data-status')).toBe('running');
    await screenshot(page, JOURNEY, '8-authority-opinion');

    // The national answer arrives: recorded with its document number, it meets the 15-day deadline.
    await page.locator('#national_reference').fill('文物博函〔2026〕88号');
    await page.getByTestId('submit-national-answer').click();
    await waitForText(page.getByTestId('national-answer'), '文物博函〔2026〕88号');
    expect(await page.getByTestId('national-answer-form').count()).toBe(0);
    await waitForText(detail.getByTestId('deadline-national'), '已按时完成');

    await page.getByTestId('submit-measures').click();
    await page.waitForSelector('[data-testid="discovery-detail"][data-state="measures_done"]');

    await page.getByTestId('submit-resumption').click();
    await page.waitForSelector('[data-testid="discovery-detail"][data-state="closed"]');
    await page.getByTestId('closed-notice').waitFor();
    await waitForText(page.getByTestId('discovery-history'), '批准复工');
    expect(await page.locator('[data-testid="discovery-history"] .ant-timeline-item').count()).toBe(6);
    await screenshot(page, JOURNEY, '9-authority-closed');

    // The project is active again, and the report is closed (still one).
    const projects = await api<Project[]>(app, contractorToken, 'GET', '/api/projects');
    expect(projects.find((p) => p.id === project.id)?.state).toBe('active');
    const reports = await newReports();
    expect(reports.map((r) => [r.state, r.stopWorkOrder.state])).toEqual([['closed', 'lifted']]);
    expect(reports[0]!.nationalAnswer?.reference).toBe('文物博函〔2026〕88号');
    expect((reports[0]!.photos as Array<{ step: string }>).map((p) => p.step).sort()).toEqual(['arrival', 'report']);
    await page.context().close();
  });
});

/** playwright-core has no web-first assertions: wait until the element's text contains `text`, or fail saying what it was. */
async function waitForText(locator: Locator, text: string, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    last = await locator.innerText().catch(() => '');
    if (last.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`expected text containing "${text}", got "${last}"`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
