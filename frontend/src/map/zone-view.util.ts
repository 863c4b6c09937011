import type Feature from 'ol/Feature';
import type OlMap from 'ol/Map';
import type VectorLayer from 'ol/layer/Vector';
import type VectorSource from 'ol/source/Vector';
import type { ZoneFeatureProperties } from '../api/api-types';
import { ZONES_LAYER_ID } from './zones-layer.component';

/** What leaves the map about a zone: plain data, never the OL feature. */
export type ZoneSummary = ZoneFeatureProperties & { id: string };

const FIT_PADDING = [48, 48, 48, 48];

export function zonesLayerOf(map: OlMap): VectorLayer<VectorSource> | undefined {
  return map
    .getLayers()
    .getArray()
    .find((layer) => layer.get('id') === ZONES_LAYER_ID) as VectorLayer<VectorSource> | undefined;
}

export function isZonesLayer(layer: { get(key: string): unknown }): boolean {
  return layer.get('id') === ZONES_LAYER_ID;
}

export function zoneSummaryOf(feature: Pick<Feature, 'getId' | 'get'>): ZoneSummary {
  return {
    id: String(feature.getId()),
    code: String(feature.get('code') ?? ''),
    name: String(feature.get('name') ?? ''),
    category: feature.get('category') as ZoneSummary['category'],
    areaMu: Number(feature.get('areaMu') ?? 0),
  };
}

/** Fits the view to every zone loaded; false when there is none. */
export function fitToAllZones(map: OlMap, duration = 0): boolean {
  const source = zonesLayerOf(map)?.getSource();
  const extent = source && source.getFeatures().length > 0 ? source.getExtent() : null;
  if (!extent) return false;
  map.getView().fit(extent, { padding: FIT_PADDING, duration, maxZoom: 16 });
  return true;
}

/** Fits the view to one zone and returns its summary, or null when it is not on the map. */
export function fitToZone(map: OlMap, zoneId: string, duration = 0): ZoneSummary | null {
  const feature = zonesLayerOf(map)?.getSource()?.getFeatureById(zoneId);
  const geometry = feature?.getGeometry();
  if (!feature || !geometry) return null;
  map.getView().fit(geometry.getExtent(), { padding: FIT_PADDING, duration, maxZoom: 17 });
  return zoneSummaryOf(feature);
}
