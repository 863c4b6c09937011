import type VectorLayer from 'ol/layer/Vector';
import type VectorSource from 'ol/source/Vector';
import { useEffect, useRef, useState } from 'react';
import { useOlLayer } from '../use-ol-layer.hook';

/**
 * Owns one OL layer for as long as the component is mounted: adds it, restyles it when the selection
 * changes, and reloads it when `revision` is bumped.
 */
export function useEvidenceLayer(
  make: (selected: { current: string | null }) => VectorLayer<VectorSource>,
  selectedId: string | null,
  revision: number,
): void {
  const selectedRef = useRef(selectedId);
  const [layer] = useState(() => make(selectedRef));

  useOlLayer(layer);

  useEffect(() => {
    selectedRef.current = selectedId;
    layer.changed();
  }, [layer, selectedId]);

  useEffect(() => {
    if (revision > 0) layer.getSource()?.refresh();
  }, [layer, revision]);
}

export interface EvidenceLayerProps {
  selectedId?: string | null;
  revision?: number;
  onError: (error: unknown) => void;
}
