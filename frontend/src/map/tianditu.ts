/**
 * Tianditu (天地图) web-Mercator tiles. Tianditu is CGCS2000-based, so survey data lines up with it; the
 * commercial Chinese maps are deliberately offset (GCJ-02/BD-09) and must never be used (DOMAIN §5).
 */
export type TiandituLayer = 'vec' | 'cva';

export function tiandituTileUrl(layer: TiandituLayer, key: string): string {
  return (
    `https://t{0-7}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0` +
    `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}` +
    `&tk=${encodeURIComponent(key)}`
  );
}
