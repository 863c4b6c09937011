import type OlMap from 'ol/Map';
import { createContext, useContext } from 'react';

export const MapContext = createContext<OlMap | null>(null);

/** The map of the surrounding <MapProvider>; layers and tools use it instead of creating their own. */
export function useMap(): OlMap {
  const map = useContext(MapContext);
  if (!map) throw new Error('useMap() must be used inside <MapProvider>');
  return map;
}
