import type { Page } from 'playwright-core';
import { compositeOver, MAP_BACKGROUND_COLOR, ZONE_CATEGORY_COLORS } from '../frontend/src/map/map-colors.data';
import { newDesktopPage, readScreenPixels, screenshot, signIn, useJourney } from './support/browser';

const JOURNEY = 'login-map';

/** What the page evaluates against: the app exposes its live OpenLayers map as window.__qianzhi.map. */
interface OlLike {
  getLayers(): { getArray(): { get(key: string): unknown; getSource(): any }[] };
  [key: string]: any;
}
declare global {
  interface Window {
    __qianzhi?: { map: OlLike };
  }
}

async function zonesOnMap(page: Page): Promise<number> {
  await page.waitForFunction(
    () => {
      const layer = window.__qianzhi?.map.getLayers().getArray().find((l) => l.get('id') === 'zones');
      return (layer?.getSource()?.getFeatures().length ?? 0) > 0;
    },
    null,
    { timeout: 30_000 },
  );
  return page.evaluate(
    () => window.__qianzhi!.map.getLayers().getArray().find((l) => l.get('id') === 'zones')!.getSource().getFeatures().length,
  );
}

describe('signing in and seeing the zones on the map', () => {
  const journey = useJourney(JOURNEY);

  it('an assessor signs in, lands on the map, and the demo zones are really drawn in their category colour', async () => {
    const { app, browser } = journey;
    const page = await newDesktopPage(browser);
    await signIn(page, app.baseUrl, 'assessor');

    await page.waitForURL('**/map');
    expect(await zonesOnMap(page)).toBeGreaterThan(0);

    // Zoom to one zone the way "view on map" does, then find it at its interior point on screen.
    const probe = await page.evaluate(async () => {
      const map = window.__qianzhi!.map;
      const layer = map.getLayers().getArray().find((l) => l.get('id') === 'zones')!;
      const features: any[] = layer.getSource().getFeatures();
      const feature = features.find((f) => f.get('category') === 'industrial') ?? features[0];
      map.getView().fit(feature.getGeometry().getExtent(), { padding: [120, 120, 120, 120] });
      await new Promise((resolve) => {
        map.once('rendercomplete', resolve);
        map.render();
      });
      const geometry = feature.getGeometry();
      const point = geometry.getType() === 'MultiPolygon' ? geometry.getInteriorPoints().getCoordinates()[0] : geometry.getInteriorPoint().getCoordinates();
      const pixel: number[] = map.getPixelFromCoordinate([point[0], point[1]]);
      const hits: string[] = [];
      map.forEachFeatureAtPixel(pixel, (f: any) => void hits.push(String(f.getId())), { layerFilter: (l: unknown) => l === layer });
      const rect = (map.getTargetElement() as HTMLElement).getBoundingClientRect();
      return { id: String(feature.getId()), category: String(feature.get('category')), pixel, hits, rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height } };
    });
    await screenshot(page, JOURNEY, 'zone-on-map');

    expect(probe.hits).toContain(probe.id);

    // The colour on screen around that pixel is the category fill over the map background, not the background.
    const category = probe.category as keyof typeof ZONE_CATEGORY_COLORS;
    const expected = compositeOver(ZONE_CATEGORY_COLORS[category], MAP_BACKGROUND_COLOR);
    const offsets = [-4, 0, 4];
    const points = offsets.flatMap((dx) => offsets.map((dy) => ({ x: probe.rect.x + probe.pixel[0]! + dx, y: probe.rect.y + probe.pixel[1]! + dy })));
    // Just above the zone (inside the fit padding, clear of the edge labels) the screen shows the bare background.
    const outside = [-60, 0, 60].map((dx) => ({ x: probe.rect.x + probe.rect.width / 2 + dx, y: probe.rect.y + 50 }));
    const pixels = await readScreenPixels(page, [...points, ...outside]);
    const inside = pixels.slice(0, points.length);
    const beside = pixels.slice(points.length);
    const close = (a: readonly number[], b: readonly number[], tolerance: number) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

    // A dashed graticule line may cross a sample, so most (not all) samples must match.
    const filled = inside.filter((rgb) => close(rgb, expected, 8)).length;
    if (filled < Math.ceil(inside.length * 0.6)) {
      throw new Error(`zone fill not on screen: ${filled}/${inside.length} samples match ${expected.join()} — saw ${JSON.stringify(inside)}`);
    }
    expect(close(expected, MAP_BACKGROUND_COLOR, 20)).toBe(false); // the check above could not pass on bare background
    expect(beside.filter((rgb) => close(rgb, MAP_BACKGROUND_COLOR, 8)).length).toBeGreaterThanOrEqual(2);
    await page.context().close();
  });

  it('switching to English changes the menu, and the choice survives a reload', async () => {
    const { app, browser } = journey;
    const page = await newDesktopPage(browser);
    await signIn(page, app.baseUrl, 'assessor');
    const menu = page.getByTestId('side-menu');
    // Chinese first: the menu starts in Chinese.
    await menu.getByText('地图', { exact: true }).waitFor();
    expect(await menu.innerText()).toContain('开发区');

    await page.getByTestId('language-switch').getByText('English', { exact: true }).click();

    await menu.getByText('Zones', { exact: true }).waitFor();
    expect(await menu.innerText()).toContain('Map');
    expect(await menu.innerText()).not.toContain('地图');
    await screenshot(page, JOURNEY, 'english-menu');

    await page.reload();
    await page.getByTestId('side-menu').getByText('Map', { exact: true }).waitFor();
    await page.context().close();
  });
});
