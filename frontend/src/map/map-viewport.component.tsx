import { useEffect, useRef, type CSSProperties } from 'react';
import { MAP_BACKGROUND_COLOR } from './map-colors.data';
import { useMap } from './map-context';

/** The div the map draws into: attached on mount, detached on unmount (the map itself lives on). */
export function MapViewport({ className, style }: { className?: string; style?: CSSProperties }) {
  const map = useMap();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    map.setTarget(element);
    // The container may get its size after layout (flex parents); tell OL when it changes.
    const observer = new ResizeObserver(() => map.updateSize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      map.setTarget(undefined);
    };
  }, [map]);

  const [r, g, b] = MAP_BACKGROUND_COLOR;
  return (
    <div
      ref={ref}
      className={className}
      data-testid="map-viewport"
      style={{ background: `rgb(${r}, ${g}, ${b})`, ...style }}
    />
  );
}
