import type { FeatureLike } from 'ol/Feature';
import type BaseLayer from 'ol/layer/Base';
import type MapBrowserEvent from 'ol/MapBrowserEvent';
import { CORES_LAYER_ID } from '../layers/cores-tile-layer.component';
import { recordIdOf } from '../layers/geojson-layer';
import { OBSERVATIONS_LAYER_ID } from '../layers/observations-layer.component';
import { RELICS_LAYER_ID } from '../layers/relics-layer.component';
import { useMap } from '../map-context';
import { useOlListener } from '../use-ol-listener.hook';

export type PickedKind = 'core' | 'observation' | 'relic';

/** What a click on the map picked: plain data, never the OL feature. */
export interface PickedRecord {
  kind: PickedKind;
  id: string;
}

const KIND_BY_LAYER: Record<string, PickedKind> = {
  [CORES_LAYER_ID]: 'core',
  [OBSERVATIONS_LAYER_ID]: 'observation',
  [RELICS_LAYER_ID]: 'relic',
};

const isPickable = (layer: BaseLayer) => String(layer.get('id')) in KIND_BY_LAYER;

/** The topmost core, observation or relic under a pixel; small points get a few pixels of slack. */
export function pickAt(map: ReturnType<typeof useMap>, pixel: number[]): PickedRecord | null {
  let picked: PickedRecord | null = null;
  map.forEachFeatureAtPixel(
    pixel,
    (feature: FeatureLike, layer) => {
      const kind = layer ? KIND_BY_LAYER[String(layer.get('id'))] : undefined;
      if (!kind) return false;
      picked = { kind, id: recordIdOf(feature) };
      return true;
    },
    { layerFilter: isPickable, hitTolerance: 4 },
  );
  return picked;
}

/** Click a core, an observation or a relic to open its record; the cursor shows what is clickable. */
export function EvidencePickTool({ onPick, enabled = true }: { onPick: (picked: PickedRecord | null) => void; enabled?: boolean }) {
  const map = useMap();

  useOlListener(map, 'singleclick', (event: MapBrowserEvent<PointerEvent>) => {
    if (enabled) onPick(pickAt(map, event.pixel));
  });

  useOlListener(map, 'pointermove', (event: MapBrowserEvent<PointerEvent>) => {
    if (event.dragging || !enabled) return;
    const hit = map.hasFeatureAtPixel(event.pixel, { layerFilter: isPickable, hitTolerance: 4 });
    map.getTargetElement()?.style.setProperty('cursor', hit ? 'pointer' : '');
  });

  return null;
}
