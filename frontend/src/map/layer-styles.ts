import type { FeatureLike } from 'ol/Feature';
import type { Geometry, MultiPolygon, Polygon } from 'ol/geom';
import { Circle as CircleStyle, Fill, Stroke, Style, Text } from 'ol/style';
import {
  rgba,
  zoneCategoryColor,
  zoningCategoryColor,
  type CategoryColor,
  type ZONE_CATEGORY_COLORS,
  type ZONING_CATEGORY_COLORS,
} from './map-colors.data';

export { rgba, zoneCategoryColor, zoningCategoryColor };

export type ZoneCategoryKey = keyof typeof ZONE_CATEGORY_COLORS;
export type ZoningCategoryKey = keyof typeof ZONING_CATEGORY_COLORS;

const polygonStyleCache = new Map<string, Style>();

function polygonStyle(key: string, color: CategoryColor, selected: boolean): Style {
  const cacheKey = `${key}|${selected}`;
  let style = polygonStyleCache.get(cacheKey);
  if (!style) {
    style = new Style({
      fill: new Fill({ color: rgba(color, selected ? 1.6 : 1) }),
      stroke: new Stroke({ color: color.stroke, width: selected ? 3.5 : 1.5 }),
      zIndex: selected ? 1 : 0,
    });
    polygonStyleCache.set(cacheKey, style);
  }
  return style;
}

/** Development zones by category: industrial blue, agricultural green, cultural tourism purple. */
export function zoneStyle(category: string, selected = false): Style {
  return polygonStyle(`zone:${category}`, zoneCategoryColor(category), selected);
}

/** Zoning plan areas: avoidance red, exploration amber, release green. */
export function zoningAreaStyle(category: string, selected = false): Style {
  return polygonStyle(`zoning:${category}`, zoningCategoryColor(category), selected);
}

/**
 * A zone's name, drawn above its interior point (offsetY) so the fill at the point itself stays visible.
 * Shown only when zoomed in enough for names not to pile up.
 */
export function zoneLabelStyle(name: string): Style {
  return new Style({
    text: new Text({
      text: name,
      font: '600 13px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
      fill: new Fill({ color: '#1f2d3d' }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.92)', width: 3 }),
      offsetY: -18,
      overflow: true,
    }),
    zIndex: 2,
  });
}

/** Resolution (m/px in EPSG:3857) below which zone names are drawn. */
export const ZONE_LABEL_MAX_RESOLUTION = 80;

/** Resolution (m/px) above which a zone, a few pixels wide at province scale, also gets a marker. */
export const ZONE_MARKER_MIN_RESOLUTION = 250;

function interiorPoint(feature: FeatureLike): Geometry | undefined {
  const geometry = feature.getGeometry();
  switch (geometry?.getType()) {
    case 'Polygon':
      return (geometry as Polygon).getInteriorPoint();
    case 'MultiPolygon':
      return (geometry as MultiPolygon).getInteriorPoints();
    default:
      return undefined;
  }
}

const markerCache = new Map<string, Style>();

/** A dot at the zone's interior point, so a 5 km zone stays findable on a 400 km province view. */
export function zoneMarkerStyle(category: string): Style {
  let style = markerCache.get(category);
  if (!style) {
    const color = zoneCategoryColor(category);
    style = new Style({
      geometry: interiorPoint,
      image: new CircleStyle({
        radius: 5,
        fill: new Fill({ color: color.stroke }),
        stroke: new Stroke({ color: '#ffffff', width: 1.5 }),
      }),
      zIndex: 3,
    });
    markerCache.set(category, style);
  }
  return style;
}
