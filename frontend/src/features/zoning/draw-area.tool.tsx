import type { Polygon as GeoJsonPolygon } from 'geojson';
import type { Polygon } from 'ol/geom';
import Draw, { type DrawEvent } from 'ol/interaction/Draw';
import { unByKey } from 'ol/Observable';
import { useEffect } from 'react';
import { geometryToLonLat, sphericalAreaM2 } from '../../map/tools/snap.tool';
import { useOlInteraction } from '../../map/use-ol-interaction.hook';
import { useOlListener } from '../../map/use-ol-listener.hook';

interface DrawAreaToolProps {
  active: boolean;
  /** the sketch's area on the sphere while drawing (m²); null when no sketch */
  onSketchArea: (m2: number | null) => void;
  /** the finished polygon, lon/lat on the storage grid */
  onDrawn: (polygon: GeoJsonPolygon) => void;
}

/**
 * Draws one zoning area at a time, reporting its area live. Put a SnapTool after it so vertices land exactly on
 * the zone boundary and the neighbouring areas. Renders nothing.
 */
export function DrawAreaTool({ active, onSketchArea, onDrawn }: DrawAreaToolProps) {
  const draw = useOlInteraction(() => new Draw({ type: 'Polygon', stopClick: true }), [], active);

  useEffect(() => {
    if (!active) {
      draw?.abortDrawing();
      onSketchArea(null);
    }
  }, [draw, active]);

  useOlListener(draw, 'drawstart', (event: DrawEvent) => {
    const geometry = event.feature.getGeometry() as Polygon;
    const key = geometry.on('change', () => onSketchArea(sphericalAreaM2(geometry)));
    event.feature.once('change:geometry', () => unByKey(key));
    draw?.once('drawend', () => unByKey(key));
    draw?.once('drawabort', () => {
      unByKey(key);
      onSketchArea(null);
    });
  });

  useOlListener(draw, 'drawend', (event: DrawEvent) => {
    const geometry = event.feature.getGeometry() as Polygon | undefined;
    onSketchArea(null);
    if (geometry) onDrawn(geometryToLonLat<GeoJsonPolygon>(geometry));
  });

  return null;
}
