import { describe, expect, it } from 'vitest';
import { rgba, zoneCategoryColor, zoneStyle, zoningAreaStyle } from './layer-styles';
import { compositeOver, MAP_BACKGROUND_COLOR, UNKNOWN_CATEGORY_COLOR, ZONE_CATEGORY_COLORS } from './map-colors.data';

function fillRgb(style: ReturnType<typeof zoneStyle>): number[] {
  const color = style.getFill()?.getColor();
  const match = /rgba\((\d+), (\d+), (\d+), ([\d.]+)\)/.exec(String(color));
  if (!match) throw new Error(`not an rgba colour: ${String(color)}`);
  return match.slice(1, 4).map(Number);
}

function hue(rgb: number[]): 'red' | 'green' | 'blue' {
  const [r = 0, g = 0, b = 0] = rgb;
  if (r >= g && r >= b) return 'red';
  return g >= b ? 'green' : 'blue';
}

describe('category styles', () => {
  it('colours zones by category: industrial blue, agricultural green, cultural tourism purple', () => {
    expect(hue(fillRgb(zoneStyle('industrial')))).toBe('blue');
    expect(hue(fillRgb(zoneStyle('agricultural')))).toBe('green');
    const [r = 0, g = 0, b = 0] = fillRgb(zoneStyle('cultural_tourism'));
    expect(r > g && b > g).toBe(true); // purple: red and blue over green
  });

  it('gives each zone category its own colour', () => {
    const fills = ['industrial', 'agricultural', 'cultural_tourism'].map((c) => fillRgb(zoneStyle(c)).join());
    expect(new Set(fills).size).toBe(3);
  });

  it('colours zoning areas avoidance red, exploration amber, release green', () => {
    expect(hue(fillRgb(zoningAreaStyle('avoidance')))).toBe('red');
    const [r = 0, g = 0, b = 0] = fillRgb(zoningAreaStyle('exploration'));
    expect(r > 200 && g > 120 && b < 50).toBe(true);
    expect(hue(fillRgb(zoningAreaStyle('release')))).toBe('green');
  });

  it('falls back to a neutral grey for an unknown category instead of failing to draw', () => {
    expect(zoneCategoryColor('mining')).toBe(UNKNOWN_CATEGORY_COLOR);
    expect(zoneStyle('mining').getFill()?.getColor()).toBe(rgba(UNKNOWN_CATEGORY_COLOR));
  });

  it('makes a selected zone stand out', () => {
    const normal = zoneStyle('industrial');
    const selected = zoneStyle('industrial', true);
    expect(selected.getStroke()!.getWidth()!).toBeGreaterThan(normal.getStroke()!.getWidth()!);
    expect(selected).toBe(zoneStyle('industrial', true)); // cached: one Style object per key
  });

  it('computes the colour a user sees where a fill is drawn over the background', () => {
    const seen = compositeOver(ZONE_CATEGORY_COLORS.industrial, MAP_BACKGROUND_COLOR);
    expect(seen).toEqual([181, 204, 230]);
  });
});
