import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { type E2eApp } from './support/app';
import { newDesktopPage, screenshot, signIn, useJourney } from './support/browser';
import { apiCall as call, apiLogin as login } from './support/api';

const JOURNEY = 'committee';
const ZONE_CODE = 'SX-CZ-TLETDZ'; // 屯留经济技术开发区: v1 committed, v2 adds release land not yet committed
const PENDING_PARCEL = 'TL-2026-03'; // on v2's new release land: pending_commitment until a letter is accepted
const BLOCKED_PARCEL = 'TL-2026-05';
const EXPLORATION_PARCEL = 'TL-2026-04'; // touches an exploration area
// On v1's committed release land; its find three weeks ago is closed, so no hold remains (TL-2026-02 next to it
// is held by the seeded open find and answers blocked).
const CLEARED_PARCEL = 'TL-2026-01';

async function verdictOf(app: E2eApp, token: string, parcelCode: string): Promise<string> {
  const res = await call<{ verdict: string }>(app, token, 'POST', '/api/clearance', { zoneCode: ZONE_CODE, parcelCode });
  if (res.status !== 200) throw new Error(`clearance ${parcelCode} → ${res.status} ${res.raw.toString()}`);
  return res.body.verdict;
}

async function openMenu(page: Page, label: string): Promise<void> {
  await page.getByTestId('side-menu').getByText(label, { exact: true }).click();
}

/** The OK button of the popconfirm that is open now. */
const popconfirmOk = (page: Page) => page.locator('.ant-popconfirm:not(.ant-popover-hidden) .ant-btn-primary');

describe('the committee signs the commitment letter, the reviewer accepts it, and a parcel becomes transferable', () => {
  const journey = useJourney(JOURNEY);

  it('signs, accepts, flips the parcel from pending_commitment to cleared, and records its land transfer', async () => {
    const { app, browser } = journey;
    const committeeToken = await login(app, 'committee');
    // The seeded story: TL-2026-03 lies on v2's new release land, not yet committed.
    expect(await verdictOf(app, committeeToken, PENDING_PARCEL)).toBe('pending_commitment');

    // --- the committee drafts and signs the letter for the pending (v2) release land
    const committee = await newDesktopPage(browser);
    await signIn(committee, app.baseUrl, 'committee');
    await committee.waitForURL('**/map');
    await openMenu(committee, '承诺书');
    await committee.getByTestId('committee-letters').waitFor();
    const pending = committee.getByTestId('pending-commitment-mu');
    await pending.waitFor();
    const pendingMu = Number((await pending.innerText()).replace(/[^\d.]/g, ''));
    expect(pendingMu).toBeGreaterThan(0);

    await committee.getByTestId('new-letter').click();
    await committee.getByTestId('letter-signatory-name').fill('孙管委');
    await committee.getByTestId('letter-signatory-title').fill('管委会主任');
    await committee.getByTestId('letter-extra-clauses').fill('每季度向省文物局报送释放区土地出让和项目建设情况。');
    const preview = committee.getByTestId('letter-preview');
    await committee.waitForFunction(
      () => document.querySelector('[data-testid="letter-preview"]')?.textContent?.includes('签署人：孙管委（管委会主任）'),
      undefined,
      { timeout: 15_000 },
    );
    const previewText = await preview.innerText();
    expect(previewText).toContain('必须立即停止施工');
    expect(previewText).toContain('七、每季度向省文物局报送释放区土地出让和项目建设情况。');
    await screenshot(committee, JOURNEY, '1-letter-preview');

    await committee.getByTestId('letter-sign').click();
    await popconfirmOk(committee).click();
    const shaCell = committee.getByTestId('letter-sha256');
    await shaCell.waitFor({ timeout: 30_000 });
    const shownSha = (await shaCell.innerText()).trim();
    expect(shownSha).toMatch(/^[0-9a-f]{64}$/);
    expect(await committee.getByTestId('letter-signed').getByTestId('letter-state-submitted').innerText()).toBe('已提交');
    await screenshot(committee, JOURNEY, '2-letter-signed');

    // The API agrees: one submitted letter for the issued plan, whose stored PDF hashes to what was shown.
    const zones = await call<Array<{ id: string; code: string }>>(app, committeeToken, 'GET', '/api/zones');
    const zone = zones.body.find((z) => z.code === ZONE_CODE)!;
    const submitted = await call<Array<{ id: string; pdfSha256: string; planVersion: number }>>(
      app, committeeToken, 'GET', `/api/commitments?zoneId=${zone.id}&state=submitted`,
    );
    expect(submitted.body).toHaveLength(1);
    const letter = submitted.body[0]!;
    expect(letter.pdfSha256).toBe(shownSha);
    const pdf = await call(app, committeeToken, 'GET', `/api/commitments/${letter.id}/letter.pdf`);
    expect(pdf.raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf.raw).digest('hex')).toBe(shownSha);

    // --- the reviewer accepts it from the queue
    const reviewer = await newDesktopPage(browser);
    await signIn(reviewer, app.baseUrl, 'reviewer');
    await reviewer.waitForURL('**/map');
    await openMenu(reviewer, '承诺书');
    const queue = reviewer.getByTestId('letters-queue-table');
    await queue.waitFor();
    const accept = reviewer.getByTestId(`queue-accept-${ZONE_CODE}-v${letter.planVersion}`);
    await accept.waitFor({ timeout: 15_000 });
    expect(await queue.innerText()).toContain(shownSha.slice(0, 12));
    await screenshot(reviewer, JOURNEY, '3-review-queue');
    await accept.click();
    await popconfirmOk(reviewer).click();
    await reviewer.getByText('没有待审核的承诺书').waitFor({ timeout: 15_000 });
    await screenshot(reviewer, JOURNEY, '4-accepted');
    await reviewer.context().close();

    // Checked through the API: the letter is accepted and the parcel's verdict flipped.
    const accepted = await call<{ state: string; pdfSha256: string }>(app, committeeToken, 'GET', `/api/commitments/${letter.id}`);
    expect(accepted.body).toMatchObject({ state: 'accepted', pdfSha256: shownSha });
    expect(await verdictOf(app, committeeToken, PENDING_PARCEL)).toBe('cleared');

    // --- back as the committee: the parcel shows cleared, and its land transfer is recorded
    await openMenu(committee, '本区地块');
    await committee.getByTestId('committee-workspace').waitFor();
    const badge = committee.getByTestId(`parcel-verdict-${PENDING_PARCEL}`);
    await badge.waitFor({ timeout: 30_000 });
    expect(await badge.locator('[data-verdict]').getAttribute('data-verdict')).toBe('cleared');
    expect(await badge.innerText()).toBe('可出让');
    expect(await committee.getByTestId(`parcel-verdict-${BLOCKED_PARCEL}`).innerText()).toBe('禁止出让');

    // a blocked parcel: the refusal (409) is said in words, nothing is recorded
    await committee.getByTestId(`parcel-row-${BLOCKED_PARCEL}`).click();
    await committee.getByTestId('parcel-panel').getByText(BLOCKED_PARCEL, { exact: false }).waitFor();
    expect(await committee.getByTestId('clearance-panel').getAttribute('data-verdict')).toBe('blocked');
    await committee.getByTestId('transfer-parcel').click();
    await committee.getByTestId('transfer-confirm').click();
    const refused = committee.getByTestId('transfer-refused');
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.innerText()).toContain('地块考古前置判定为“禁止出让”，不能办理土地出让：');
    await screenshot(committee, JOURNEY, '5-blocked-refused');

    await committee.getByTestId(`parcel-row-${PENDING_PARCEL}`).click();
    const panel = committee.getByTestId('parcel-panel');
    await panel.getByText(PENDING_PARCEL, { exact: false }).waitFor();
    await committee.waitForFunction(() => document.querySelector('[data-testid="clearance-panel"]')?.getAttribute('data-verdict') === 'cleared');
    const releaseShare = Number(await committee.getByTestId('bucket-release-share').innerText());
    expect(releaseShare).toBeGreaterThan(99.9);
    await screenshot(committee, JOURNEY, '6-parcel-cleared');
    await committee.getByTestId('transfer-parcel').click();
    await committee.getByTestId('transfer-confirm').click();
    await committee.getByTestId('parcel-transferred-at').waitFor({ timeout: 15_000 });
    await screenshot(committee, JOURNEY, '7-transferred');

    // a construction project on the transferred parcel, built by the demo contractor
    await committee.getByTestId('new-project').click();
    await committee.getByTestId('project-name').fill('北区物流仓储一期（E2E）');
    await committee.getByTestId('project-contractor').click();
    await committee.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByText('山西晋通建设工程有限公司（演示）').click();
    await committee.getByTestId('project-confirm').click();
    const projects = committee.getByTestId('projects-table');
    await projects.getByText('北区物流仓储一期（E2E）').waitFor({ timeout: 15_000 });
    expect(await projects.innerText()).toContain('山西晋通建设工程有限公司（演示）');
    await screenshot(committee, JOURNEY, '8-project');

    // an exploration application for the parcel that needs one
    await committee.getByRole('tab', { name: /地块/ }).click();
    await committee.getByTestId(`parcel-row-${EXPLORATION_PARCEL}`).click();
    await committee.getByTestId('parcel-panel').getByText(EXPLORATION_PARCEL, { exact: false }).waitFor();
    await committee.getByTestId('apply-exploration').click();
    await committee.getByTestId('explorations-table').getByTestId('exploration-state-requested').waitFor({ timeout: 15_000 });
    expect(await committee.getByTestId('explorations-table').innerText()).toContain(EXPLORATION_PARCEL);

    // a parcel drawn on the map inside cleared land: its clearance at once, then registered
    await committee.getByRole('tab', { name: /地块/ }).click();
    const cleared = (await call<Array<{ id: string; code: string }>>(app, committeeToken, 'GET', `/api/parcels?zoneId=${zone.id}`)).body.find(
      (p) => p.code === CLEARED_PARCEL,
    )!;
    const detail = await call<{ geometry: { coordinates: number[][][][] } }>(app, committeeToken, 'GET', `/api/parcels/${cleared.id}`);
    const ring = detail.body.geometry.coordinates[0]![0]!;
    const lons = ring.map((c) => c[0]!);
    const lats = ring.map((c) => c[1]!);
    const [minX, maxX, minY, maxY] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const inset = (a: number, b: number, f: number) => a + (b - a) * f;
    const corners = [
      [inset(minX, maxX, 0.3), inset(minY, maxY, 0.3)],
      [inset(minX, maxX, 0.7), inset(minY, maxY, 0.3)],
      [inset(minX, maxX, 0.7), inset(minY, maxY, 0.7)],
      [inset(minX, maxX, 0.3), inset(minY, maxY, 0.7)],
    ];
    await committee.getByTestId(`parcel-row-${CLEARED_PARCEL}`).click();
    await committee.getByTestId('parcel-panel').getByText(CLEARED_PARCEL, { exact: false }).waitFor();
    await committee.waitForTimeout(800); // the view zooms to the parcel
    await committee.getByTestId('draw-parcel').click();
    const pixels = await committee.evaluate((lonLats) => {
      const map = (window as unknown as { __qianzhi: { map: any } }).__qianzhi.map;
      const R = 6378137;
      const rect = (map.getTargetElement() as HTMLElement).getBoundingClientRect();
      return lonLats.map(([lon, lat]) => {
        const p = map.getPixelFromCoordinate([(lon! * Math.PI * R) / 180, R * Math.log(Math.tan(Math.PI / 4 + (lat! * Math.PI) / 360))]);
        return { x: rect.x + p[0], y: rect.y + p[1] };
      });
    }, corners);
    for (const p of pixels) {
      await committee.mouse.click(p.x, p.y);
      await committee.waitForTimeout(150);
    }
    await committee.mouse.click(pixels[0]!.x, pixels[0]!.y); // a click on the first vertex closes the ring
    const drawnPanel = committee.getByTestId('drawn-panel');
    await drawnPanel.getByTestId('clearance-panel').waitFor({ timeout: 15_000 });
    expect(await drawnPanel.getByTestId('clearance-panel').getAttribute('data-verdict')).toBe('cleared');
    await screenshot(committee, JOURNEY, '9-drawn-clearance');
    await drawnPanel.getByTestId('parcel-code').fill('TL-E2E-01');
    await drawnPanel.getByTestId('parcel-name').fill('绘制地块（E2E）');
    await drawnPanel.getByTestId('parcel-register').click();
    await committee.getByTestId('parcel-verdict-TL-E2E-01').waitFor({ timeout: 15_000 });
    expect(await committee.getByTestId('parcel-verdict-TL-E2E-01').innerText()).toBe('可出让');

    const parcels = await call<Array<{ id: string; code: string; transferredAt: string | null; clearance: { verdict: string } }>>(
      app, committeeToken, 'GET', `/api/parcels?zoneId=${zone.id}`,
    );
    const parcel = parcels.body.find((p) => p.code === PENDING_PARCEL)!;
    expect(parcel.clearance.verdict).toBe('cleared');
    expect(parcel.transferredAt).toMatch(/\+08:00$/);
    expect(parcels.body.find((p) => p.code === BLOCKED_PARCEL)!.transferredAt).toBeNull();
    expect(parcels.body.find((p) => p.code === 'TL-E2E-01')!.clearance.verdict).toBe('cleared');
    const projectsApi = await call<Array<{ name: string; parcelId: string; state: string }>>(app, committeeToken, 'GET', `/api/projects?zoneId=${zone.id}`);
    expect(projectsApi.body).toContainEqual(expect.objectContaining({ name: '北区物流仓储一期（E2E）', parcelId: parcel.id, state: 'active' }));
    const explorations = await call<Array<{ parcelId: string | null; state: string }>>(app, committeeToken, 'GET', `/api/explorations?zoneId=${zone.id}`);
    const exploring = parcels.body.find((p) => p.code === EXPLORATION_PARCEL)!;
    expect(explorations.body).toContainEqual(expect.objectContaining({ parcelId: exploring.id, state: 'requested' }));
    await committee.context().close();
  });
});
