import OlMap from 'ol/Map';
import View from 'ol/View';
import { defaults as defaultInteractions } from 'ol/interaction/defaults';
import { SHANXI_EXTENT_LONLAT, toViewExtent, VIEW_PROJECTION } from './map-projection';

/** A bare map: controls and layers are added by components so that they follow React's lifecycle. */
export function createOlMap(): OlMap {
  const view = new View({ projection: VIEW_PROJECTION, maxZoom: 20, minZoom: 4, constrainResolution: false });
  view.fit(toViewExtent(SHANXI_EXTENT_LONLAT), { size: [1024, 768] });
  return new OlMap({
    view,
    controls: [],
    // Pinch-rotate on phones leaves users with a tilted map and no idea why; survey maps stay north-up.
    interactions: defaultInteractions({ altShiftDragRotate: false, pinchRotate: false }),
  });
}
