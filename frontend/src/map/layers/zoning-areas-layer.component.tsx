import type { Geometry as GeoJsonGeometry, Polygon as GeoJsonPolygon } from 'geojson';
import type { FeatureLike } from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Circle as CircleStyle, Fill, Stroke, Style, Text } from 'ol/style';
import { useEffect, useRef, useState } from 'react';
import { rgba, zoningCategoryColor } from '../map-colors.data';
import { useMap } from '../map-context';
import { DATA_PROJECTION } from '../map-projection';
import { useOlLayer } from '../use-ol-layer.hook';

export const ZONING_AREAS_LAYER_ID = 'zoning-areas';
export const ZONING_HIGHLIGHT_LAYER_ID = 'zoning-highlight';

/** What the layer needs of an area: plain data (lon/lat), no OpenLayers. */
export interface ZoningAreaShape {
  id: string;
  category: string;
  geometry: GeoJsonGeometry;
  /** drawn at the area's centre, e.g. "避让区 12.34 亩" */
  label: string;
}

const styleCache = new Map<string, Style>();

function areaStyle(category: string, selected: boolean): Style {
  const key = `${category}|${selected}`;
  let style = styleCache.get(key);
  if (!style) {
    const color = zoningCategoryColor(category);
    style = new Style({
      fill: new Fill({ color: rgba(color, selected ? 1.4 : 1) }),
      stroke: new Stroke({ color: selected ? '#1f1f1f' : color.stroke, width: selected ? 3 : 1.5 }),
      zIndex: selected ? 2 : 1,
    });
    styleCache.set(key, style);
  }
  return style;
}

function labelStyle(text: string): Style {
  return new Style({
    text: new Text({
      text,
      font: '12px sans-serif',
      fill: new Fill({ color: '#1f1f1f' }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3 }),
      overflow: false,
    }),
    zIndex: 3,
  });
}

interface ZoningAreasLayerProps {
  areas: readonly ZoningAreaShape[];
  selectedId?: string | null;
  /** fit the view to the areas the first time there are some */
  fitOnce?: boolean;
}

/**
 * A zoning plan's areas coloured by category (avoidance red, exploration amber, release green) with their
 * label. Feature ids are the area ids, so the modify tool reports which area changed.
 */
export function ZoningAreasLayer({ areas, selectedId = null, fitOnce = false }: ZoningAreasLayerProps) {
  const map = useMap();
  const selectedRef = useRef(selectedId);
  const fitted = useRef(false);
  const [layer] = useState(
    () =>
      new VectorLayer({
        source: new VectorSource(),
        properties: { id: ZONING_AREAS_LAYER_ID },
        zIndex: 40,
        style: (feature: FeatureLike) => [
          areaStyle(String(feature.get('category')), feature.getId() === selectedRef.current),
          labelStyle(String(feature.get('label') ?? '')),
        ],
      }),
  );

  useOlLayer(layer);

  useEffect(() => {
    const source = layer.getSource()!;
    source.clear();
    const format = new GeoJSON({ dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
    const features = format.readFeatures({
      type: 'FeatureCollection',
      features: areas.map((a) => ({ type: 'Feature', id: a.id, geometry: a.geometry, properties: { category: a.category, label: a.label } })),
    });
    source.addFeatures(features);
    if (fitOnce && !fitted.current && features.length > 0) {
      fitted.current = true;
      const extent = source.getExtent();
      if (extent) map.getView().fit(extent, { padding: [48, 48, 48, 48], maxZoom: 17 });
    }
  }, [map, layer, areas, fitOnce]);

  useEffect(() => {
    selectedRef.current = selectedId;
    layer.changed();
  }, [layer, selectedId]);

  return null;
}

const HIGHLIGHT = new Style({
  stroke: new Stroke({ color: '#d4380d', width: 4, lineDash: [8, 6] }),
  fill: new Fill({ color: 'rgba(212, 56, 13, 0.15)' }),
  image: new CircleStyle({ radius: 9, stroke: new Stroke({ color: '#d4380d', width: 3 }), fill: new Fill({ color: 'rgba(212,56,13,0.25)' }) }),
  zIndex: 10,
});

/** One geometry to point at (a validation problem's location): outlined and, unless `fit` is false, zoomed to. */
export function HighlightLayer({ geometry, fit = true }: { geometry: GeoJsonGeometry | GeoJsonPolygon | null; fit?: boolean }) {
  const map = useMap();
  const [layer] = useState(
    () => new VectorLayer({ source: new VectorSource(), properties: { id: ZONING_HIGHLIGHT_LAYER_ID }, zIndex: 80, style: HIGHLIGHT }),
  );
  useOlLayer(layer);
  useEffect(() => {
    const source = layer.getSource()!;
    source.clear();
    if (!geometry) return;
    const format = new GeoJSON({ dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
    const feature = format.readFeature({ type: 'Feature', geometry, properties: {} });
    source.addFeatures(Array.isArray(feature) ? feature : [feature]);
    const extent = source.getExtent();
    if (fit && extent) map.getView().fit(extent, { padding: [80, 80, 80, 80], maxZoom: 18, duration: 300 });
  }, [map, layer, geometry, fit]);
  return null;
}

export const ZONING_DIFF_LAYER_ID = 'zoning-diff';

/** How each kind of change against the previous plan is drawn (overlay on the current areas). */
export const DIFF_CHANGE_COLORS = {
  added: '#237804',
  removed: '#cf1322',
  recategorised: '#722ed1',
  reshaped: '#0958d9',
} as const;

export interface DiffShape {
  change: string;
  geometry: GeoJsonGeometry;
}

const diffStyles = new Map<string, Style>();
function diffStyle(change: string): Style {
  let style = diffStyles.get(change);
  if (!style) {
    const color = (DIFF_CHANGE_COLORS as Record<string, string>)[change] ?? '#595959';
    style = new Style({
      stroke: new Stroke({ color, width: 3, lineDash: change === 'removed' ? [6, 6] : undefined }),
      fill: new Fill({ color: `${color}33` }),
      zIndex: 5,
    });
    diffStyles.set(change, style);
  }
  return style;
}

/** The changes of a plan against the one it revises, outlined over the areas: the reviewer's overlay. */
export function DiffLayer({ changes }: { changes: readonly DiffShape[] }) {
  const map = useMap();
  const [layer] = useState(
    () =>
      new VectorLayer({
        source: new VectorSource(),
        properties: { id: ZONING_DIFF_LAYER_ID },
        zIndex: 50,
        style: (feature: FeatureLike) => diffStyle(String(feature.get('change'))),
      }),
  );
  useOlLayer(layer);
  useEffect(() => {
    const source = layer.getSource()!;
    source.clear();
    const format = new GeoJSON({ dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
    source.addFeatures(
      format.readFeatures({
        type: 'FeatureCollection',
        features: changes.map((c) => ({ type: 'Feature', geometry: c.geometry, properties: { change: c.change } })),
      }),
    );
  }, [map, layer, changes]);
  return null;
}
