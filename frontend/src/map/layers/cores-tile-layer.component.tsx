import VectorTileLayer from 'ol/layer/VectorTile';
import VectorTileSource from 'ol/source/VectorTile';
import { useEffect, useRef, useState } from 'react';
import { authorizedTileLoader } from './authorized-tiles';
import { coreFeatureStyle } from './evidence-styles';
import { useOlLayer } from '../use-ol-layer.hook';

export const CORES_LAYER_ID = 'coring-points';

interface CoresTileLayerProps {
  selectedId?: string | null;
  /** Bump to refetch every tile (after an import, a grid or an edit). */
  revision?: number;
  onError?: (error: unknown) => void;
}

/** Cores from the scoped vector tiles (tens of thousands per zone), coloured by result. */
export function CoresTileLayer({ selectedId = null, revision = 0, onError }: CoresTileLayerProps) {
  const selectedRef = useRef(selectedId);
  const errorRef = useRef(onError);
  errorRef.current = onError;

  const [layer] = useState(() => {
    const source = new VectorTileSource({
      // The URL is only the tile cache's key; the loader builds the request from the tile coordinates.
      url: '/api/tiles/coring-points/{z}/{x}/{y}.pbf',
      tileLoadFunction: authorizedTileLoader('coring-points', (error) => errorRef.current?.(error)),
      maxZoom: 18,
    });
    return new VectorTileLayer({
      source,
      properties: { id: CORES_LAYER_ID },
      zIndex: 40,
      // Cores are small and many: below ~zoom 11 they would be a grey smear over the zone.
      minZoom: 11,
      renderMode: 'hybrid',
      declutter: false,
      style: (feature) => coreFeatureStyle(feature, selectedRef.current),
    });
  });

  useOlLayer(layer);

  useEffect(() => {
    selectedRef.current = selectedId;
    layer.changed();
  }, [layer, selectedId]);

  useEffect(() => {
    if (revision > 0) layer.getSource()?.refresh();
  }, [layer, revision]);

  return null;
}
