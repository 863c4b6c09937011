import AimOutlined from '@ant-design/icons/AimOutlined';
import { Alert, Button, Space, Typography } from 'antd';
import type { Geometry as GeoJsonGeometry } from 'geojson';
import Feature from 'ol/Feature';
import GeoJSON from 'ol/format/GeoJSON';
import Point from 'ol/geom/Point';
import { circular } from 'ol/geom/Polygon';
import VectorLayer from 'ol/layer/Vector';
import type MapBrowserEvent from 'ol/MapBrowserEvent';
import { fromLonLat, toLonLat } from 'ol/proj';
import VectorSource from 'ol/source/Vector';
import { Circle as CircleStyle, Fill, Stroke, Style } from 'ol/style';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BackgroundLayers } from '../../map/background-layers.component';
import { MapControls } from '../../map/map-controls.component';
import { useMap } from '../../map/map-context';
import { DATA_PROJECTION } from '../../map/map-projection';
import { MapProvider } from '../../map/map-provider.component';
import { MapViewport } from '../../map/map-viewport.component';
import { useOlLayer } from '../../map/use-ol-layer.hook';
import { useOlListener } from '../../map/use-ol-listener.hook';

export interface PickedLocation {
  lon: number;
  lat: number;
  /** metres; null for a tap on the map */
  accuracyM: number | null;
  source: 'gps' | 'map';
}

export const FIND_LAYER_ID = 'find-location';
export const PARCEL_OUTLINE_LAYER_ID = 'project-parcel';

const parcelStyle = new Style({
  stroke: new Stroke({ color: '#1f5fae', width: 2, lineDash: [6, 4] }),
  fill: new Fill({ color: 'rgba(31, 95, 174, 0.08)' }),
});
const findStyle = new Style({
  image: new CircleStyle({ radius: 8, fill: new Fill({ color: '#cf1322' }), stroke: new Stroke({ color: '#ffffff', width: 2.5 }) }),
});
const accuracyStyle = new Style({
  stroke: new Stroke({ color: 'rgba(207, 19, 34, 0.7)', width: 1.5 }),
  fill: new Fill({ color: 'rgba(207, 19, 34, 0.12)' }),
});

interface LocationPickerProps {
  value: PickedLocation | null;
  onChange: (value: PickedLocation) => void;
  /** the project's parcel, lon/lat, to show where the site is (absent offline) */
  parcel: GeoJsonGeometry | null;
}

/** GPS position with its accuracy, or a tap on a small map around the project's parcel. */
export function LocationPicker(props: LocationPickerProps) {
  return (
    <MapProvider>
      <LocationPickerInner {...props} />
    </MapProvider>
  );
}

function LocationPickerInner({ value, onChange, parcel }: LocationPickerProps) {
  const { t } = useTranslation();
  const map = useMap();
  const [locating, setLocating] = useState(false);
  const [gpsError, setGpsError] = useState<string | null>(null);
  const [layers] = useState(() => ({
    parcel: new VectorLayer({ source: new VectorSource(), style: parcelStyle, zIndex: 20, properties: { id: PARCEL_OUTLINE_LAYER_ID } }),
    find: new VectorLayer({
      source: new VectorSource(),
      style: (f) => (f.get('role') === 'accuracy' ? accuracyStyle : findStyle),
      zIndex: 30,
      properties: { id: FIND_LAYER_ID },
    }),
  }));
  useOlLayer(layers.parcel);
  useOlLayer(layers.find);

  useEffect(() => {
    const source = layers.parcel.getSource()!;
    source.clear();
    if (!parcel) return;
    const features = new GeoJSON({ dataProjection: DATA_PROJECTION }).readFeatures(
      { type: 'Feature', geometry: parcel, properties: {} },
      { featureProjection: map.getView().getProjection() },
    );
    source.addFeatures(features);
    if (!value) map.getView().fit(source.getExtent()!, { padding: [24, 24, 24, 24], maxZoom: 18 });
    // fit once per parcel, not on every pick (value is deliberately not a dependency)
  }, [map, layers, parcel]);

  useEffect(() => {
    const source = layers.find.getSource()!;
    source.clear();
    if (!value) return;
    const center = fromLonLat([value.lon, value.lat]);
    const features: Feature[] = [new Feature({ geometry: new Point(center), role: 'find' })];
    if (value.accuracyM) {
      const ring = circular([value.lon, value.lat], value.accuracyM, 48).transform(DATA_PROJECTION, map.getView().getProjection());
      features.unshift(new Feature({ geometry: ring, role: 'accuracy' }));
    }
    source.addFeatures(features);
    if (value.source === 'gps') {
      const view = map.getView();
      view.animate({ center, zoom: Math.max(view.getZoom() ?? 17, 17), duration: 250 });
    }
  }, [map, layers, value]);

  useOlListener<MapBrowserEvent<PointerEvent>>(map, 'click', (event) => {
    const [lon, lat] = toLonLat(event.coordinate);
    onChange({ lon: Number(lon!.toFixed(7)), lat: Number(lat!.toFixed(7)), accuracyM: null, source: 'map' });
  });

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setGpsError(t('field.gpsUnavailable'));
      return;
    }
    setLocating(true);
    setGpsError(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        onChange({
          lon: Number(position.coords.longitude.toFixed(7)),
          lat: Number(position.coords.latitude.toFixed(7)),
          accuracyM: Math.round(position.coords.accuracy * 10) / 10,
          source: 'gps',
        });
      },
      (error) => {
        setLocating(false);
        setGpsError(error.code === error.PERMISSION_DENIED ? t('field.gpsDenied') : t('field.gpsFailed'));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 0 },
    );
  };

  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }}>
      <Button icon={<AimOutlined />} onClick={locate} loading={locating} block size="large" data-testid="use-gps">
        {t('field.useGps')}
      </Button>
      {gpsError && <Alert type="warning" showIcon message={gpsError} />}
      <div className="qz-field-map">
        <MapViewport className="qz-map" />
        <BackgroundLayers tiandituKey={null} />
        <MapControls />
      </div>
      <Typography.Text type="secondary">{t('field.tapHint')}</Typography.Text>
      <div data-testid="picked-location" aria-live="polite">
        {value ? (
          <Typography.Text strong>
            {t(value.source === 'gps' ? 'field.pickedGps' : 'field.pickedMap', {
              lon: value.lon.toFixed(6),
              lat: value.lat.toFixed(6),
              accuracy: value.accuracyM ?? '',
            })}
          </Typography.Text>
        ) : (
          <Typography.Text type="danger">{t('field.noLocation')}</Typography.Text>
        )}
      </div>
    </Space>
  );
}
