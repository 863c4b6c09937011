import ArrowLeftOutlined from '@ant-design/icons/ArrowLeftOutlined';
import DeleteOutlined from '@ant-design/icons/DeleteOutlined';
import FilePdfOutlined from '@ant-design/icons/FilePdfOutlined';
import ImportOutlined from '@ant-design/icons/ImportOutlined';
import PlusOutlined from '@ant-design/icons/PlusOutlined';
import RedoOutlined from '@ant-design/icons/RedoOutlined';
import UndoOutlined from '@ant-design/icons/UndoOutlined';
import { App, Button, Popconfirm, Radio, Select, Space, Spin, Table, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { Geometry, LineString, Point, Polygon } from 'geojson';
import type MapBrowserEvent from 'ol/MapBrowserEvent';
import { toLonLat } from 'ol/proj';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { useApiErrorNotifier, useApiQuery } from '../../api/use-api-query.hook';
import { useCurrentUser } from '../../auth/auth.context';
import { useOlListener } from '../../map/use-ol-listener.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { BackgroundLayers } from '../../map/background-layers.component';
import { DiffLayer, HighlightLayer, ZONING_AREAS_LAYER_ID, ZoningAreasLayer, type ZoningAreaShape } from '../../map/layers/zoning-areas-layer.component';
import { zoningCategoryColor } from '../../map/map-colors.data';
import { MapControls } from '../../map/map-controls.component';
import { useMap } from '../../map/map-context';
import { MapProvider } from '../../map/map-provider.component';
import { MapViewport } from '../../map/map-viewport.component';
import { ModifyAreaTool, type ModifiedArea } from '../../map/tools/modify-area.tool';
import { SnapTool } from '../../map/tools/snap.tool';
import { SplitLineTool } from '../../map/tools/split-line.tool';
import { fitToZone } from '../../map/zone-view.util';
import { ZONES_LAYER_ID, ZonesLayer, type ZonesLoadResult } from '../../map/zones-layer.component';
import { formatArea, squareMetresToMu } from '../../shared/area.util';
import { ImportWizard } from '../imports/import-wizard.component';
import { AreaFormModal } from './area-form.modal';
import { importOptions, type AreaImportChoice } from './area-import.mapping';
import { AreaImportPanel } from './area-import.panel';
import { EditHistory, HistoryBrokenError, type EditKind, type EditRequest } from './edit-history';
import { isEditConflict, snapshotOf, zoningEditPort } from './zoning-edit.port';
import { DrawAreaTool } from './draw-area.tool';
import { PlanActions } from './plan-actions.component';
import { PlanStateTag } from './plan-state-tag.component';
import { CommentsPanel, DiffPanel } from './review-panel.component';
import { ValidationPanel } from './validation-panel.component';
import { ZONING_CATEGORIES, zoningApi, type AreaInput, type DiffEntry, type Problem, type VersionedPlan, type ZoningArea, type ZoningCategory } from './zoning.api';

type Mode = 'view' | 'draw' | 'modify' | 'split';

const SNAP_LAYERS = [ZONES_LAYER_ID, ZONING_AREAS_LAYER_ID] as const;

interface PlanWorkspaceProps {
  planId: string;
  onBack: () => void;
  /** open another plan (a new draft made from this one) */
  onOpen: (planId: string) => void;
}

/** One zoning plan: map of its areas, the areas table, validation and the workflow actions the user may take. */
export function PlanWorkspace(props: PlanWorkspaceProps) {
  return (
    <MapProvider>
      <Workspace {...props} />
    </MapProvider>
  );
}

function Workspace({ planId, onBack, onOpen }: PlanWorkspaceProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const map = useMap();
  const user = useCurrentUser();
  const { message, modal } = App.useApp();
  const notify = useApiErrorNotifier();
  const config = useApiQuery(() => unwrap(api.GET('/api/config/public')), []);
  const loaded = useApiQuery(() => zoningApi.get(planId), [planId]);
  const [current, setCurrent] = useState<VersionedPlan | null>(null);
  const [mode, setMode] = useState<Mode>('view');
  const [sketchM2, setSketchM2] = useState<number | null>(null);
  const [drawn, setDrawn] = useState<Polygon | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<Geometry | null>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [diffChanges, setDiffChanges] = useState<DiffEntry[]>([]);
  const [diffOverlay, setDiffOverlay] = useState(true);
  const [pinning, setPinning] = useState(false);
  const [pin, setPin] = useState<Point | null>(null);
  const fitted = useRef(false);
  const [importOpen, setImportOpen] = useState(false);
  const [importChoice, setImportChoice] = useState<{ choice: AreaImportChoice; complete: boolean } | null>(null);
  const reviewParty = user.roles.some((r) => r === 'assessor' || r === 'reviewer' || r === 'admin');

  useEffect(() => {
    if (!pinning) setPin(null);
  }, [pinning]);
  useOlListener(map, 'singleclick', (event: MapBrowserEvent<PointerEvent>) => {
    if (!pinning || mode !== 'view') return;
    const [lon, lat] = toLonLat(event.coordinate, map.getView().getProjection());
    setPin({ type: 'Point', coordinates: [Number(lon!.toFixed(9)), Number(lat!.toFixed(9))] });
  });
  const diffShapes = useMemo(
    () => diffChanges.map((c) => ({ change: c.change, geometry: c.geometry as unknown as Geometry })),
    [diffChanges],
  );

  useEffect(() => {
    if (loaded.data) setCurrent(loaded.data);
  }, [loaded.data]);

  const plan = current?.plan;
  const editable = Boolean(plan && plan.state === 'draft' && user.roles.includes('assessor'));
  useEffect(() => {
    if (!editable) setMode('view');
  }, [editable]);

  const fitOnce = () => {
    if (plan?.zoneId && !fitted.current) fitted.current = Boolean(fitToZone(map, plan.zoneId));
  };
  useEffect(fitOnce, [plan?.zoneId]);
  const onZonesLoaded = ({ first }: ZonesLoadResult) => {
    if (first) fitOnce();
  };
  const onLayerError = (error: unknown) => {
    if (!(error instanceof ApiError && error.status === 401)) notify(error);
  };

  // Undo/redo: a client-side command stack replaying inverse edits with its own ETag (see edit-history.ts).
  const history = useMemo(() => new EditHistory(zoningEditPort(planId), isEditConflict), [planId]);
  const [, historyChanged] = useReducer((n: number) => n + 1, 0);
  useEffect(() => history.subscribe(historyChanged), [history]);
  useEffect(() => {
    if (current) history.observe(current.etag);
  }, [history, current]);
  useEffect(() => {
    if (plan && !editable) history.clear();
  }, [history, plan, editable]);

  /** Runs an edit with the current ETag through the history; a stale one (412) reloads the plan and says so. */
  const edit = useCallback(
    async (kind: EditKind, requests: EditRequest[]): Promise<boolean> => {
      if (!current) return false;
      setBusy(true);
      try {
        const done = await history.run(kind, { etag: current.etag, areaIds: current.plan.areas.map((a) => a.id) }, requests);
        setCurrent(done.versioned);
        setProblems(null);
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          void message.warning(t('zoning.stale'));
          loaded.reload();
        } else {
          notify(error);
          if (requests.length > 1) loaded.reload(); // some of the steps may have gone through
          // the map may show an edit the server refused: redraw from the last saved state
          else setCurrent((c) => (c ? { ...c, plan: { ...c.plan } } : c));
        }
        return false;
      } finally {
        setBusy(false);
      }
    },
    [current, history, loaded, message, notify, t],
  );

  const travel = useCallback(
    async (direction: 'undo' | 'redo') => {
      const kind = direction === 'undo' ? history.undoKind : history.redoKind;
      if (busy || !editable || !kind) return;
      setBusy(true);
      try {
        const done = await history[direction]();
        if (done) {
          setCurrent(done.versioned);
          setProblems(null);
          void message.success(t(`zoning.history.${direction}Done`, { what: t(`zoning.history.kind.${kind}`) }));
        }
      } catch (error) {
        if (error instanceof HistoryBrokenError) {
          const cause = error.cause instanceof ApiError && error.cause.message ? error.cause.message : '';
          modal.warning({
            title: t(`zoning.history.${direction}Refused`),
            content: (
              <div data-testid="history-refused">
                <p>{t(error.partial ? 'zoning.history.partial' : 'zoning.history.conflict')}</p>
                {cause && <p>{cause}</p>}
              </div>
            ),
            okText: t('common.confirm'),
          });
          loaded.reload();
        } else {
          notify(error);
        }
      } finally {
        setBusy(false);
      }
    },
    [busy, editable, history, loaded, message, modal, notify, t],
  );

  useEffect(() => {
    if (!editable) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      const key = event.key.toLowerCase();
      if (key === 'z' || key === 'y') {
        event.preventDefault();
        void travel(key === 'y' || event.shiftKey ? 'redo' : 'undo');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editable, travel]);

  const saveArea = async (input: Omit<AreaInput, 'geometry'>) => {
    if (!drawn || !plan) return;
    const ok = await edit('draw', [
      { kind: 'add', area: { category: input.category, geometry: drawn, rationale: input.rationale ?? null, label: input.label ?? null, evidence: [] } },
    ]);
    if (ok) {
      setDrawn(null);
      void message.success(t('zoning.areaSaved'));
    }
  };

  const areaById = (id: string) => plan?.areas.find((a) => a.id === id);

  const onModified = (changes: ModifiedArea[]) => {
    if (!plan) return;
    void edit(
      'reshape',
      changes.map((change) => ({
        kind: 'update',
        id: change.id,
        before: { geometry: areaById(change.id)!.geometry as unknown as Polygon },
        after: { geometry: change.geometry },
      })),
    );
  };

  const onSplitLine = (line: LineString) => {
    if (!plan) return;
    const area = selectedId ? areaById(selectedId) : undefined;
    if (!area) {
      void message.info(t('zoning.splitPickArea'));
      return;
    }
    void edit('split', [{ kind: 'split', id: area.id, area: snapshotOf(area), line }]).then((ok) => ok && setSelectedId(null));
  };

  const recategorise = (area: ZoningArea, category: ZoningCategory) => {
    if (category !== area.category) void edit('recategorise', [{ kind: 'update', id: area.id, before: { category: area.category }, after: { category } }]);
  };

  const shapes: ZoningAreaShape[] = useMemo(
    () =>
      (plan?.areas ?? []).map((a) => ({
        id: a.id,
        category: a.category,
        geometry: a.geometry as unknown as Geometry,
        label: `${a.label ? `${a.label} ` : ''}${formatArea(a.areaMu, language)} ${t('units.mu')}`,
      })),
    [plan, language, t],
  );

  const newDraft = async () => {
    if (!plan) return;
    setBusy(true);
    try {
      const created = await zoningApi.create(plan.zoneId, true);
      void message.success(t('zoning.created', { version: created.plan.version }));
      onOpen(created.plan.id);
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    if (!plan?.opinion) return;
    try {
      await zoningApi.downloadOpinion(plan.id, `${plan.opinion.documentNumber}.pdf`);
    } catch (error) {
      notify(error);
    }
  };

  const columns: TableColumnsType<ZoningArea> = [
    {
      title: t('zoning.category'),
      key: 'category',
      width: editable ? 120 : 90,
      render: (_: unknown, a) =>
        editable ? (
          <Select<ZoningCategory>
            size="small"
            variant="borderless"
            value={a.category}
            disabled={busy}
            popupMatchSelectWidth={false}
            onClick={(e) => e.stopPropagation()}
            onChange={(category) => recategorise(a, category)}
            options={ZONING_CATEGORIES.map((c) => ({ value: c, label: <Tag color={zoningCategoryColor(c).stroke}>{t(`zoningCategory.${c}`)}</Tag> }))}
            aria-label={t('zoning.history.recategorise')}
            data-testid={`area-category-${a.category}`}
          />
        ) : (
          <Tag color={zoningCategoryColor(a.category).stroke} data-testid={`area-category-${a.category}`}>
            {t(`zoningCategory.${a.category}`)}
          </Tag>
        ),
    },
    { title: t('units.mu'), key: 'mu', align: 'right', width: 90, render: (_: unknown, a) => <span className="qz-number">{formatArea(a.areaMu, language)}</span> },
    { title: t('units.ha'), key: 'ha', align: 'right', width: 80, render: (_: unknown, a) => <span className="qz-number">{formatArea(a.areaHa, language)}</span> },
    {
      title: t('zoning.rationale'),
      key: 'rationale',
      render: (_: unknown, a) => (
        <span>
          {a.label && <Typography.Text strong>{a.label} </Typography.Text>}
          {a.rationale ?? t('common.empty')}
        </span>
      ),
    },
    ...(editable
      ? [
          {
            title: '',
            key: 'delete',
            width: 44,
            render: (_: unknown, a: ZoningArea) => (
              <Popconfirm
                title={t('zoning.deleteConfirm')}
                okText={t('common.confirm')}
                cancelText={t('common.cancel')}
                onConfirm={() => void edit('delete', [{ kind: 'remove', id: a.id, area: snapshotOf(a) }])}
              >
                <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('zoning.delete')} onClick={(e) => e.stopPropagation()} />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="qz-zoning-workspace" data-testid="zoning-workspace">
      <div className="qz-workspace-head">
        <Space align="center" wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('zoning.back')} />
          <Typography.Title level={4} className="qz-page-title" style={{ margin: 0 }}>
            {plan ? `${plan.zoneName} · v${plan.version}` : t('common.loading')}
          </Typography.Title>
          {plan && <PlanStateTag state={plan.state} />}
          {plan?.documentNumber && <Tag>{plan.documentNumber}</Tag>}
          {plan?.state === 'returned' && plan.returnReason && (
            <Typography.Text type="warning" data-testid="return-reason">
              {t('zoning.returnReason')}：{plan.returnReason}
            </Typography.Text>
          )}
        </Space>
        <Space wrap>
          {plan && current && (
            <PlanActions
              plan={plan}
              roles={user.roles}
              onDone={(next) => {
                setCurrent(next);
                setProblems(null);
              }}
              onConflict={() => loaded.reload()}
            />
          )}
          {plan?.opinion && (
            <Button icon={<FilePdfOutlined />} onClick={() => void download()} data-testid="download-opinion">
              {t('zoning.downloadOpinion')}
            </Button>
          )}
          {plan?.state === 'issued' && user.roles.includes('assessor') && (
            <Button icon={<PlusOutlined />} loading={busy} onClick={() => void newDraft()} data-testid="new-draft-from-issued">
              {t('zoning.newDraft')}
            </Button>
          )}
        </Space>
      </div>

      <div className="qz-workspace-body">
        <div className="qz-zoning-map">
          <MapViewport className="qz-map" />
          {!config.loading && <BackgroundLayers tiandituKey={config.data?.tiandituKey ?? null} />}
          <ZonesLayer selectedZoneId={plan?.zoneId ?? null} onLoad={onZonesLoaded} onError={onLayerError} />
          <ZoningAreasLayer areas={shapes} selectedId={selectedId} />
          {diffOverlay && <DiffLayer changes={diffShapes} />}
          <HighlightLayer geometry={highlight} />
          <HighlightLayer geometry={pin} fit={false} />
          {/* the polygon just drawn stays visible while its category and rationale are entered */}
          <HighlightLayer geometry={drawn} fit={false} />
          <MapControls />
          <DrawAreaTool active={editable && mode === 'draw' && !drawn} onSketchArea={setSketchM2} onDrawn={setDrawn} />
          <ModifyAreaTool layerId={ZONING_AREAS_LAYER_ID} active={editable && mode === 'modify' && !busy} onModified={onModified} />
          <SplitLineTool active={editable && mode === 'split'} onLine={onSplitLine} />
          <SnapTool layerIds={SNAP_LAYERS} active={editable && mode !== 'view'} />
          {editable && (
            <div className="qz-workspace-tools" data-testid="zoning-tools">
              <Radio.Group
                size="small"
                optionType="button"
                buttonStyle="solid"
                value={mode}
                onChange={(e) => setMode(e.target.value as Mode)}
                options={[
                  { value: 'view', label: t('zoning.mode.view') },
                  { value: 'draw', label: t('zoning.mode.draw') },
                  { value: 'modify', label: t('zoning.mode.modify') },
                  { value: 'split', label: t('zoning.mode.split') },
                ]}
              />
              <div className="qz-zoning-hint">
                {mode === 'draw' && sketchM2 !== null ? (
                  <span data-testid="sketch-area">
                    {formatArea(squareMetresToMu(sketchM2), language)} {t('units.mu')}（{formatArea(sketchM2 / 10000, language)} {t('units.ha')}）
                  </span>
                ) : (
                  t(`zoning.hint.${mode}`)
                )}
              </div>
              <Space.Compact size="small">
                <Tooltip title={history.undoKind ? t('zoning.history.undoWhat', { what: t(`zoning.history.kind.${history.undoKind}`) }) : t('zoning.history.nothingToUndo')}>
                  <Button
                    size="small"
                    icon={<UndoOutlined />}
                    disabled={!history.canUndo || busy}
                    onClick={() => void travel('undo')}
                    aria-label={t('zoning.history.undo')}
                    data-testid="undo"
                  />
                </Tooltip>
                <Tooltip title={history.redoKind ? t('zoning.history.redoWhat', { what: t(`zoning.history.kind.${history.redoKind}`) }) : t('zoning.history.nothingToRedo')}>
                  <Button
                    size="small"
                    icon={<RedoOutlined />}
                    disabled={!history.canRedo || busy}
                    onClick={() => void travel('redo')}
                    aria-label={t('zoning.history.redo')}
                    data-testid="redo"
                  />
                </Tooltip>
              </Space.Compact>
              <Tooltip title={t('zoning.import.hint')}>
                <Button size="small" icon={<ImportOutlined />} disabled={busy} onClick={() => setImportOpen(true)} data-testid="open-area-import">
                  {t('zoning.import.open')}
                </Button>
              </Tooltip>
              {busy && <Spin size="small" />}
            </div>
          )}
        </div>

        <div className="qz-workspace-side qz-zoning-side">
          <Tabs
            size="small"
            items={[
              {
                key: 'areas',
                label: t('zoning.areasTab', { count: plan?.areas.length ?? 0 }),
                children: (
                  <>
                    <div className="qz-zoning-totals" data-testid="zoning-totals">
                      {(plan?.totals ?? []).map((total) => (
                        <span key={total.category}>
                          {t(`zoningCategory.${total.category}`)} <span className="qz-number">{formatArea(total.areaMu, language)}</span> {t('units.mu')}
                        </span>
                      ))}
                    </div>
                    <Table<ZoningArea>
                      rowKey="id"
                      size="small"
                      loading={loaded.loading && !plan}
                      columns={columns}
                      dataSource={plan?.areas ?? []}
                      pagination={false}
                      rowClassName={(a) => (a.id === selectedId ? 'qz-row-selected' : '')}
                      onRow={(a) => ({ onClick: () => setSelectedId((id) => (id === a.id ? null : a.id)) })}
                      locale={{ emptyText: t('zoning.noAreas') }}
                      data-testid="zoning-areas-table"
                    />
                  </>
                ),
              },
              {
                key: 'validation',
                label: t('zoning.validationTab'),
                children: plan ? (
                  <ValidationPanel
                    planId={plan.id}
                    mayValidate={user.roles.some((r) => r === 'assessor' || r === 'reviewer' || r === 'admin')}
                    problems={problems}
                    onProblems={setProblems}
                    onPick={(problem) => {
                      setHighlight(problem.location as unknown as Geometry);
                      setSelectedId(problem.areaIds[0] ?? null);
                    }}
                  />
                ) : null,
              },
              ...(plan && reviewParty
                ? [
                    {
                      key: 'diff',
                      label: t('zoning.diffTab'),
                      children: (
                        <DiffPanel
                          planId={plan.id}
                          onChanges={setDiffChanges}
                          overlay={diffOverlay}
                          onOverlay={setDiffOverlay}
                          onPick={(geometry) => setHighlight(geometry)}
                        />
                      ),
                    },
                    {
                      key: 'comments',
                      label: t('zoning.commentsTab'),
                      children: (
                        <CommentsPanel planId={plan.id} pin={pin} pinning={pinning} onPinning={setPinning} onPick={(geometry) => setHighlight(geometry)} />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </div>
      </div>

      {plan && editable && (
        <ImportWizard
          open={importOpen}
          targets={['zoning-areas']}
          options={() => (importChoice ? importOptions(importChoice.choice, { id: plan.id, rowVersion: plan.rowVersion }) : { planId: plan.id, rowVersion: plan.rowVersion })}
          previewExtra={(preview, selected) => (
            <AreaImportPanel preview={preview} selected={selected} onChange={(choice, complete) => setImportChoice({ choice, complete })} />
          )}
          commitBlocked={!importChoice?.complete}
          onClose={() => {
            setImportOpen(false);
            setImportChoice(null);
          }}
          onCommitted={(result) => {
            void message.success(t('zoning.import.done', { count: result.written }));
            setProblems(null);
            loaded.reload();
          }}
          tiandituKey={config.data?.tiandituKey ?? null}
        />
      )}

      <AreaFormModal open={drawn !== null} saving={busy} onCancel={() => setDrawn(null)} onSave={(input) => void saveArea(input)} />
    </div>
  );
}
