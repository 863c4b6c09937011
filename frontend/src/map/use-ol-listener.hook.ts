import type { EventsKey } from 'ol/events';
import type BaseEvent from 'ol/events/Event';
import type Observable from 'ol/Observable';
import { unByKey } from 'ol/Observable';
import { useEffect, useRef } from 'react';

/**
 * Listens to an OpenLayers event for as long as the component is mounted. The latest handler is always
 * called, so callers need not memoise it (and re-subscribing on every render is avoided).
 */
export function useOlListener<E extends BaseEvent>(
  target: Observable | null | undefined,
  type: string,
  handler: (event: E) => void,
): void {
  const latest = useRef(handler);
  latest.current = handler;

  useEffect(() => {
    if (!target) return;
    // Observable#on is overloaded per event type; this hook is generic over them, hence the cast.
    const on = target.on.bind(target) as unknown as (type: string, listener: (event: E) => void) => EventsKey;
    const key = on(type, (event: E) => latest.current(event));
    return () => unByKey(key);
  }, [target, type]);
}
