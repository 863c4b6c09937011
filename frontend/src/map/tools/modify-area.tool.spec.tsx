import { render } from '@testing-library/react';
import type OlMap from 'ol/Map';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZONING_AREAS_LAYER_ID, ZoningAreasLayer, type ZoningAreaShape } from '../layers/zoning-areas-layer.component';
import { MapProvider } from '../map-provider.component';
import { drag, installPaintlessCanvas, MapGrabber, mountMap, pixelOf } from './simulated-pointer.test-util';
import { ModifyAreaTool, type ModifiedArea } from './modify-area.tool';

let restoreCanvas: (() => void) | undefined;
beforeAll(() => {
  restoreCanvas = installPaintlessCanvas();
});
afterAll(() => restoreCanvas?.());
afterEach(() => {
  document.body.innerHTML = '';
});

// Two neighbours sharing the edge N–S exactly.
const W1 = [112.92, 35.805];
const N = [112.93, 35.805];
const S = [112.93, 35.797];
const W2 = [112.92, 35.797];
const E1 = [112.94, 35.805];
const E2 = [112.94, 35.797];
const AREAS: ZoningAreaShape[] = [
  { id: 'west', category: 'avoidance', label: '', geometry: { type: 'Polygon', coordinates: [[W1, N, S, W2, W1]] } },
  { id: 'east', category: 'release', label: '', geometry: { type: 'Polygon', coordinates: [[N, E1, E2, S, N]] } },
];

function setup(active = true) {
  let map: OlMap | undefined;
  const onModified = vi.fn<(areas: ModifiedArea[]) => void>();
  render(
    <MapProvider>
      <MapGrabber onMap={(m) => (map = m)} />
      <ZoningAreasLayer areas={AREAS} />
      <ModifyAreaTool layerId={ZONING_AREAS_LAYER_ID} active={active} onModified={onModified} />
    </MapProvider>,
  );
  return { map: map!, viewport: mountMap(map!), onModified };
}

describe('ModifyAreaTool', () => {
  it('moves a vertex shared by two areas in both, and reports both as lon/lat', () => {
    const { map, viewport, onModified } = setup();
    const [x, y] = pixelOf(map, N);
    drag(viewport, [x, y], [x + 30, y]);

    expect(onModified).toHaveBeenCalledTimes(1);
    const changed = onModified.mock.calls[0]![0];
    expect(changed.map((c) => c.id).sort()).toEqual(['east', 'west']);
    const west = changed.find((c) => c.id === 'west')!.geometry.coordinates[0]!;
    const east = changed.find((c) => c.id === 'east')!.geometry.coordinates[0]!;
    // the vertex went ~300 m east in both, and is still the very same point in both rings
    expect(west[1]![0]).toBeGreaterThan(N[0]! + 0.002);
    expect(west[1]![1]).toBeCloseTo(N[1]!, 6);
    expect(east[0]).toEqual(west[1]);
    // the other corners did not move
    expect(west[0]).toEqual(W1);
    expect(east[2]).toEqual(E2);
  });

  it('changes nothing while inactive', () => {
    const { map, viewport, onModified } = setup(false);
    const [x, y] = pixelOf(map, N);
    drag(viewport, [x, y], [x + 30, y]);
    expect(onModified).not.toHaveBeenCalled();
  });
});
