/**
 * Colours of the map as plain data, without OpenLayers, so the browser journeys can import them and check
 * that what is drawn on the canvas really is the category colour.
 */
export type Rgb = readonly [number, number, number];

export interface CategoryColor {
  stroke: string;
  fill: Rgb;
  fillOpacity: number;
}

export const MAP_BACKGROUND_COLOR: Rgb = [244, 243, 238];
export const GRATICULE_COLOR = 'rgba(110, 120, 135, 0.35)';

export const ZONE_CATEGORY_COLORS = {
  industrial: { stroke: '#1f5fae', fill: [47, 120, 214], fillOpacity: 0.32 },
  agricultural: { stroke: '#2e7d32', fill: [76, 175, 80], fillOpacity: 0.32 },
  cultural_tourism: { stroke: '#6a3d9a', fill: [142, 84, 199], fillOpacity: 0.32 },
} as const satisfies Record<string, CategoryColor>;

/** Zoning plan areas (DOMAIN §4.2): avoidance red, exploration amber, release green. */
export const ZONING_CATEGORY_COLORS = {
  avoidance: { stroke: '#c62828', fill: [229, 57, 53], fillOpacity: 0.4 },
  exploration: { stroke: '#b77900', fill: [255, 179, 0], fillOpacity: 0.4 },
  release: { stroke: '#2e7d32', fill: [67, 160, 71], fillOpacity: 0.35 },
} as const satisfies Record<string, CategoryColor>;

/** Colour for a category the UI does not know yet (a newer backend): visible but clearly neutral. */
export const UNKNOWN_CATEGORY_COLOR: CategoryColor = { stroke: '#616161', fill: [158, 158, 158], fillOpacity: 0.3 };

/** The colour a translucent fill shows over an opaque background — what a user actually sees. */
export function compositeOver(color: CategoryColor, background: Rgb): Rgb {
  const a = color.fillOpacity;
  return [0, 1, 2].map((i) => Math.round(color.fill[i]! * a + background[i]! * (1 - a))) as unknown as Rgb;
}

export function rgba(color: CategoryColor, opacityScale = 1): string {
  const [r, g, b] = color.fill;
  return `rgba(${r}, ${g}, ${b}, ${Math.min(1, color.fillOpacity * opacityScale)})`;
}

export function zoneCategoryColor(category: string): CategoryColor {
  return (ZONE_CATEGORY_COLORS as Record<string, CategoryColor>)[category] ?? UNKNOWN_CATEGORY_COLOR;
}

export function zoningCategoryColor(category: string): CategoryColor {
  return (ZONING_CATEGORY_COLORS as Record<string, CategoryColor>)[category] ?? UNKNOWN_CATEGORY_COLOR;
}
