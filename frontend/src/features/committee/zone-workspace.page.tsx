import CloseOutlined from '@ant-design/icons/CloseOutlined';
import EditOutlined from '@ant-design/icons/EditOutlined';
import FilePdfOutlined from '@ant-design/icons/FilePdfOutlined';
import UploadOutlined from '@ant-design/icons/UploadOutlined';
import { Alert, App, Button, Card, Empty, Select, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import type { Geometry, Polygon } from 'geojson';
import type MapBrowserEvent from 'ol/MapBrowserEvent';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError, unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { useApiErrorNotifier, useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { BackgroundLayers } from '../../map/background-layers.component';
import { ZONING_AREAS_LAYER_ID, ZoningAreasLayer, type ZoningAreaShape } from '../../map/layers/zoning-areas-layer.component';
import { MapControls } from '../../map/map-controls.component';
import { useMap } from '../../map/map-context';
import { MapProvider } from '../../map/map-provider.component';
import { MapViewport } from '../../map/map-viewport.component';
import { DrawPolygonTool } from '../../map/tools/draw-polygon.tool';
import { SnapTool } from '../../map/tools/snap.tool';
import { useOlListener } from '../../map/use-ol-listener.hook';
import { fitToZone } from '../../map/zone-view.util';
import { ZONES_LAYER_ID, ZonesLayer, type ZonesLoadResult } from '../../map/zones-layer.component';
import { formatArea } from '../../shared/area.util';
import { formatDateTime } from '../../shared/date-time.util';
import { ImportWizard } from '../imports/import-wizard.component';
import { blockingOf, committeeApi, type Clearance, type Parcel, type ParcelDetail } from './committee.api';
import './committee.css';
import { DrawnShapePanel } from './drawn-shape.panel';
import { ExplorationsTable, ProjectsTable } from './zone-records.component';
import { useCommitteeZone } from './committee-zone.hook';
import { ParcelPanel } from './parcel.panel';
import {
  BLOCKING_LAYER_ID,
  blockingStyle,
  PARCELS_LAYER_ID,
  parcelStyle,
  PENDING_LAYER_ID,
  pendingReleaseStyle,
  ShapesLayer,
  type Shape,
} from './shapes-layer.component';
import { BLOCKING_KIND_COLORS } from './verdict';
import { VerdictBadge } from './verdict-badge.component';

/** 本区地块: the committee's zone on the map — effective zoning, pending release, parcels — with the parcels' clearance. */
export function ZoneWorkspacePage() {
  return (
    <MapProvider>
      <Workspace />
    </MapProvider>
  );
}

const SNAP_LAYERS = [ZONES_LAYER_ID, ZONING_AREAS_LAYER_ID, PARCELS_LAYER_ID] as const;

function Workspace() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const map = useMap();
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('parcel');
  const select = useCallback(
    (id: string | null) => setParams(id ? { parcel: id } : {}, { replace: true }),
    [setParams],
  );
  const config = useApiQuery(() => unwrap(api.GET('/api/config/public')), []);
  const { zones, zoneId, setZoneId, zone } = useCommitteeZone();
  const [generation, setGeneration] = useState(0);
  const reload = () => setGeneration((g) => g + 1);

  const detail = useApiQuery(() => (zoneId ? committeeApi.zone(zoneId) : Promise.resolve(null)), [zoneId]);
  const release = useApiQuery(() => (zoneId ? committeeApi.releaseStatus(zoneId) : Promise.resolve(null)), [zoneId, generation]);
  const plan = useApiQuery(
    () => (release.data?.planId ? committeeApi.plan(release.data.planId) : Promise.resolve(null)),
    [release.data?.planId],
  );
  const parcels = useApiQuery(() => (zoneId ? committeeApi.parcels(zoneId) : Promise.resolve([] as Parcel[])), [zoneId, generation]);
  const shapes = useApiQuery(
    () => (zoneId && detail.data ? committeeApi.parcelShapes(zoneId, detail.data.bbox) : Promise.resolve({ features: [] })),
    [zoneId, detail.data, generation],
  );
  const selected = useApiQuery(
    () => (selectedId ? committeeApi.parcel(selectedId) : Promise.resolve(null as ParcelDetail | null)),
    [selectedId, generation],
  );

  const [drawing, setDrawing] = useState(false);
  const [drawn, setDrawn] = useState<Polygon | null>(null);
  const [drawnClearance, setDrawnClearance] = useState<Clearance | null>(null);
  const [importing, setImporting] = useState(false);
  const [tab, setTab] = useState('parcels');

  // a fresh drawing: its clearance at once
  useEffect(() => {
    setDrawnClearance(null);
    if (!drawn) return;
    let cancelled = false;
    committeeApi.clearanceOf(drawn).then(
      (c) => !cancelled && setDrawnClearance(c),
      (error: unknown) => {
        if (cancelled) return;
        notify(error);
        setDrawn(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [drawn, notify]);

  const fit = () => {
    if (zoneId) fitToZone(map, zoneId);
  };
  const onZonesLoaded = ({ first }: ZonesLoadResult) => {
    if (first && !selectedId) fit();
  };
  useEffect(fit, [zoneId]);

  useOlListener(map, 'singleclick', (event: MapBrowserEvent<PointerEvent>) => {
    if (drawing) return;
    let hit: string | null = null;
    map.forEachFeatureAtPixel(
      event.pixel,
      (feature) => {
        hit = String(feature.getId());
        return true;
      },
      { layerFilter: (layer) => layer.get('id') === PARCELS_LAYER_ID },
    );
    if (hit) {
      select(hit);
      setTab('parcels');
    }
  });

  const areaShapes: ZoningAreaShape[] = useMemo(
    () =>
      (plan.data?.areas ?? []).map((a) => ({
        id: a.id,
        category: a.category,
        geometry: a.geometry as unknown as Geometry,
        label: `${t(`zoningCategory.${a.category}`)} ${formatArea(a.areaMu, language)} ${t('units.mu')}`,
      })),
    [plan.data, language, t],
  );
  const verdictById = useMemo(() => new Map((parcels.data ?? []).map((p) => [p.id, p.clearance.verdict])), [parcels.data]);
  const parcelShapes: Shape[] = useMemo(
    () =>
      (shapes.data?.features ?? []).map((f) => ({
        id: String(f.id),
        geometry: f.geometry,
        properties: { code: f.properties.code, verdict: verdictById.get(String(f.id)) ?? '' },
      })),
    [shapes.data, verdictById],
  );
  const pendingShapes: Shape[] = useMemo(
    () => (release.data?.pendingGeometry ? [{ id: 'pending', geometry: release.data.pendingGeometry as unknown as Geometry, properties: {} }] : []),
    [release.data],
  );
  const blocking = drawnClearance ?? selected.data?.clearance ?? null;
  const blockingShapes: Shape[] = useMemo(
    () => (blocking ? blockingOf(blocking).map((f, i) => ({ id: `b-${i}`, geometry: f.geometry, properties: f.properties })) : []),
    [blocking],
  );
  const selectedShape: Shape[] = useMemo(
    () => (selected.data && !drawn ? [{ id: selected.data.id, geometry: selected.data.geometry as unknown as Geometry, properties: {} }] : []),
    [selected.data, drawn],
  );
  const parcelLayerStyle = useMemo(() => parcelStyle(selectedId), [selectedId]);

  const downloadOpinion = async () => {
    if (!plan.data) return;
    try {
      await committeeApi.downloadOpinion(plan.data.id, `${plan.data.documentNumber ?? `${plan.data.zoneName}-v${plan.data.version}`}.pdf`);
    } catch (error) {
      notify(error);
    }
  };

  const onLayerError = (error: unknown) => {
    if (!(error instanceof ApiError && error.status === 401)) notify(error);
  };

  const columns: TableColumnsType<Parcel> = [
    {
      title: t('committee.parcels.code'),
      key: 'code',
      render: (_: unknown, p) => (
        <div>
          <Typography.Text strong>{p.code}</Typography.Text>
          <div className="qz-cell-secondary">{p.name}</div>
        </div>
      ),
    },
    {
      title: t('units.mu'),
      key: 'mu',
      align: 'right',
      width: 90,
      render: (_: unknown, p) => <span className="qz-number">{formatArea(p.areaMu, language)}</span>,
    },
    {
      title: t('committee.clearance.verdict'),
      key: 'verdict',
      width: 130,
      render: (_: unknown, p) => (
        <span data-testid={`parcel-verdict-${p.code}`}>
          <VerdictBadge verdict={p.clearance.verdict} />
        </span>
      ),
    },
    {
      title: t('committee.parcels.transferred'),
      key: 'transferred',
      width: 110,
      render: (_: unknown, p) => (p.transferredAt ? formatDateTime(p.transferredAt, language) : t('common.empty')),
    },
  ];

  return (
    <div className="qz-committee-workspace" data-testid="committee-workspace">
      <div className="qz-workspace-head">
        <Space align="center" wrap>
          <Typography.Title level={4} className="qz-page-title" style={{ margin: 0 }}>
            {zone ? zone.name : t('common.loading')}
          </Typography.Title>
          {(zones.data?.length ?? 0) > 1 && (
            <Select
              size="small"
              style={{ minWidth: 200 }}
              value={zoneId ?? undefined}
              onChange={(id: string) => {
                setZoneId(id);
                select(null);
              }}
              options={(zones.data ?? []).map((z) => ({ value: z.id, label: `${z.name}（${z.code}）` }))}
            />
          )}
          {plan.data && <Tag color="green">{t('committee.zone.effectivePlan', { version: plan.data.version })}</Tag>}
          {plan.data?.documentNumber && <Tag data-testid="opinion-number">{plan.data.documentNumber}</Tag>}
          {zone && !release.loading && !release.data?.planId && <Tag>{t('committee.zone.noPlan')}</Tag>}
        </Space>
        <Space wrap>
          {plan.data?.documentNumber && (
            <Button icon={<FilePdfOutlined />} onClick={() => void downloadOpinion()} data-testid="download-opinion">
              {t('committee.zone.opinionPdf')}
            </Button>
          )}
          <Button
            icon={drawing ? <CloseOutlined /> : <EditOutlined />}
            type={drawing ? 'primary' : 'default'}
            disabled={!zoneId}
            onClick={() => {
              setDrawing((d) => !d);
              setDrawn(null);
            }}
            data-testid="draw-parcel"
          >
            {drawing ? t('committee.parcels.stopDrawing') : t('committee.parcels.draw')}
          </Button>
          <Button icon={<UploadOutlined />} disabled={!zoneId} onClick={() => setImporting(true)} data-testid="import-parcels">
            {t('committee.parcels.import')}
          </Button>
        </Space>
      </div>

      <div className="qz-workspace-body">
        <div className="qz-committee-map">
          <MapViewport className="qz-map" />
          {!config.loading && <BackgroundLayers tiandituKey={config.data?.tiandituKey ?? null} />}
          <ZonesLayer selectedZoneId={zoneId} onLoad={onZonesLoaded} onError={onLayerError} />
          <ZoningAreasLayer areas={areaShapes} />
          <ShapesLayer layerId={PENDING_LAYER_ID} shapes={pendingShapes} style={pendingReleaseStyle} zIndex={45} />
          <ShapesLayer layerId={PARCELS_LAYER_ID} shapes={parcelShapes} style={parcelLayerStyle} zIndex={55} />
          <ShapesLayer layerId="committee-selected-parcel" shapes={selectedShape} style={parcelLayerStyle} zIndex={56} fitKey={selectedShape[0]?.id ?? null} />
          <ShapesLayer layerId={BLOCKING_LAYER_ID} shapes={blockingShapes} style={blockingStyle} zIndex={58} />
          <MapControls />
          <DrawPolygonTool active={drawing && !drawn} drawn={drawn} onDrawn={(polygon) => setDrawn(polygon)} />
          <SnapTool layerIds={SNAP_LAYERS} active={drawing} />
          {drawing && (
            <div className="qz-workspace-tools" data-testid="draw-hint">
              {drawn ? t('committee.parcels.drawnHint') : t('committee.parcels.drawHint')}
            </div>
          )}
          <div className="qz-committee-legend" data-testid="committee-legend">
            <span>
              <span className="qz-swatch" style={{ background: 'rgba(229,57,53,0.4)' }} />
              {t('zoningCategory.avoidance')}
            </span>
            <span>
              <span className="qz-swatch" style={{ background: 'rgba(255,179,0,0.4)' }} />
              {t('zoningCategory.exploration')}
            </span>
            <span>
              <span className="qz-swatch" style={{ background: 'rgba(67,160,71,0.35)' }} />
              {t('committee.zone.released')}
            </span>
            <span>
              <span className="qz-swatch" style={{ background: 'repeating-linear-gradient(135deg, #5b8c00 0 2px, transparent 2px 6px)' }} />
              {t('committee.zone.pending')}
            </span>
            {blockingShapes.length > 0 && (
              <span>
                <span className="qz-swatch" style={{ background: `${BLOCKING_KIND_COLORS.avoidance}88` }} />
                {t('committee.clearance.blocking')}
              </span>
            )}
          </div>
        </div>

        <div className="qz-workspace-side qz-committee-side">
          {release.data && (
            <Card size="small" style={{ margin: '8px 0' }} data-testid="release-status">
              <Space wrap size={16}>
                <span>
                  {t('committee.zone.release')} <b className="qz-number">{formatArea(release.data.release.mu, language)}</b> {t('units.mu')}
                </span>
                <span>
                  {t('committee.zone.released')} <b className="qz-number">{formatArea(release.data.released.mu, language)}</b> {t('units.mu')}
                </span>
                <span>
                  {t('committee.zone.pending')} <b className="qz-number">{formatArea(release.data.pendingCommitment.mu, language)}</b> {t('units.mu')}
                </span>
              </Space>
            </Card>
          )}
          {drawn && zoneId ? (
            <DrawnShapePanel
              zoneId={zoneId}
              geometry={drawn}
              clearance={drawnClearance}
              onClose={() => setDrawn(null)}
              onRegistered={(parcel) => {
                setDrawn(null);
                setDrawing(false);
                void message.success(t('committee.parcels.registered', { code: parcel.code }));
                reload();
                select(parcel.id);
              }}
              onExplorationRequested={() => {
                setDrawn(null);
                setDrawing(false);
                reload();
                setTab('explorations');
              }}
            />
          ) : (
            <Tabs
              size="small"
              activeKey={tab}
              onChange={setTab}
              items={[
                {
                  key: 'parcels',
                  label: t('committee.parcels.tab', { count: parcels.data?.length ?? 0 }),
                  children: (
                    <>
                      {selectedId && selected.data && (
                        <ParcelPanel
                          key={selected.data.id}
                          parcel={selected.data}
                          onClose={() => select(null)}
                          onChanged={() => reload()}
                          onExplorationRequested={() => {
                            reload();
                            setTab('explorations');
                          }}
                          onProjectCreated={() => {
                            reload();
                            setTab('projects');
                          }}
                        />
                      )}
                      <Table<Parcel>
                        rowKey="id"
                        size="small"
                        loading={parcels.loading}
                        columns={columns}
                        dataSource={parcels.data ?? []}
                        pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false }}
                        rowClassName={(p) => (p.id === selectedId ? 'qz-row-selected' : '')}
                        onRow={(p) => ({ onClick: () => select(p.id === selectedId ? null : p.id), 'data-testid': `parcel-row-${p.code}` }) as never}
                        locale={{ emptyText: <Empty description={t('committee.parcels.none')} /> }}
                        data-testid="parcels-table"
                      />
                    </>
                  ),
                },
                { key: 'explorations', label: t('committee.explorations.tab'), children: zoneId ? <ExplorationsTable zoneId={zoneId} generation={generation} parcels={parcels.data ?? []} /> : null },
                { key: 'projects', label: t('committee.projects.tab'), children: zoneId ? <ProjectsTable zoneId={zoneId} generation={generation} parcels={parcels.data ?? []} /> : null },
              ]}
            />
          )}
          {!release.loading && release.data && release.data.pendingCommitment.m2 > 0 && (
            <Alert type="info" showIcon style={{ marginTop: 8 }} message={t('committee.zone.pendingHint')} />
          )}
        </div>
      </div>

      {zoneId && (
        <ImportWizard
          open={importing}
          targets={['parcels']}
          options={{ zoneId }}
          tiandituKey={config.data?.tiandituKey ?? null}
          onClose={() => setImporting(false)}
          onCommitted={(result) => {
            void message.success(t('committee.parcels.imported', { count: result.written }));
            reload();
          }}
        />
      )}
    </div>
  );
}
