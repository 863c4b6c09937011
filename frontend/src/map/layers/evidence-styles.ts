import type { FeatureLike } from 'ol/Feature';
import { Circle as CircleStyle, Fill, RegularShape, Stroke, Style } from 'ol/style';
import {
  coreAppearance,
  OBSERVATION_KIND_COLORS,
  RELIC_COLOR,
  TRACK_COLOR,
  UNKNOWN_RESULT_COLOR,
} from './evidence-colors.data';

const cache = new Map<string, Style>();

function cached(key: string, make: () => Style): Style {
  let style = cache.get(key);
  if (!style) {
    style = make();
    cache.set(key, style);
  }
  return style;
}

/** A core: a dot filled by result (negative grey, cultural layer amber, tomb red, feature purple, disturbed brown), hollow when planned. */
export function coreStyle(status: unknown, result: unknown, selected = false): Style {
  const { color, hollow } = coreAppearance(status, result);
  return cached(`core|${color}|${hollow}|${selected}`, () => {
    const radius = selected ? 7 : 4.5;
    return new Style({
      image: new CircleStyle({
        radius,
        fill: hollow ? new Fill({ color: 'rgba(255,255,255,0.6)' }) : new Fill({ color }),
        stroke: new Stroke({ color: selected ? '#000000' : hollow ? color : '#ffffff', width: selected ? 2.5 : hollow ? 1.5 : 1 }),
      }),
      // Positive results stay on top of the many negatives around them.
      zIndex: hollow ? 0 : color === coreAppearance('cored', 'negative').color ? 1 : 2,
    });
  });
}

export function coreFeatureStyle(feature: FeatureLike, selectedId: string | null): Style {
  const id = String(feature.get('id') ?? feature.getId());
  return coreStyle(feature.get('status'), feature.get('result'), id === selectedId);
}

/** An observation: a square marker coloured by kind. */
export function observationStyle(kind: unknown, selected = false): Style {
  const color = OBSERVATION_KIND_COLORS[String(kind)] ?? UNKNOWN_RESULT_COLOR;
  return cached(`obs|${color}|${selected}`, () =>
    new Style({
      image: new RegularShape({
        points: 4,
        radius: selected ? 9 : 7,
        angle: Math.PI / 4,
        fill: new Fill({ color }),
        stroke: new Stroke({ color: selected ? '#000000' : '#ffffff', width: selected ? 2.5 : 1.5 }),
      }),
      zIndex: 3,
    }),
  );
}

export function trackStyle(selected = false): Style {
  return cached(`track|${selected}`, () => new Style({ stroke: new Stroke({ color: TRACK_COLOR, width: selected ? 4 : 2.5 }) }));
}

export type RelicPart = 'relic' | 'protection_range' | 'control_zone';

export function relicPartOf(part: unknown): RelicPart {
  return part === 'protection_range' || part === 'control_zone' ? part : 'relic';
}

/**
 * A relic: the relic itself solid red (a polygon or a star marker); its protection range (保护范围) dashed red,
 * its construction-control zone (建设控制地带) a wider-spaced dashed orange line, both barely filled.
 */
export function relicStyle(part: unknown, selected = false): Style {
  const which = relicPartOf(part);
  return cached(`relic|${which}|${selected}`, () => {
    switch (which) {
      case 'protection_range':
        return new Style({
          fill: new Fill({ color: 'rgba(183, 28, 28, 0.06)' }),
          stroke: new Stroke({ color: RELIC_COLOR, width: selected ? 3 : 1.8, lineDash: [8, 5] }),
          zIndex: 1,
        });
      case 'control_zone':
        return new Style({
          fill: new Fill({ color: 'rgba(230, 81, 0, 0.04)' }),
          stroke: new Stroke({ color: '#e65100', width: selected ? 3 : 1.5, lineDash: [3, 6] }),
          zIndex: 0,
        });
      case 'relic':
        return new Style({
          fill: new Fill({ color: 'rgba(183, 28, 28, 0.35)' }),
          stroke: new Stroke({ color: RELIC_COLOR, width: selected ? 3 : 2 }),
          image: new RegularShape({
            points: 5,
            radius: selected ? 11 : 9,
            radius2: selected ? 5 : 4,
            fill: new Fill({ color: RELIC_COLOR }),
            stroke: new Stroke({ color: '#ffffff', width: 1.5 }),
          }),
          zIndex: 4,
        });
    }
  });
}
