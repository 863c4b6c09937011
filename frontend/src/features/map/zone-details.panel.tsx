import CloseOutlined from '@ant-design/icons/CloseOutlined';
import { Button, Card, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/i18n.config';
import type { ZoneSummary } from '../../map/zone-view.util';
import { formatArea, muToHectares } from '../../shared/area.util';
import { ZoneCategoryTag } from '../zones/zone-category-tag.component';

/** What a click on a zone tells: name, code, category, and its area in 亩 and hectares. */
export function ZoneDetailsPanel({ zone, onClose }: { zone: ZoneSummary; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  return (
    <Card
      size="small"
      className="qz-map-panel qz-zone-panel"
      data-testid="zone-details"
      title={zone.name}
      extra={<Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('map.close')} onClick={onClose} />}
    >
      <Descriptions size="small" column={1} colon={false} styles={{ label: { width: 72 } }}>
        <Descriptions.Item label={t('map.code')}>{zone.code}</Descriptions.Item>
        <Descriptions.Item label={t('map.category')}>
          <ZoneCategoryTag category={zone.category} />
        </Descriptions.Item>
        <Descriptions.Item label={t('map.area')}>
          <div className="qz-area">
            <span>
              {formatArea(zone.areaMu, language)} {t('units.mu')}
            </span>
            <span className="qz-area-secondary">
              {formatArea(muToHectares(zone.areaMu), language)} {t('units.ha')}
            </span>
          </div>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
