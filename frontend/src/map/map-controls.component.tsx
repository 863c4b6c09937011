import type { Coordinate } from 'ol/coordinate';
import Attribution from 'ol/control/Attribution';
import MousePosition from 'ol/control/MousePosition';
import ScaleLine from 'ol/control/ScaleLine';
import Zoom from 'ol/control/Zoom';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useMap } from './map-context';
import { DATA_PROJECTION } from './map-projection';

/** Zoom buttons, a metric scale bar, lon/lat of the pointer (6 decimals ≈ 0.1 m) and attributions. */
export function MapControls() {
  const map = useMap();
  const { t } = useTranslation();

  useEffect(() => {
    const formatLonLat = (c?: Coordinate) =>
      c ? `${t('map.lon')} ${c[0]!.toFixed(6)}°  ${t('map.lat')} ${c[1]!.toFixed(6)}°` : '';
    const controls = [
      new Zoom({ zoomInTipLabel: t('map.zoomInTip'), zoomOutTipLabel: t('map.zoomOutTip') }),
      new ScaleLine({ units: 'metric', bar: false, minWidth: 80 }),
      new MousePosition({
        projection: DATA_PROJECTION,
        coordinateFormat: formatLonLat,
        className: 'qz-mouse-position',
        placeholder: '',
      }),
      new Attribution({ collapsible: true, tipLabel: t('map.attribution') }),
    ];
    controls.forEach((control) => map.addControl(control));
    return () => controls.forEach((control) => map.removeControl(control));
  }, [map, t]);

  return null;
}
