import { render } from '@testing-library/react';
import type { Polygon } from 'geojson';
import type OlMap from 'ol/Map';
import { toLonLat } from 'ol/proj';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MapProvider } from '../map-provider.component';
import { DrawPolygonTool } from './draw-polygon.tool';
import { MapGrabber, click, installPaintlessCanvas, mountMap } from './simulated-pointer.test-util';

let restoreCanvas: (() => void) | undefined;
beforeAll(() => {
  restoreCanvas = installPaintlessCanvas();
});
afterAll(() => restoreCanvas?.());

afterEach(() => {
  document.body.innerHTML = '';
});

describe('DrawPolygonTool', () => {
  function setup(active = true) {
    let map: OlMap | undefined;
    const onDrawn = vi.fn<(polygon: Polygon) => void>();
    const tree = (on: boolean) => (
      <MapProvider>
        <MapGrabber onMap={(m) => (map = m)} />
        <DrawPolygonTool active={on} onDrawn={onDrawn} />
      </MapProvider>
    );
    const view = render(tree(active));
    const viewport = mountMap(map!);
    return { map: map!, viewport, onDrawn, rerender: (on: boolean) => view.rerender(tree(on)) };
  }

  it('turns clicks on the map into a closed lon/lat polygon at the clicked places', () => {
    const { map, viewport, onDrawn } = setup();
    const clicks = [
      [100, 100],
      [300, 100],
      [300, 200],
    ] as const;
    for (const [x, y] of clicks) click(viewport, x, y);
    // Clicking the first vertex again closes the ring.
    click(viewport, 100, 100);

    expect(onDrawn).toHaveBeenCalledTimes(1);
    const polygon = onDrawn.mock.calls[0]![0];
    expect(polygon.type).toBe('Polygon');
    const ring = polygon.coordinates[0]!;
    expect(ring).toHaveLength(4);
    expect(ring[0]).toEqual(ring[3]);

    const expected = clicks.map(([x, y]) => {
      const coordinate = map.getCoordinateFromPixel([x, y]);
      return map.getView().getProjection().getCode() === 'EPSG:3857' ? toLonLat(coordinate) : coordinate;
    });
    ring.slice(0, 3).forEach((position, i) => {
      expect(position[0]).toBeCloseTo(expected[i]![0]!, 6);
      expect(position[1]).toBeCloseTo(expected[i]![1]!, 6);
    });
    // lon/lat, not web-Mercator metres: the corners lie around Gaoping, 2 km (200 px × 10 m) apart east–west.
    expect(ring[0]![0]).toBeGreaterThan(112.9);
    expect(ring[0]![0]).toBeLessThan(112.95);
    expect(ring[0]![1]).toBeGreaterThan(35.7);
    expect(ring[0]![1]).toBeLessThan(35.9);
    expect(ring[0]![1]).toBeGreaterThan(ring[2]![1]!); // screen y grows southwards
  });

  it('draws nothing while inactive, and a half-drawn sketch is dropped when the tool is switched off', () => {
    const { viewport, onDrawn, rerender } = setup(false);
    click(viewport, 100, 100);
    click(viewport, 300, 100);
    click(viewport, 300, 200);
    click(viewport, 100, 100);
    expect(onDrawn).not.toHaveBeenCalled();

    rerender(true);
    click(viewport, 100, 100);
    click(viewport, 300, 100);
    rerender(false);
    rerender(true);
    // A fresh polygon: these three points plus the closing click make one triangle, unrelated to the first two.
    click(viewport, 50, 50);
    click(viewport, 150, 50);
    click(viewport, 150, 150);
    click(viewport, 50, 50);
    expect(onDrawn).toHaveBeenCalledTimes(1);
    expect(onDrawn.mock.calls[0]![0].coordinates[0]).toHaveLength(4);
  });
});
