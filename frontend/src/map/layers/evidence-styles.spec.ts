import type { Circle, RegularShape } from 'ol/style';
import { describe, expect, it } from 'vitest';
import { CORE_RESULT_COLORS, PLANNED_CORE_COLOR } from './evidence-colors.data';
import { coreStyle, relicStyle } from './evidence-styles';

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function fillOf(status: string, result: string | null): string {
  return String((coreStyle(status, result).getImage() as Circle).getFill()?.getColor());
}

describe('core styles by result', () => {
  it('colours cored points: negative grey, cultural layer amber, tomb red, feature purple, disturbed brown', () => {
    const [gr, gg, gb] = hexToRgb(fillOf('cored', 'negative'));
    expect(Math.max(gr, gg, gb) - Math.min(gr, gg, gb)).toBeLessThan(10); // grey: no hue

    const [ar, ag, ab] = hexToRgb(fillOf('cored', 'cultural_layer'));
    expect(ar > 200 && ag > 120 && ab < 60).toBe(true); // amber

    const [tr, tg, tb] = hexToRgb(fillOf('cored', 'tomb'));
    expect(tr > 150 && tg < 80 && tb < 80).toBe(true); // red

    const [fr, fg, fb] = hexToRgb(fillOf('cored', 'feature'));
    expect(fr > fg && fb > fg).toBe(true); // purple

    const [br, bg, bb] = hexToRgb(fillOf('cored', 'disturbed'));
    expect(br > bg && bg > bb && br < 180).toBe(true); // brown: a dark orange
  });

  it('gives every result its own colour so the map tells them apart', () => {
    const fills = Object.keys(CORE_RESULT_COLORS).map((result) => fillOf('cored', result));
    expect(new Set(fills).size).toBe(5);
  });

  it('draws a planned core hollow, whatever result field it carries', () => {
    const planned = coreStyle('planned', null).getImage() as Circle;
    expect(planned.getStroke()?.getColor()).toBe(PLANNED_CORE_COLOR);
    expect(String(planned.getFill()?.getColor())).toMatch(/rgba\(255,\s*255,\s*255/);
    expect(Object.values(CORE_RESULT_COLORS)).not.toContain(String(planned.getFill()?.getColor()));
  });

  it('keeps positive cores above negatives and makes the selected core bigger', () => {
    expect(coreStyle('cored', 'tomb').getZIndex()!).toBeGreaterThan(coreStyle('cored', 'negative').getZIndex()!);
    const normal = coreStyle('cored', 'tomb').getImage() as Circle;
    const selected = coreStyle('cored', 'tomb', true).getImage() as Circle;
    expect(selected.getRadius()).toBeGreaterThan(normal.getRadius());
  });
});

describe('relic styles', () => {
  it('draws protection ranges and control zones dashed, the relic itself solid', () => {
    expect(relicStyle('protection_range').getStroke()?.getLineDash()?.length).toBeGreaterThan(0);
    expect(relicStyle('control_zone').getStroke()?.getLineDash()?.length).toBeGreaterThan(0);
    expect(relicStyle(undefined).getStroke()?.getLineDash() ?? []).toHaveLength(0);
    expect((relicStyle(undefined).getImage() as RegularShape).getPoints()).toBe(5); // a star for point relics
  });
});
