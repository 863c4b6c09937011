import { useRef } from 'react';
import { observationStyle } from './evidence-styles';
import { createBboxGeoJsonLayer, recordIdOf } from './geojson-layer';
import { useEvidenceLayer, type EvidenceLayerProps } from './use-evidence-layer.hook';

export const OBSERVATIONS_LAYER_ID = 'observations';

/** Sweep-survey observations (surface scatters, section exposures, relic checks) as markers by kind. */
export function ObservationsLayer({ selectedId = null, revision = 0, onError }: EvidenceLayerProps) {
  const errorRef = useRef(onError);
  errorRef.current = onError;
  useEvidenceLayer(
    (selected) =>
      createBboxGeoJsonLayer({
        layer: 'observations',
        id: OBSERVATIONS_LAYER_ID,
        zIndex: 45,
        style: (feature) => observationStyle(feature.get('kind'), recordIdOf(feature) === selected.current),
        onError: (error) => errorRef.current(error),
      }),
    selectedId,
    revision,
  );
  return null;
}
