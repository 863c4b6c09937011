import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { rgba, ZONE_CATEGORY_COLORS } from '../../map/map-colors.data';

/** The categories in the colours the map uses, the basemap in use, and how many zones are shown. */
export function MapLegend({ zoneCount, tianditu }: { zoneCount: number | null; tianditu: boolean }) {
  const { t } = useTranslation();
  return (
    <Card size="small" className="qz-map-panel qz-legend" title={t('map.legend')} data-testid="map-legend">
      <div className="qz-legend-heading">
        {t('map.zones')}
        {zoneCount !== null && <span className="qz-legend-count">{zoneCount}</span>}
      </div>
      {Object.entries(ZONE_CATEGORY_COLORS).map(([category, color]) => (
        <div key={category} className="qz-legend-row">
          <span className="qz-legend-swatch" style={{ background: rgba(color, 1.4), borderColor: color.stroke }} />
          {t(`zoneCategory.${category}`)}
        </div>
      ))}
      <div className="qz-legend-basemap">{tianditu ? t('map.basemapTianditu') : t('map.basemapBlank')}</div>
    </Card>
  );
}
