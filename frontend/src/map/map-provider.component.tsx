import type OlMap from 'ol/Map';
import { useEffect, useState, type ReactNode } from 'react';
import { MapContext } from './map-context';
import { createOlMap } from './map-factory';

declare global {
  interface Window {
    /** The live map, for the browser journeys to inspect what is really drawn. */
    __qianzhi?: { map: OlMap };
  }
}

/** Creates the one ol/Map of a map view, once, and shares it with the layers and tools inside. */
export function MapProvider({ children }: { children: ReactNode }) {
  const [map] = useState(createOlMap);

  useEffect(() => {
    window.__qianzhi = { map };
    return () => {
      if (window.__qianzhi?.map === map) delete window.__qianzhi;
    };
  }, [map]);

  return <MapContext.Provider value={map}>{children}</MapContext.Provider>;
}
