import type MapBrowserEvent from 'ol/MapBrowserEvent';
import type { FeatureLike } from 'ol/Feature';
import { useMap } from './map-context';
import { useOlListener } from './use-ol-listener.hook';
import { isZonesLayer, zoneSummaryOf, type ZoneSummary } from './zone-view.util';

function zoneAt(map: ReturnType<typeof useMap>, pixel: number[]): ZoneSummary | null {
  let found: FeatureLike | undefined;
  map.forEachFeatureAtPixel(
    pixel,
    (feature) => {
      found = feature;
      return true;
    },
    { layerFilter: isZonesLayer, hitTolerance: 2 },
  );
  return found ? zoneSummaryOf(found as Parameters<typeof zoneSummaryOf>[0]) : null;
}

/** Click a zone to pick it (null when clicking beside any zone); the cursor shows what is clickable. */
export function ZonePickTool({ onPick, enabled = true }: { onPick: (zone: ZoneSummary | null) => void; enabled?: boolean }) {
  const map = useMap();

  useOlListener(map, 'singleclick', (event: MapBrowserEvent<PointerEvent>) => {
    if (enabled) onPick(zoneAt(map, event.pixel));
  });

  useOlListener(map, 'pointermove', (event: MapBrowserEvent<PointerEvent>) => {
    if (event.dragging) return;
    const hit = enabled && map.hasFeatureAtPixel(event.pixel, { layerFilter: isZonesLayer, hitTolerance: 2 });
    map.getTargetElement()?.style.setProperty('cursor', hit ? 'pointer' : '');
  });

  return null;
}
