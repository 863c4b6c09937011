import type { LineString as GeoJsonLineString } from 'geojson';
import type { LineString } from 'ol/geom';
import Draw, { type DrawEvent } from 'ol/interaction/Draw';
import { useEffect } from 'react';
import { useOlInteraction } from '../use-ol-interaction.hook';
import { useOlListener } from '../use-ol-listener.hook';
import { geometryToLonLat } from './snap.tool';

interface SplitLineToolProps {
  active: boolean;
  /** the finished line (double-click ends it), lon/lat */
  onLine: (line: GeoJsonLineString) => void;
}

/** Draws one cutting line while active; the caller sends it to the split endpoint. Renders nothing. */
export function SplitLineTool({ active, onLine }: SplitLineToolProps) {
  const draw = useOlInteraction(() => new Draw({ type: 'LineString', stopClick: true }), [], active);
  useEffect(() => {
    if (!active) draw?.abortDrawing();
  }, [draw, active]);
  useOlListener(draw, 'drawend', (event: DrawEvent) => {
    const geometry = event.feature.getGeometry() as LineString | undefined;
    if (geometry) onLine(geometryToLonLat<GeoJsonLineString>(geometry));
  });
  return null;
}
