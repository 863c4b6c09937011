import type { Geometry } from 'geojson';
import type { FeatureLike } from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Fill, Stroke, Style, Text } from 'ol/style';
import { useEffect, useRef, useState } from 'react';
import { useMap } from '../../map/map-context';
import { DATA_PROJECTION } from '../../map/map-projection';
import { useOlLayer } from '../../map/use-ol-layer.hook';
import { BLOCKING_KIND_COLORS, verdictLook } from './verdict';

export const PARCELS_LAYER_ID = 'committee-parcels';
export const PENDING_LAYER_ID = 'committee-pending-release';
export const BLOCKING_LAYER_ID = 'committee-blocking';

/** Plain data for a shape on the map (lon/lat); OpenLayers features stay inside the layer. */
export interface Shape {
  id: string;
  geometry: Geometry;
  properties: Record<string, unknown>;
}

interface ShapesLayerProps {
  layerId: string;
  shapes: readonly Shape[];
  style: (feature: FeatureLike) => Style | Style[];
  zIndex: number;
  /** zoom to the shapes whenever this key changes (and there are shapes) */
  fitKey?: string | null;
}

/** A read-only vector layer of the given shapes (parcels, pending release, blocking areas). */
export function ShapesLayer({ layerId, shapes, style, zIndex, fitKey = null }: ShapesLayerProps) {
  const map = useMap();
  const styleRef = useRef(style);
  styleRef.current = style;
  const fitted = useRef<string | null>(null);
  const [layer] = useState(
    () => new VectorLayer({ source: new VectorSource(), properties: { id: layerId }, zIndex, style: (f: FeatureLike) => styleRef.current(f) }),
  );
  useOlLayer(layer);

  useEffect(() => {
    const source = layer.getSource()!;
    source.clear();
    const format = new GeoJSON({ dataProjection: DATA_PROJECTION, featureProjection: map.getView().getProjection() });
    source.addFeatures(
      format.readFeatures({
        type: 'FeatureCollection',
        features: shapes.map((s) => ({ type: 'Feature', id: s.id, geometry: s.geometry, properties: s.properties })),
      }),
    );
    if (fitKey && fitted.current !== fitKey && shapes.length > 0) {
      fitted.current = fitKey;
      const extent = source.getExtent();
      if (extent) map.getView().fit(extent, { padding: [80, 80, 80, 80], maxZoom: 17, duration: 300 });
    }
  }, [map, layer, shapes, fitKey]);

  useEffect(() => layer.changed(), [layer, style]);
  return null;
}

const VERDICT_STROKES: Record<string, string> = {
  success: '#389e0d',
  lime: '#7cb305',
  warning: '#d48806',
  orange: '#d46b08',
  error: '#cf1322',
  default: '#595959',
};

/** Parcels outlined in their verdict's colour, labelled with their code; the selected one thicker. */
export function parcelStyle(selectedId: string | null) {
  return (feature: FeatureLike): Style[] => {
    const selected = feature.getId() === selectedId;
    const color = VERDICT_STROKES[verdictLook(String(feature.get('verdict') ?? '')).color] ?? '#1f5fae';
    return [
      new Style({
        stroke: new Stroke({ color: selected ? '#1f1f1f' : color, width: selected ? 3.5 : 2 }),
        fill: new Fill({ color: selected ? 'rgba(31, 95, 174, 0.18)' : 'rgba(255, 255, 255, 0.08)' }),
        zIndex: selected ? 2 : 1,
      }),
      new Style({
        text: new Text({
          text: String(feature.get('code') ?? ''),
          font: 'bold 12px sans-serif',
          fill: new Fill({ color: '#1f1f1f' }),
          stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3 }),
        }),
        zIndex: 3,
      }),
    ];
  };
}

/** A diagonal hatch: pending release land (release areas still waiting for an accepted letter). */
function hatch(color: string): CanvasPattern | string {
  try {
    const canvas = document.createElement('canvas');
    canvas.width = 10;
    canvas.height = 10;
    const context = canvas.getContext('2d');
    if (!context) return `${color}55`;
    context.strokeStyle = color;
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(0, 10);
    context.lineTo(10, 0);
    context.stroke();
    return context.createPattern(canvas, 'repeat') ?? `${color}55`;
  } catch {
    return `${color}55`;
  }
}

let pendingStyle: Style | null = null;
export function pendingReleaseStyle(): Style {
  pendingStyle ??= new Style({
    fill: new Fill({ color: hatch('#5b8c00') }),
    stroke: new Stroke({ color: '#5b8c00', width: 2, lineDash: [6, 4] }),
  });
  return pendingStyle;
}

const blockingStyles = new Map<string, Style>();
/** The parts of a parcel that stand in the way, clipped to it, coloured by what they are. */
export function blockingStyle(feature: FeatureLike): Style {
  const kind = String(feature.get('kind'));
  let style = blockingStyles.get(kind);
  if (!style) {
    const color = BLOCKING_KIND_COLORS[kind] ?? '#595959';
    style = new Style({ fill: new Fill({ color: `${color}88` }), stroke: new Stroke({ color, width: 2 }), zIndex: 4 });
    blockingStyles.set(kind, style);
  }
  return style;
}
