import { render } from '@testing-library/react';
import BaseEvent from 'ol/events/Event';
import DragZoom from 'ol/interaction/DragZoom';
import type OlMap from 'ol/Map';
import Observable from 'ol/Observable';
import { describe, expect, it } from 'vitest';
import { useMap } from './map-context';
import { MapProvider } from './map-provider.component';
import { useOlInteraction } from './use-ol-interaction.hook';
import { useOlListener } from './use-ol-listener.hook';

function MapGrabber({ onMap }: { onMap: (map: OlMap) => void }) {
  onMap(useMap());
  return null;
}

function BoxZoom({ active, onCreate }: { active: boolean; onCreate: (i: DragZoom | null) => void }) {
  onCreate(useOlInteraction(() => new DragZoom(), [], active));
  return null;
}

function Listener({ target, handler }: { target: Observable; handler: (e: BaseEvent) => void }) {
  useOlListener(target, 'ping', handler);
  return null;
}

describe('MapProvider', () => {
  it('creates one map, shares it, and exposes it for browser tests while mounted', () => {
    const seen: OlMap[] = [];
    const { rerender, unmount } = render(
      <MapProvider>
        <MapGrabber onMap={(m) => seen.push(m)} />
      </MapProvider>,
    );
    rerender(
      <MapProvider>
        <MapGrabber onMap={(m) => seen.push(m)} />
      </MapProvider>,
    );
    expect(new Set(seen).size).toBe(1);
    expect(window.__qianzhi?.map).toBe(seen[0]);
    expect(seen[0]!.getView().getProjection().getCode()).toBe('EPSG:3857');
    unmount();
    expect(window.__qianzhi).toBeUndefined();
  });
});

describe('useOlInteraction', () => {
  it('adds the interaction once, toggles it with `active`, and removes it on unmount', () => {
    let map: OlMap | undefined;
    let created: DragZoom | null = null;
    const tree = (active: boolean) => (
      <MapProvider>
        <MapGrabber onMap={(m) => (map = m)} />
        <BoxZoom active={active} onCreate={(i) => (created = i ?? created)} />
      </MapProvider>
    );
    const { rerender, unmount } = render(tree(true));
    const interaction = created as DragZoom | null;
    expect(interaction).toBeInstanceOf(DragZoom);
    expect(map!.getInteractions().getArray()).toContain(interaction);
    expect(interaction!.getActive()).toBe(true);

    rerender(tree(false));
    expect(created).toBe(interaction); // same instance, only deactivated
    expect(interaction!.getActive()).toBe(false);
    expect(map!.getInteractions().getArray().filter((i) => i === interaction)).toHaveLength(1);

    unmount();
    expect(map!.getInteractions().getArray()).not.toContain(interaction);
  });
});

describe('useOlListener', () => {
  it('calls the latest handler and stops listening on unmount', () => {
    const target = new Observable();
    const calls: string[] = [];
    const { rerender, unmount } = render(<Listener target={target} handler={() => calls.push('first')} />);
    target.dispatchEvent(new BaseEvent('ping'));
    rerender(<Listener target={target} handler={() => calls.push('second')} />);
    target.dispatchEvent(new BaseEvent('ping'));
    unmount();
    target.dispatchEvent(new BaseEvent('ping'));
    expect(calls).toEqual(['first', 'second']);
  });
});
