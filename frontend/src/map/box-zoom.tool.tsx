import { always } from 'ol/events/condition';
import DragZoom from 'ol/interaction/DragZoom';
import { useMap } from './map-context';
import { useOlInteraction } from './use-ol-interaction.hook';
import { useOlListener } from './use-ol-listener.hook';

/** While active, a mouse drag draws a box and zooms to it; one box per activation, like desktop GIS. */
export function BoxZoomTool({ active, onDone }: { active: boolean; onDone: () => void }) {
  const map = useMap();
  const interaction = useOlInteraction(() => new DragZoom({ condition: always, className: 'qz-box-zoom' }), [], active);
  useOlListener(interaction, 'boxend', onDone);
  // Panning would fight the box drag, so it pauses while the tool is on.
  useOlListener(map, 'pointerdrag', (event: { stopPropagation(): void }) => {
    if (active) event.stopPropagation();
  });
  return null;
}
