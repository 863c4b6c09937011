import type { FeatureCollection } from 'geojson';
import type { FeatureLike } from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { Circle as CircleStyle, Fill, Stroke, Style } from 'ol/style';
import { useEffect, useRef, useState } from 'react';
import { useMap } from '../map-context';
import { DATA_PROJECTION } from '../map-projection';
import { useOlLayer } from '../use-ol-layer.hook';

export const PREVIEW_LAYER_ID = 'import-preview';

const chosen = new Style({
  image: new CircleStyle({ radius: 5, fill: new Fill({ color: '#1f5fae' }), stroke: new Stroke({ color: '#ffffff', width: 1.5 }) }),
  stroke: new Stroke({ color: '#1f5fae', width: 2.5 }),
  fill: new Fill({ color: 'rgba(31, 95, 174, 0.18)' }),
  zIndex: 1,
});
const left = new Style({
  image: new CircleStyle({ radius: 4, fill: new Fill({ color: 'rgba(255,255,255,0.7)' }), stroke: new Stroke({ color: '#9e9e9e', width: 1.5 }) }),
  stroke: new Stroke({ color: '#9e9e9e', width: 1.5, lineDash: [4, 4] }),
  fill: new Fill({ color: 'rgba(158, 158, 158, 0.08)' }),
});

interface PreviewLayerProps {
  /** the server's preview, lon/lat; each feature's id is its index in the file */
  features: FeatureCollection;
  /** indexes the user keeps; the others are drawn grey */
  selected: ReadonlySet<number>;
  /** fit the view to the features when they change */
  fit?: boolean;
}

/** What an import would write, before it is written: chosen features blue, left-out ones grey. */
export function PreviewLayer({ features, selected, fit = true }: PreviewLayerProps) {
  const map = useMap();
  const selectedRef = useRef(selected);
  const [layer] = useState(
    () =>
      new VectorLayer({
        source: new VectorSource(),
        properties: { id: PREVIEW_LAYER_ID },
        zIndex: 70,
        style: (feature: FeatureLike) => (selectedRef.current.has(Number(feature.get('previewIndex'))) ? chosen : left),
      }),
  );

  useOlLayer(layer);

  useEffect(() => {
    const source = layer.getSource()!;
    source.clear();
    const format = new GeoJSON({ dataProjection: DATA_PROJECTION });
    const read = format.readFeatures(features, { featureProjection: map.getView().getProjection() });
    read.forEach((feature, i) => feature.set('previewIndex', previewIndexOf(features, i), true));
    source.addFeatures(read);
    const extent = source.getExtent();
    if (fit && read.length > 0 && extent) {
      map.getView().fit(extent, { padding: [32, 32, 32, 32], maxZoom: 17 });
    }
  }, [map, layer, features, fit]);

  useEffect(() => {
    selectedRef.current = selected;
    layer.changed();
  }, [layer, selected]);

  return null;
}

/** The file's feature number the commit step refers to: the server sends it as each feature's id. */
export function previewIndexOf(collection: FeatureCollection, position: number): number {
  const id = collection.features[position]?.id;
  if (typeof id === 'number') return id;
  if (typeof id === 'string' && /^\d+$/.test(id)) return Number(id);
  return position;
}
