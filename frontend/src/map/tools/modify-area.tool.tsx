import type { Polygon as GeoJsonPolygon } from 'geojson';
import type Feature from 'ol/Feature';
import type { Polygon } from 'ol/geom';
import Modify, { type ModifyEvent } from 'ol/interaction/Modify';
import type VectorLayer from 'ol/layer/Vector';
import type VectorSource from 'ol/source/Vector';
import { useMap } from '../map-context';
import { useOlInteraction } from '../use-ol-interaction.hook';
import { useOlListener } from '../use-ol-listener.hook';
import { geometryToLonLat } from './snap.tool';

export interface ModifiedArea {
  id: string;
  geometry: GeoJsonPolygon;
}

interface ModifyAreaToolProps {
  /** the `id` property of the vector layer whose polygons may be reshaped */
  layerId: string;
  active: boolean;
  /**
   * After each drag: every feature that changed (a vertex shared by two neighbours moves in both), as lon/lat.
   * Feature ids are the record ids.
   */
  onModified: (areas: ModifiedArea[]) => void;
}

/** Drag vertices (or an edge, to add one) of the layer's polygons; alt-click removes a vertex. Renders nothing. */
export function ModifyAreaTool({ layerId, active, onModified }: ModifyAreaToolProps) {
  const map = useMap();
  const modify = useOlInteraction(
    () => {
      const layer = map
        .getLayers()
        .getArray()
        .find((l) => l.get('id') === layerId) as VectorLayer<VectorSource> | undefined;
      if (!layer?.getSource()) throw new Error(`ModifyAreaTool: no vector layer "${layerId}" on the map`);
      return new Modify({ source: layer.getSource()! });
    },
    [layerId],
    active,
  );
  useOlListener(modify, 'modifyend', (event: ModifyEvent) => {
    const changed = event.features
      .getArray()
      .map((f: Feature) => ({ id: String(f.getId()), geometry: geometryToLonLat<GeoJsonPolygon>(f.getGeometry() as Polygon) }));
    if (changed.length > 0) onModified(changed);
  });
  return null;
}
