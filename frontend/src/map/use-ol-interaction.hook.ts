import type Interaction from 'ol/interaction/Interaction';
import { useEffect, useState, type DependencyList } from 'react';
import { useMap } from './map-context';

/**
 * Adds the interaction the factory makes while the component is mounted, recreating it when deps change,
 * and toggles it with `active` without recreating it.
 */
export function useOlInteraction<T extends Interaction>(
  factory: () => T,
  deps: DependencyList,
  active = true,
): T | null {
  const map = useMap();
  const [interaction, setInteraction] = useState<T | null>(null);

  useEffect(() => {
    const created = factory();
    map.addInteraction(created);
    setInteraction(created);
    return () => {
      map.removeInteraction(created);
      setInteraction(null);
    };
    // Deps are the caller's, as with useEffect (the factory/loader itself is deliberately not a dependency).
  }, [map, ...deps]);

  useEffect(() => {
    interaction?.setActive(active);
  }, [interaction, active]);

  return interaction;
}
