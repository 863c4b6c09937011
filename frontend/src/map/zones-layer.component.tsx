import type { FeatureLike } from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import { bbox as bboxStrategy } from 'ol/loadingstrategy';
import VectorSource from 'ol/source/Vector';
import type { Style } from 'ol/style';
import { useEffect, useRef, useState } from 'react';
import { unwrap } from '../api/api-error';
import { api } from '../api/client';
import {
  ZONE_LABEL_MAX_RESOLUTION,
  ZONE_MARKER_MIN_RESOLUTION,
  zoneLabelStyle,
  zoneMarkerStyle,
  zoneStyle,
} from './layer-styles';
import { bboxParam, DATA_PROJECTION } from './map-projection';
import { useOlLayer } from './use-ol-layer.hook';

export const ZONES_LAYER_ID = 'zones';

export interface ZonesLoadResult {
  featureCount: number;
  /** True for the first successful load of this layer: the moment to fit the view. */
  first: boolean;
}

interface ZonesLayerProps {
  selectedZoneId: string | null;
  onLoad?: (result: ZonesLoadResult) => void;
  onError?: (error: unknown) => void;
}

const labelCache = new Map<string, Style>();

function labelFor(name: string): Style {
  let style = labelCache.get(name);
  if (!style) {
    style = zoneLabelStyle(name);
    labelCache.set(name, style);
  }
  return style;
}

/** Development zones from /api/layers/zones, loaded per view bbox and coloured by category. */
export function ZonesLayer({ selectedZoneId, onLoad, onError }: ZonesLayerProps) {
  const selectedRef = useRef(selectedZoneId);
  const callbacks = useRef({ onLoad, onError });
  callbacks.current = { onLoad, onError };

  const [layer] = useState(() => {
    const format = new GeoJSON({ dataProjection: DATA_PROJECTION });
    let loadedOnce = false;
    const source: VectorSource = new VectorSource({
      strategy: bboxStrategy,
      loader: (extent, _resolution, projection, success, failure) => {
        const bbox = bboxParam(extent);
        unwrap(
          api.GET('/api/layers/{layer}', {
            params: { path: { layer: 'zones' } },
            // The OpenAPI document does not declare `bbox` yet, so it is added to the query string by hand.
            querySerializer: () => `bbox=${bbox}`,
          }),
        ).then(
          (collection) => {
            const features = format.readFeatures(collection as unknown as object, { featureProjection: projection });
            source.addFeatures(features);
            success?.(features);
            callbacks.current.onLoad?.({ featureCount: source.getFeatures().length, first: !loadedOnce });
            loadedOnce = true;
          },
          (error: unknown) => {
            // Forget this extent so the next view change tries again.
            source.removeLoadedExtent(extent);
            failure?.();
            callbacks.current.onError?.(error);
          },
        );
      },
    });
    return new VectorLayer({
      source,
      properties: { id: ZONES_LAYER_ID },
      zIndex: 10,
      style: (feature: FeatureLike, resolution: number) => {
        const category = String(feature.get('category'));
        const base = zoneStyle(category, feature.getId() === selectedRef.current);
        if (resolution < ZONE_LABEL_MAX_RESOLUTION) return [base, labelFor(String(feature.get('name') ?? ''))];
        if (resolution > ZONE_MARKER_MIN_RESOLUTION) return [base, zoneMarkerStyle(category)];
        return base;
      },
    });
  });

  useOlLayer(layer);

  useEffect(() => {
    selectedRef.current = selectedZoneId;
    layer.changed();
  }, [layer, selectedZoneId]);

  return null;
}
