import type BaseLayer from 'ol/layer/Base';
import { useEffect } from 'react';
import { useMap } from './map-context';

/** Keeps a layer on the shared map while the component that owns it is mounted (STYLE: a layer component owns one OL layer). */
export function useOlLayer(layer: BaseLayer): void {
  const map = useMap();
  useEffect(() => {
    map.addLayer(layer);
    return () => void map.removeLayer(layer);
  }, [map, layer]);
}
