import { render } from '@testing-library/react';
import type { LineString } from 'geojson';
import type OlMap from 'ol/Map';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MapProvider } from '../map-provider.component';
import { click, doubleClick, installPaintlessCanvas, MapGrabber, mountMap, pixelOf } from './simulated-pointer.test-util';
import { SplitLineTool } from './split-line.tool';

let restoreCanvas: (() => void) | undefined;
beforeAll(() => {
  restoreCanvas = installPaintlessCanvas();
});
afterAll(() => restoreCanvas?.());
afterEach(() => {
  document.body.innerHTML = '';
});

describe('SplitLineTool', () => {
  it('turns clicks ending in a double-click into one lon/lat LineString through the clicked places', () => {
    let map: OlMap | undefined;
    const onLine = vi.fn<(line: LineString) => void>();
    render(
      <MapProvider>
        <MapGrabber onMap={(m) => (map = m)} />
        <SplitLineTool active onLine={onLine} />
      </MapProvider>,
    );
    const viewport = mountMap(map!);
    const a = [112.925, 35.8];
    const b = [112.935, 35.801];
    click(viewport, ...pixelOf(map!, a));
    doubleClick(viewport, ...pixelOf(map!, b));

    expect(onLine).toHaveBeenCalledTimes(1);
    const line = onLine.mock.calls[0]![0];
    expect(line.type).toBe('LineString');
    expect(line.coordinates).toHaveLength(2);
    expect(line.coordinates[0]![0]).toBeCloseTo(a[0]!, 4);
    expect(line.coordinates[0]![1]).toBeCloseTo(a[1]!, 4);
    expect(line.coordinates[1]![0]).toBeCloseTo(b[0]!, 4);
    expect(line.coordinates[1]![1]).toBeCloseTo(b[1]!, 4);
  });
});
