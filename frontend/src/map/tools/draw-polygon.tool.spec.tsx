import { act, render } from '@testing-library/react';
import type { Polygon } from 'geojson';
import type OlMap from 'ol/Map';
import { fromLonLat } from 'ol/proj';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useMap } from '../map-context';
import { MapProvider } from '../map-provider.component';
import { DrawPolygonTool } from './draw-polygon.tool';

const SIZE: [number, number] = [400, 300];
// 高平 (Gaoping), where the demo zone in coring lies.
const CENTER = [112.93, 35.8];

function MapGrabber({ onMap }: { onMap: (map: OlMap) => void }) {
  onMap(useMap());
  return null;
}

/** A real ol/Map on a jsdom div, with the geometry a browser would report for a 400×300 px viewport. */
function mountMap(map: OlMap): HTMLElement {
  const target = document.createElement('div');
  document.body.appendChild(target);
  map.setTarget(target);
  const viewport = map.getViewport() as HTMLElement;
  viewport.getBoundingClientRect = () =>
    ({ left: 0, top: 0, right: SIZE[0], bottom: SIZE[1], width: SIZE[0], height: SIZE[1], x: 0, y: 0 }) as DOMRect;
  map.setSize(SIZE);
  map.getView().setCenter(fromLonLat(CENTER));
  map.getView().setResolution(10); // 10 m per pixel
  map.renderSync();
  return viewport;
}

/**
 * jsdom has no 2D canvas. OpenLayers only needs one to paint, not to place vertices, so a context that accepts
 * every drawing call and draws nothing lets the real map, view and Draw interaction run unchanged.
 */
function installPaintlessCanvas() {
  const original = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function getContext(this: HTMLCanvasElement) {
    const state: Record<string | symbol, unknown> = { canvas: this };
    return new Proxy(state, {
      get: (target, key) => {
        if (key in target) return target[key];
        if (key === 'measureText') return (text: string) => ({ width: text.length * 6 });
        if (key === 'getImageData') return (_x: number, _y: number, w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) });
        if (key === 'getLineDash') return () => [];
        return () => undefined;
      },
      set: (target, key, value) => {
        target[key] = value;
        return true;
      },
    });
  } as unknown as typeof original;
  return () => {
    HTMLCanvasElement.prototype.getContext = original;
  };
}

let restoreCanvas: (() => void) | undefined;
beforeAll(() => {
  restoreCanvas = installPaintlessCanvas();
});
afterAll(() => restoreCanvas?.());

let nextPointerId = 1;

/** A click as the browser sends it: pointerdown on the viewport, pointerup on the document. */
function click(viewport: HTMLElement, x: number, y: number, clickCount = 1) {
  const init = { clientX: x, clientY: y, button: 0, buttons: 1, isPrimary: true, pointerType: 'mouse', bubbles: true };
  const pointerId = nextPointerId++;
  act(() => {
    viewport.dispatchEvent(new PointerEvent('pointerdown', { ...init, pointerId }));
    document.dispatchEvent(new PointerEvent('pointerup', { ...init, buttons: 0, pointerId }));
    if (clickCount === 2) viewport.dispatchEvent(new MouseEvent('dblclick', { ...init, detail: 2 }));
  });
}

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

function toLonLat(coordinate: number[]): number[] {
  const R = 6378137;
  return [(coordinate[0]! / R) * (180 / Math.PI), (Math.atan(Math.exp(coordinate[1]! / R)) * 2 - Math.PI / 2) * (180 / Math.PI)];
}
