import type { Geometry as GeoJsonGeometry } from 'geojson';
import type Collection from 'ol/Collection';
import type { CollectionEvent } from 'ol/Collection';
import GeoJSON from 'ol/format/GeoJSON';
import type { Geometry } from 'ol/geom';
import type Interaction from 'ol/interaction/Interaction';
import Snap from 'ol/interaction/Snap';
import type VectorLayer from 'ol/layer/Vector';
import type VectorSource from 'ol/source/Vector';
import { getArea } from 'ol/sphere';
import { useEffect, useRef, useState } from 'react';
import { useMap } from '../map-context';
import { DATA_PROJECTION, VIEW_PROJECTION } from '../map-projection';
import { useOlListener } from '../use-ol-listener.hook';

/** The server stores zoning geometry on a 1e-9° grid: writing at that precision keeps snapped vertices exact. */
export const STORED_DECIMALS = 9;

const format = new GeoJSON({ dataProjection: DATA_PROJECTION, featureProjection: VIEW_PROJECTION });

/** A view geometry as GeoJSON lon/lat on the storage grid (so a snapped vertex equals its neighbour's exactly). */
export function geometryToLonLat<T extends GeoJsonGeometry>(geometry: Geometry): T {
  const written = format.writeGeometryObject(geometry, { decimals: STORED_DECIMALS }) as T;
  return { type: written.type, coordinates: (written as { coordinates: unknown }).coordinates } as T;
}

/** m² on the sphere, from the lon/lat geometry (never the planar web-Mercator area, which is ~1.5× too big in Shanxi). */
export function sphericalAreaM2(viewGeometry: Geometry): number {
  return getArea(viewGeometry.clone().transform(VIEW_PROJECTION, DATA_PROJECTION), { projection: DATA_PROJECTION });
}

interface SnapToolProps {
  /** ids (the `id` layer property) of the vector layers to snap to, e.g. the zone boundary and the plan's areas */
  layerIds: readonly string[];
  active: boolean;
  /** px */
  pixelTolerance?: number;
}

/**
 * Snaps the pointer of drawing and modifying tools to the vertices and edges of the given layers. OpenLayers
 * requires Snap to come after the interactions it serves, so it moves itself back to the end whenever another
 * interaction is added. Renders nothing.
 */
export function SnapTool({ layerIds, active, pixelTolerance = 10 }: SnapToolProps) {
  const map = useMap();
  const [snaps, setSnaps] = useState<Snap[]>([]);
  // The add listener may fire before the state above re-renders (a sibling tool mounting in the same commit).
  const mounted = useRef<Snap[]>([]);
  const key = layerIds.join('|');

  useEffect(() => {
    const sources = map
      .getLayers()
      .getArray()
      .filter((layer) => layerIds.includes(String(layer.get('id'))))
      .map((layer) => (layer as VectorLayer<VectorSource>).getSource())
      .filter((source): source is VectorSource => Boolean(source));
    const created = sources.map((source) => new Snap({ source, pixelTolerance }));
    created.forEach((snap) => map.addInteraction(snap));
    mounted.current = created;
    setSnaps(created);
    return () => {
      created.forEach((snap) => map.removeInteraction(snap));
      mounted.current = [];
      setSnaps([]);
    };
    // layerIds is compared by value through `key`.
  }, [map, key, pixelTolerance]);

  useEffect(() => {
    snaps.forEach((snap) => snap.setActive(active));
  }, [snaps, active]);

  const interactions: Collection<Interaction> = map.getInteractions();
  useOlListener(interactions, 'add', (event: CollectionEvent<Interaction>) => {
    if (event.element instanceof Snap) return;
    // Re-append after the listener returns: the collection must not be changed while it dispatches.
    queueMicrotask(() => {
      for (const snap of mounted.current) {
        if (!interactions.getArray().includes(snap)) continue;
        interactions.remove(snap);
        interactions.push(snap);
      }
    });
  });

  return null;
}
