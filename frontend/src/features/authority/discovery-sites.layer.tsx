import type { FeatureLike } from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import type MapBrowserEvent from 'ol/MapBrowserEvent';
import VectorSource from 'ol/source/Vector';
import { Circle as CircleStyle, Fill, Stroke, Style, Text } from 'ol/style';
import { useEffect, useRef, useState } from 'react';
import { useMap } from '../../map/map-context';
import { DATA_PROJECTION } from '../../map/map-projection';
import { useOlLayer } from '../../map/use-ol-layer.hook';
import { useOlListener } from '../../map/use-ol-listener.hook';
import type { Discovery } from './authority.api';

export const DISCOVERY_SITES_LAYER_ID = 'discovery-sites';

const OVERDUE = '#cf1322';
const OPEN = '#d46b08';

function siteStyle(feature: FeatureLike, selectedId: string | null): Style {
  const selected = feature.getId() === selectedId;
  const color = feature.get('overdue') ? OVERDUE : OPEN;
  return new Style({
    image: new CircleStyle({
      radius: selected ? 11 : 8,
      fill: new Fill({ color }),
      stroke: new Stroke({ color: selected ? '#1f2d3d' : '#ffffff', width: selected ? 3 : 2 }),
    }),
    text: new Text({
      text: String(feature.get('label') ?? ''),
      offsetY: -18,
      font: '12px sans-serif',
      fill: new Fill({ color: '#1f2d3d' }),
      stroke: new Stroke({ color: '#ffffff', width: 3 }),
    }),
    zIndex: selected ? 2 : 1,
  });
}

interface DiscoverySitesLayerProps {
  /** the sites to draw: reports whose stop-work order is in force */
  discoveries: readonly Discovery[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/**
 * Active stop-work sites, from the reports the authority already reads (its division tree): red when a
 * deadline was missed. Find locations are sensitive; this layer exists only on the authority's desk.
 */
export function DiscoverySitesLayer({ discoveries, selectedId, onSelect }: DiscoverySitesLayerProps) {
  const map = useMap();
  const selectedRef = useRef(selectedId);
  const fitted = useRef(false);
  const [layer] = useState(
    () =>
      new VectorLayer({
        source: new VectorSource(),
        properties: { id: DISCOVERY_SITES_LAYER_ID },
        zIndex: 80,
        style: (feature) => siteStyle(feature, selectedRef.current),
      }),
  );
  useOlLayer(layer);

  useEffect(() => {
    const source = layer.getSource()!;
    source.clear();
    const format = new GeoJSON({ dataProjection: DATA_PROJECTION });
    const features = discoveries.map((d) => {
      const feature = format.readFeature(
        { type: 'Feature', id: d.id, geometry: d.location, properties: { overdue: d.overdue, label: d.projectName } },
        { featureProjection: map.getView().getProjection() },
      );
      return Array.isArray(feature) ? feature[0]! : feature;
    });
    source.addFeatures(features);
    if (!fitted.current && features.length) {
      fitted.current = true;
      map.getView().fit(source.getExtent()!, { padding: [48, 48, 48, 48], maxZoom: 15 });
    }
  }, [map, layer, discoveries]);

  useEffect(() => {
    selectedRef.current = selectedId;
    layer.changed();
  }, [layer, selectedId]);

  useOlListener<MapBrowserEvent<PointerEvent>>(map, 'click', (event) => {
    const hit = map.forEachFeatureAtPixel(event.pixel, (f) => f, { layerFilter: (l) => l === layer, hitTolerance: 6 });
    const id = hit?.getId();
    if (id !== undefined) onSelect(String(id));
  });

  return null;
}
