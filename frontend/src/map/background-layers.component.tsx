import Graticule from 'ol/layer/Graticule';
import TileLayer from 'ol/layer/Tile';
import XYZ from 'ol/source/XYZ';
import { Stroke } from 'ol/style';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { GRATICULE_COLOR } from './map-colors.data';
import { useMap } from './map-context';
import { tiandituTileUrl } from './tianditu';

/**
 * A plain background with a lon/lat graticule, which needs no network (government intranets are often
 * offline); with a Tianditu key, Tianditu's vector map and its annotation layer instead.
 */
export function BackgroundLayers({ tiandituKey }: { tiandituKey: string | null }) {
  const map = useMap();
  const { t } = useTranslation();

  useEffect(() => {
    const layers = tiandituKey
      ? (['vec', 'cva'] as const).map(
          (kind, i) =>
            new TileLayer({
              properties: { id: `tianditu-${kind}` },
              zIndex: i,
              source: new XYZ({
                url: tiandituTileUrl(kind, tiandituKey),
                crossOrigin: 'anonymous',
                maxZoom: 18,
                attributions: t('map.tiandituAttribution'),
              }),
            }),
        )
      : [
          new Graticule({
            properties: { id: 'graticule' },
            zIndex: 1,
            strokeStyle: new Stroke({ color: GRATICULE_COLOR, width: 1, lineDash: [2, 4] }),
            showLabels: true,
            // Fewer, wider-spaced lines keep the edge labels from running into each other.
            targetSize: 160,
            wrapX: false,
          }),
        ];
    layers.forEach((layer) => map.addLayer(layer));
    return () => layers.forEach((layer) => map.removeLayer(layer));
  }, [map, tiandituKey, t]);

  return null;
}
