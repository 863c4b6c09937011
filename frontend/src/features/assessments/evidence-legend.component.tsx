import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  CORE_RESULT_COLORS,
  OBSERVATION_KIND_COLORS,
  PLANNED_CORE_COLOR,
  RELIC_COLOR,
  TRACK_COLOR,
} from '../../map/layers/evidence-colors.data';

/** The evidence map's key, in the colours the layers draw. */
export function EvidenceLegend() {
  const { t } = useTranslation();
  return (
    <Card size="small" className="qz-map-panel qz-legend" title={t('map.legend')} data-testid="evidence-legend">
      <div className="qz-legend-heading">{t('legend.cores')}</div>
      {Object.entries(CORE_RESULT_COLORS).map(([result, color]) => (
        <div key={result} className="qz-legend-row">
          <span className="qz-legend-swatch" style={{ background: color, borderColor: '#fff', borderRadius: '50%' }} />
          {t(`coreResult.${result}`)}
        </div>
      ))}
      <div className="qz-legend-row">
        <span className="qz-legend-swatch" style={{ background: '#fff', borderColor: PLANNED_CORE_COLOR, borderRadius: '50%' }} />
        {t('coreResult.planned')}
      </div>
      <div className="qz-legend-heading">{t('legend.survey')}</div>
      <div className="qz-legend-row">
        <span className="qz-legend-swatch" style={{ background: TRACK_COLOR, height: 3, borderColor: TRACK_COLOR }} />
        {t('legend.track')}
      </div>
      {Object.entries(OBSERVATION_KIND_COLORS).map(([kind, color]) => (
        <div key={kind} className="qz-legend-row">
          <span className="qz-legend-swatch" style={{ background: color, transform: 'rotate(45deg) scale(0.8)' }} />
          {t(`observationKind.${kind}`)}
        </div>
      ))}
      <div className="qz-legend-heading">{t('legend.relics')}</div>
      <div className="qz-legend-row">
        <span className="qz-legend-swatch" style={{ background: 'rgba(183,28,28,0.35)', borderColor: RELIC_COLOR }} />
        {t('legend.relic')}
      </div>
      <div className="qz-legend-row">
        <span className="qz-legend-swatch" style={{ background: 'transparent', borderColor: RELIC_COLOR, borderStyle: 'dashed' }} />
        {t('legend.protectionRange')}
      </div>
      <div className="qz-legend-row">
        <span className="qz-legend-swatch" style={{ background: 'transparent', borderColor: '#e65100', borderStyle: 'dotted' }} />
        {t('legend.controlZone')}
      </div>
    </Card>
  );
}
