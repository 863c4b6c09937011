import type { Polygon as GeoJsonPolygon } from 'geojson';
import GeoJSON from 'ol/format/GeoJSON';
import type { Polygon } from 'ol/geom';
import Draw, { type DrawEvent } from 'ol/interaction/Draw';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style } from 'ol/style';
import { useEffect, useState } from 'react';
import { DATA_PROJECTION, VIEW_PROJECTION } from '../map-projection';
import { useOlInteraction } from '../use-ol-interaction.hook';
import { useOlListener } from '../use-ol-listener.hook';
import { useOlLayer } from '../use-ol-layer.hook';

export const DRAWN_POLYGON_LAYER_ID = 'drawn-polygon';

const format = new GeoJSON({ dataProjection: DATA_PROJECTION, featureProjection: VIEW_PROJECTION });

/** The finished polygon as GeoJSON lon/lat, rounded to 1e-7° (≈1 cm): nothing of OpenLayers leaves the tool. */
export function polygonToLonLat(geometry: Polygon): GeoJsonPolygon {
  const written = format.writeGeometryObject(geometry, { decimals: 7 }) as GeoJsonPolygon;
  return { type: 'Polygon', coordinates: written.coordinates };
}

const DRAWN_STYLE = new Style({
  fill: new Fill({ color: 'rgba(31, 95, 174, 0.12)' }),
  stroke: new Stroke({ color: '#1f5fae', width: 2, lineDash: [6, 4] }),
});

interface DrawPolygonToolProps {
  active: boolean;
  /** Called once per finished polygon (double-click or a click on the first vertex). */
  onDrawn: (polygon: GeoJsonPolygon) => void;
  /** The polygon to keep showing after drawing (lon/lat); null clears it. */
  drawn?: GeoJsonPolygon | null;
}

/**
 * Draws one polygon while active. Renders nothing: the sketch is OpenLayers' own overlay, and the finished
 * polygon stays on a layer of this tool until `drawn` is cleared.
 */
export function DrawPolygonTool({ active, onDrawn, drawn = null }: DrawPolygonToolProps) {
  const [layer] = useState(
    () =>
      new VectorLayer({
        source: new VectorSource(),
        style: DRAWN_STYLE,
        zIndex: 60,
        properties: { id: DRAWN_POLYGON_LAYER_ID },
      }),
  );

  useOlLayer(layer);

  useEffect(() => {
    const source = layer.getSource();
    source?.clear();
    if (drawn) source?.addFeature(format.readFeature({ type: 'Feature', geometry: drawn, properties: {} }) as never);
  }, [layer, drawn]);

  const draw = useOlInteraction(() => new Draw({ type: 'Polygon', stopClick: true }), [], active);

  // Leaving the tool half-way throws the sketch away rather than keeping a dangling outline.
  useEffect(() => {
    if (!active) draw?.abortDrawing();
  }, [draw, active]);

  useOlListener(draw, 'drawend', (event: DrawEvent) => {
    const geometry = event.feature.getGeometry() as Polygon | undefined;
    if (geometry) onDrawn(polygonToLonLat(geometry));
  });

  return null;
}
