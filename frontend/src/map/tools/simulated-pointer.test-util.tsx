import { act } from '@testing-library/react';
import type OlMap from 'ol/Map';
import { fromLonLat } from 'ol/proj';
import { useMap } from '../map-context';

/**
 * Simulated pointer input on a real ol/Map in jsdom (MapStore2-style), shared by the tool specs: the map gets the
 * geometry a browser would report and a canvas that accepts drawing calls without painting.
 */
export const SIZE: [number, number] = [400, 300];
// 高平 (Gaoping), where the demo zones lie.
export const CENTER: [number, number] = [112.93, 35.8];

export function MapGrabber({ onMap }: { onMap: (map: OlMap) => void }) {
  onMap(useMap());
  return null;
}

export function mountMap(map: OlMap): HTMLElement {
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

export function installPaintlessCanvas(): () => void {
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

let nextPointerId = 1;
const base = { button: 0, isPrimary: true, pointerType: 'mouse', bubbles: true };

/** The pixel of a lon/lat position on the mounted map. */
export function pixelOf(map: OlMap, lonLat: readonly number[]): [number, number] {
  const [x, y] = map.getPixelFromCoordinate(fromLonLat([lonLat[0]!, lonLat[1]!]));
  return [x!, y!];
}

/** The pointer hovering at (x, y), as a mouse does before it clicks (Snap and Modify track it). */
export function hover(viewport: HTMLElement, x: number, y: number) {
  act(() => {
    viewport.dispatchEvent(new PointerEvent('pointermove', { ...base, clientX: x, clientY: y, buttons: 0, pointerId: nextPointerId }));
  });
}

/** A click as the browser sends it: move there, pointerdown on the viewport, pointerup on the document. */
export function click(viewport: HTMLElement, x: number, y: number) {
  hover(viewport, x, y);
  const pointerId = nextPointerId++;
  const init = { ...base, clientX: x, clientY: y, pointerId };
  act(() => {
    viewport.dispatchEvent(new PointerEvent('pointerdown', { ...init, buttons: 1 }));
    document.dispatchEvent(new PointerEvent('pointerup', { ...init, buttons: 0 }));
  });
}

/** A double-click (ends a line sketch). */
export function doubleClick(viewport: HTMLElement, x: number, y: number) {
  click(viewport, x, y);
  click(viewport, x, y);
  act(() => {
    viewport.dispatchEvent(new MouseEvent('dblclick', { ...base, clientX: x, clientY: y, detail: 2 }));
  });
}

/** Press at `from`, drag in a few steps to `to`, release. */
export function drag(viewport: HTMLElement, from: readonly [number, number], to: readonly [number, number]) {
  hover(viewport, from[0], from[1]);
  const pointerId = nextPointerId++;
  act(() => {
    viewport.dispatchEvent(new PointerEvent('pointerdown', { ...base, clientX: from[0], clientY: from[1], buttons: 1, pointerId }));
  });
  for (let step = 1; step <= 4; step++) {
    const x = from[0] + ((to[0] - from[0]) * step) / 4;
    const y = from[1] + ((to[1] - from[1]) * step) / 4;
    act(() => {
      document.dispatchEvent(new PointerEvent('pointermove', { ...base, clientX: x, clientY: y, buttons: 1, pointerId }));
    });
  }
  act(() => {
    document.dispatchEvent(new PointerEvent('pointerup', { ...base, clientX: to[0], clientY: to[1], buttons: 0, pointerId }));
  });
}
