import { render } from '@testing-library/react';
import type { Polygon } from 'geojson';
import type OlMap from 'ol/Map';
import Draw from 'ol/interaction/Draw';
import Snap from 'ol/interaction/Snap';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DrawAreaTool } from '../../features/zoning/draw-area.tool';
import { ZONING_AREAS_LAYER_ID, ZoningAreasLayer, type ZoningAreaShape } from '../layers/zoning-areas-layer.component';
import { MapProvider } from '../map-provider.component';
import { click, installPaintlessCanvas, MapGrabber, mountMap, pixelOf } from './simulated-pointer.test-util';
import { SnapTool } from './snap.tool';

let restoreCanvas: (() => void) | undefined;
beforeAll(() => {
  restoreCanvas = installPaintlessCanvas();
});
afterAll(() => restoreCanvas?.());
afterEach(() => {
  document.body.innerHTML = '';
});

// An existing area as the server stores it: lon/lat on the 1e-9° grid, none of which is a round pixel.
const NW = [112.921234567, 35.804321987];
const NE = [112.930987654, 35.804456123];
const SE = [112.931012345, 35.797654321];
const SW = [112.921345678, 35.797765432];
const EXISTING: ZoningAreaShape = {
  id: 'a1',
  category: 'avoidance',
  label: '',
  geometry: { type: 'Polygon', coordinates: [[NW, NE, SE, SW, NW]] },
};
const SNAP_LAYERS = [ZONING_AREAS_LAYER_ID];

function setup(withSnap: boolean) {
  let map: OlMap | undefined;
  const onDrawn = vi.fn<(polygon: Polygon) => void>();
  const onSketchArea = vi.fn<(m2: number | null) => void>();
  render(
    <MapProvider>
      <MapGrabber onMap={(m) => (map = m)} />
      <ZoningAreasLayer areas={[EXISTING]} />
      {/* Mounted before the Draw on purpose: the tool must still end up last among the interactions. */}
      {withSnap && <SnapTool layerIds={SNAP_LAYERS} active />}
      <DrawAreaTool active onDrawn={onDrawn} onSketchArea={onSketchArea} />
    </MapProvider>,
  );
  const viewport = mountMap(map!);
  return { map: map!, viewport, onDrawn, onSketchArea };
}

/** A new area east of the existing one, its west edge clicked a few pixels off the existing east edge. */
function drawNeighbour(map: OlMap, viewport: HTMLElement) {
  const [nex, ney] = pixelOf(map, NE);
  const [sex, sey] = pixelOf(map, SE);
  click(viewport, nex + 4, ney - 3);
  click(viewport, nex + 120, ney);
  click(viewport, sex + 120, sey);
  click(viewport, sex - 3, sey + 4);
  click(viewport, nex + 4, ney - 3); // back on the first vertex: closes the ring
}

describe('SnapTool', () => {
  it('makes a polygon drawn beside an existing area use exactly its vertices, so the shared edge is exact', async () => {
    const { map, viewport, onDrawn } = setup(true);
    await Promise.resolve(); // the snap re-appends itself after the Draw in a microtask
    const interactions = map.getInteractions().getArray();
    expect(interactions[interactions.length - 1]).toBeInstanceOf(Snap);
    expect(interactions.findIndex((i) => i instanceof Draw)).toBeLessThan(interactions.length - 1);

    drawNeighbour(map, viewport);

    expect(onDrawn).toHaveBeenCalledTimes(1);
    const ring = onDrawn.mock.calls[0]![0].coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(NE);
    expect(ring[3]).toEqual(SE);
    expect(ring[4]).toEqual(NE);
    // the free vertices stay where they were clicked, 120 px (≈1 km) further east
    expect(ring[1]![0]).toBeGreaterThan(NE[0]! + 0.01);
  });

  it('without snapping the same clicks miss the neighbour by metres (what the tool prevents)', async () => {
    const { map, viewport, onDrawn } = setup(false);
    await Promise.resolve();
    drawNeighbour(map, viewport);
    const ring = onDrawn.mock.calls[0]![0].coordinates[0]!;
    expect(ring[0]).not.toEqual(NE);
    expect(Math.abs(ring[0]![0]! - NE[0]!)).toBeGreaterThan(1e-5);
  });

  it('reports the sketch area on the sphere while drawing, not the web-Mercator planar area', async () => {
    const { map, viewport, onSketchArea } = setup(false);
    await Promise.resolve();
    // a 200 × 100 px rectangle at 10 m/px of web-Mercator: 2 km² planar, ~cos²(35.8°) of that on the ground
    click(viewport, 50, 50);
    click(viewport, 250, 50);
    click(viewport, 250, 150);
    const areas = onSketchArea.mock.calls.map((c) => c[0]).filter((v): v is number => typeof v === 'number');
    const last = areas[areas.length - 1]!;
    const planar = 200 * 10 * 100 * 10 / 2; // the triangle's 3857 area so far
    expect(last).toBeGreaterThan(planar * 0.6);
    expect(last).toBeLessThan(planar * 0.7); // cos²(35.8°) ≈ 0.657
    expect(map).toBeTruthy();
  });
});
