import { useRef } from 'react';
import { trackStyle } from './evidence-styles';
import { createBboxGeoJsonLayer, recordIdOf } from './geojson-layer';
import { useEvidenceLayer, type EvidenceLayerProps } from './use-evidence-layer.hook';

export const TRACKS_LAYER_ID = 'survey-tracks';

/** The walked sweep-survey tracks. */
export function TracksLayer({ selectedId = null, revision = 0, onError }: EvidenceLayerProps) {
  const errorRef = useRef(onError);
  errorRef.current = onError;
  useEvidenceLayer(
    (selected) =>
      createBboxGeoJsonLayer({
        layer: 'survey-tracks',
        id: TRACKS_LAYER_ID,
        zIndex: 30,
        style: (feature) => trackStyle(recordIdOf(feature) === selected.current),
        onError: (error) => errorRef.current(error),
      }),
    selectedId,
    revision,
  );
  return null;
}
