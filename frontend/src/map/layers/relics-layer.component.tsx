import { useRef } from 'react';
import { relicPartOf, relicStyle } from './evidence-styles';
import { createBboxGeoJsonLayer, recordIdOf } from './geojson-layer';
import { useEvidenceLayer, type EvidenceLayerProps } from './use-evidence-layer.hook';

export const RELICS_LAYER_ID = 'relics';

/**
 * Registered immovable relics with their protection ranges (dashed red) and construction-control zones
 * (dashed orange): the layer sends each part as its own feature carrying the relic's id and `part`.
 */
export function RelicsLayer({ selectedId = null, revision = 0, onError }: EvidenceLayerProps) {
  const errorRef = useRef(onError);
  errorRef.current = onError;
  useEvidenceLayer(
    (selected) =>
      createBboxGeoJsonLayer({
        layer: 'relics',
        id: RELICS_LAYER_ID,
        zIndex: 35,
        featureKey: (feature) => `${recordIdOf(feature)}|${relicPartOf(feature.get('part'))}`,
        style: (feature) => relicStyle(feature.get('part'), recordIdOf(feature) === selected.current),
        onError: (error) => errorRef.current(error),
      }),
    selectedId,
    revision,
  );
  return null;
}
