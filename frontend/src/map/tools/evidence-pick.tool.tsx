import type { FeatureLike } from 'ol/Feature';
import type BaseLayer from 'ol/layer/Base';
import type VectorTileLayer from 'ol/layer/VectorTile';
import type OlMap from 'ol/Map';
import type MapBrowserEvent from 'ol/MapBrowserEvent';
import type { Pixel } from 'ol/pixel';
import { useRef } from 'react';
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
const isVectorPickable = (layer: BaseLayer) => isPickable(layer) && layer.get('id') !== CORES_LAYER_ID;

function vectorPickAt(map: OlMap, pixel: Pixel, only?: string): PickedRecord | null {
  let picked: PickedRecord | null = null;
  map.forEachFeatureAtPixel(
    pixel,
    (feature: FeatureLike, layer) => {
      const kind = layer ? KIND_BY_LAYER[String(layer.get('id'))] : undefined;
      if (!kind) return false;
      picked = { kind, id: recordIdOf(feature) };
      return true;
    },
    { layerFilter: (layer) => isVectorPickable(layer) && (!only || layer.get('id') === only), hitTolerance: 4 },
  );
  return picked;
}

function coresLayerOf(map: OlMap): VectorTileLayer | undefined {
  return map
    .getLayers()
    .getArray()
    .find((layer) => layer.get('id') === CORES_LAYER_ID) as VectorTileLayer | undefined;
}

/**
 * The topmost observation, core or relic under a pixel. Cores come from vector tiles, whose synchronous hit
 * detection misses point symbols in OpenLayers 10 (measured in the browser journey), so they are asked through
 * the layer's own asynchronous `getFeatures`, which reads the rendered hit image.
 */
export async function pickAt(map: OlMap, pixel: Pixel): Promise<PickedRecord | null> {
  const observation = vectorPickAt(map, pixel, OBSERVATIONS_LAYER_ID);
  if (observation) return observation;
  const cores = coresLayerOf(map);
  if (cores?.getVisible()) {
    const hits = await cores.getFeatures(pixel);
    const hit = hits[0];
    if (hit) return { kind: 'core', id: recordIdOf(hit) };
  }
  return vectorPickAt(map, pixel, RELICS_LAYER_ID);
}

/** Click a core, an observation or a relic to open its record; the cursor shows what is clickable. */
export function EvidencePickTool({ onPick, enabled = true }: { onPick: (picked: PickedRecord | null) => void; enabled?: boolean }) {
  const map = useMap();

  const latestClick = useRef(0);

  useOlListener(map, 'singleclick', (event: MapBrowserEvent<PointerEvent>) => {
    if (!enabled) return;
    // Only the latest click counts when an asynchronous pick is overtaken by another click.
    const click = ++latestClick.current;
    void pickAt(map, event.pixel).then((picked) => {
      if (click === latestClick.current) onPick(picked);
    });
  });

  useOlListener(map, 'pointermove', (event: MapBrowserEvent<PointerEvent>) => {
    if (event.dragging || !enabled) return;
    const hit = map.hasFeatureAtPixel(event.pixel, { layerFilter: isVectorPickable, hitTolerance: 4 });
    map.getTargetElement()?.style.setProperty('cursor', hit ? 'pointer' : '');
  });

  return null;
}
