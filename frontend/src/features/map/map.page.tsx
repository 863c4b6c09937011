import BorderOuterOutlined from '@ant-design/icons/BorderOuterOutlined';
import ExpandOutlined from '@ant-design/icons/ExpandOutlined';
import { App, Button, Tooltip } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError, unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { useApiErrorNotifier, useApiQuery } from '../../api/use-api-query.hook';
import { BackgroundLayers } from '../../map/background-layers.component';
import { BoxZoomTool } from '../../map/box-zoom.tool';
import { MapControls } from '../../map/map-controls.component';
import { useMap } from '../../map/map-context';
import { MapProvider } from '../../map/map-provider.component';
import { MapViewport } from '../../map/map-viewport.component';
import { ZonePickTool } from '../../map/zone-pick.tool';
import { fitToAllZones, fitToZone, type ZoneSummary } from '../../map/zone-view.util';
import { ZonesLayer, type ZonesLoadResult } from '../../map/zones-layer.component';
import { MapLegend } from './map-legend.component';
import { ZoneDetailsPanel } from './zone-details.panel';

/** The map view: zones over an offline-safe background; `?zone=<id>` zooms to one zone. */
export function MapPage() {
  return (
    <MapProvider>
      <MapWorkspace />
    </MapProvider>
  );
}

function MapWorkspace() {
  const { t } = useTranslation();
  const map = useMap();
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [params] = useSearchParams();
  const focusZoneId = params.get('zone');
  const config = useApiQuery(() => unwrap(api.GET('/api/config/public')), []);
  const [selected, setSelected] = useState<ZoneSummary | null>(null);
  const [boxZoom, setBoxZoom] = useState(false);
  const [zoneCount, setZoneCount] = useState<number | null>(null);
  const loaded = useRef(false);

  const focus = useCallback(
    (zoneId: string) => {
      const zone = fitToZone(map, zoneId, 400);
      setSelected(zone);
      if (!zone) void message.warning(t('map.zoneNotFound'));
    },
    [map, message, t],
  );

  const onLoad = ({ featureCount, first }: ZonesLoadResult) => {
    setZoneCount(featureCount);
    if (!first) return;
    loaded.current = true;
    if (focusZoneId) focus(focusZoneId);
    else if (!fitToAllZones(map)) void message.info(t('map.noZones'));
  };

  // Navigating to another ?zone= while the map is already loaded.
  useEffect(() => {
    if (loaded.current && focusZoneId) focus(focusZoneId);
  }, [focusZoneId, focus]);

  const onLoadError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return; // the login page takes over
    notify(error);
  };

  return (
    <div className="qz-map-page">
      <MapViewport className="qz-map" />
      {!config.loading && <BackgroundLayers tiandituKey={config.data?.tiandituKey ?? null} />}
      <ZonesLayer selectedZoneId={selected?.id ?? null} onLoad={onLoad} onError={onLoadError} />
      <MapControls />
      <ZonePickTool onPick={setSelected} enabled={!boxZoom} />
      <BoxZoomTool active={boxZoom} onDone={() => setBoxZoom(false)} />

      <div className="qz-map-toolbar" role="toolbar">
        <Tooltip title={t('map.fitAll')} placement="right">
          <Button
            icon={<ExpandOutlined />}
            aria-label={t('map.fitAll')}
            onClick={() => fitToAllZones(map, 400) || void message.info(t('map.noZones'))}
          />
        </Tooltip>
        <Tooltip title={boxZoom ? t('map.boxZoomHint') : t('map.boxZoom')} placement="right">
          <Button
            icon={<BorderOuterOutlined />}
            aria-label={t('map.boxZoom')}
            aria-pressed={boxZoom}
            type={boxZoom ? 'primary' : 'default'}
            onClick={() => setBoxZoom((on) => !on)}
          />
        </Tooltip>
      </div>

      {selected && <ZoneDetailsPanel zone={selected} onClose={() => setSelected(null)} />}
      <MapLegend zoneCount={zoneCount} tianditu={Boolean(config.data?.tiandituKey)} />
    </div>
  );
}
