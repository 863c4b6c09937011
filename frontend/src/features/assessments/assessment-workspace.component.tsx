import ArrowLeftOutlined from '@ant-design/icons/ArrowLeftOutlined';
import ImportOutlined from '@ant-design/icons/ImportOutlined';
import NodeIndexOutlined from '@ant-design/icons/NodeIndexOutlined';
import { App, Avatar, Button, Space, Spin, Steps, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { useApiErrorNotifier, useApiQuery } from '../../api/use-api-query.hook';
import { useCurrentUser } from '../../auth/auth.context';
import { currentLanguage } from '../../i18n/i18n.config';
import { BackgroundLayers } from '../../map/background-layers.component';
import { CoresTileLayer } from '../../map/layers/cores-tile-layer.component';
import { CORE_RESULT_COLORS, PLANNED_CORE_COLOR } from '../../map/layers/evidence-colors.data';
import { ObservationsLayer } from '../../map/layers/observations-layer.component';
import { RelicsLayer } from '../../map/layers/relics-layer.component';
import { TracksLayer } from '../../map/layers/tracks-layer.component';
import { MapControls } from '../../map/map-controls.component';
import { useMap } from '../../map/map-context';
import { MapProvider } from '../../map/map-provider.component';
import { MapViewport } from '../../map/map-viewport.component';
import { EvidencePickTool, type PickedRecord } from '../../map/tools/evidence-pick.tool';
import { fitToZone } from '../../map/zone-view.util';
import { ZonesLayer, type ZonesLoadResult } from '../../map/zones-layer.component';
import { formatArea } from '../../shared/area.util';
import { ImportWizard } from '../imports/import-wizard.component';
import type { ImportCommitResult } from '../imports/imports.api';
import { IMPORT_TARGETS_BY_STATE, recordsEvidence, stepIndexOf, visibleActions } from './assessment-steps';
import { ASSESSMENT_STATES, assessmentsApi, type AssessmentAction, type AssessmentDetail } from './assessments.api';
import { CoreGridPanel } from './core-grid.panel';
import { EvidenceLegend } from './evidence-legend.component';
import { RecordDrawer } from './record-drawer.component';

/** Which layers an import or an edit touched, so only those reload. */
interface Revisions {
  cores: number;
  observations: number;
  tracks: number;
  relics: number;
}

/** One assessment: its step bar with the next action, team, counts, and the evidence map. */
export function AssessmentWorkspace({ assessmentId, onBack }: { assessmentId: string; onBack: () => void }) {
  return (
    <MapProvider>
      <Workspace assessmentId={assessmentId} onBack={onBack} />
    </MapProvider>
  );
}

function Workspace({ assessmentId, onBack }: { assessmentId: string; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const map = useMap();
  const user = useCurrentUser();
  const { message, modal } = App.useApp();
  const notify = useApiErrorNotifier();
  const config = useApiQuery(() => unwrap(api.GET('/api/config/public')), []);
  const assessment = useApiQuery(() => assessmentsApi.get(assessmentId), [assessmentId]);
  const coverage = useApiQuery(() => assessmentsApi.coverage(assessmentId, 50).catch(() => null), [assessmentId]);
  const [acting, setActing] = useState<AssessmentAction | null>(null);
  const [picked, setPicked] = useState<PickedRecord | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [gridOpen, setGridOpen] = useState(false);
  const [revisions, setRevisions] = useState<Revisions>({ cores: 0, observations: 0, tracks: 0, relics: 0 });
  const fitted = useRef(false);

  const detail = assessment.data;
  const state = detail?.state ?? 'planned';
  const onTeam = Boolean(detail?.members.some((m) => m.userId === user.id));
  const mayRecord = user.roles.includes('assessor') && onTeam && recordsEvidence(state);
  const importTargets = mayRecord ? IMPORT_TARGETS_BY_STATE[state] : [];

  const bump = useCallback((...layers: (keyof Revisions)[]) => {
    setRevisions((r) => {
      const next = { ...r };
      layers.forEach((l) => (next[l] += 1));
      return next;
    });
  }, []);

  const reloadAll = () => {
    assessment.reload();
    coverage.reload();
  };

  const zoneId = detail?.zoneId;
  const fitOnce = () => {
    if (zoneId && !fitted.current) fitted.current = Boolean(fitToZone(map, zoneId));
  };
  const onZonesLoaded = ({ first }: ZonesLoadResult) => {
    if (first) fitOnce();
  };
  // The zones may load before the assessment does.
  useEffect(fitOnce, [zoneId]);

  const onLayerError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return;
    notify(error);
  };

  const runAction = (action: AssessmentAction) => {
    modal.confirm({
      title: t(`assessments.actions.${action}`),
      content: t(`assessments.actionConfirm.${action}`),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setActing(action);
        try {
          await assessmentsApi.act(assessmentId, action);
          void message.success(t('assessments.actionDone', { state: t(`assessmentStatus.${nextStateOf(action)}`) }));
        } catch (error) {
          // A 409 names the state and the allowed actions in its message; reloading shows the real state.
          notify(error);
        } finally {
          setActing(null);
          assessment.reload();
        }
      },
    });
  };

  const onImported = (result: ImportCommitResult) => {
    const layer = LAYER_FOR_TARGET[result.target];
    if (layer) bump(layer);
    reloadAll();
  };

  // Typed as a plain object in the OpenAPI document: counts keyed by result (and "planned").
  const coresByResult = (detail?.counts.coresByResult ?? null) as Record<string, number> | null;
  const totalCores = coresByResult ? Object.values(coresByResult).reduce((a, b) => a + b, 0) : 0;

  return (
    <div className="qz-assessment-workspace" data-testid="assessment-workspace">
      <div className="qz-assessment-head">
        <div className="qz-assessment-head-row">
          <Space align="center" wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={t('assessments.back')} />
            <Typography.Title level={4} className="qz-page-title" style={{ margin: 0 }}>
              {detail?.zone?.name ?? (detail ? '' : t('common.loading'))}
            </Typography.Title>
            {detail?.zone?.code && <Tag>{detail.zone.code}</Tag>}
            {detail && (
              <Tag color="blue" data-testid="assessment-state">
                {t(`assessmentStatus.${detail.state}`)}
              </Tag>
            )}
            {detail?.title && <Typography.Text type="secondary">{detail.title}</Typography.Text>}
          </Space>
          <Space wrap>
            {detail &&
              visibleActions(detail.allowedActions).map((action) => (
                <Button
                  key={action}
                  type="primary"
                  loading={acting === action}
                  onClick={() => runAction(action)}
                  data-testid={`action-${action}`}
                >
                  {t(`assessments.actions.${action}`)}
                </Button>
              ))}
            {importTargets.length > 0 && (
              <Button icon={<ImportOutlined />} onClick={() => setImportOpen(true)} data-testid="open-import">
                {t('assessments.import')}
              </Button>
            )}
            {mayRecord && state === 'coring' && (
              <Button icon={<NodeIndexOutlined />} onClick={() => setGridOpen(true)} data-testid="open-grid">
                {t('grid.title')}
              </Button>
            )}
          </Space>
        </div>
        <Steps
          size="small"
          className="qz-assessment-steps"
          current={stepIndexOf(state)}
          status={state === 'concluded' ? 'finish' : 'process'}
          items={ASSESSMENT_STATES.map((s) => ({ title: t(`assessments.steps.${s}`) }))}
          data-testid="assessment-steps"
        />
        {detail ? (
          <div className="qz-assessment-stats" data-testid="assessment-counts">
            <span>
              {t('assessments.team')}：
              <Avatar.Group size="small" max={{ count: 5 }}>
                {detail.members.map((m) => (
                  <Tooltip key={m.userId} title={`${m.displayName}（${t(`teamRole.${m.teamRole}`)}）`}>
                    <Avatar style={{ background: m.teamRole === 'lead' ? '#1f5fae' : '#8c8c8c' }}>{m.displayName.slice(0, 1)}</Avatar>
                  </Tooltip>
                ))}
              </Avatar.Group>
              {detail.members.length === 0 && t('common.empty')}
            </span>
            <span>
              {t('assessments.tracks')} <span className="qz-number">{detail.counts.tracks}</span>
              {detail.counts.trackLengthM > 0 && (
                <> （{formatArea(detail.counts.trackLengthM / 1000, language)} {t('units.km')}）</>
              )}
            </span>
            <span>
              {t('assessments.observations')} <span className="qz-number">{detail.counts.observations}</span>
            </span>
            <span>
              {t('assessments.coverage', { distance: coverage.data?.distanceM ?? 50 })}{' '}
              <span className="qz-number" data-testid="assessment-coverage">
                {coverage.data ? `${formatArea(coverage.data.share * 100, language, 1)}%` : t('common.empty')}
              </span>
            </span>
            <span data-testid="assessment-cores">
              {t('assessments.cores')} <span className="qz-number">{totalCores}</span>
              {coresByResult &&
                Object.entries(coresByResult)
                  .filter(([, n]) => n > 0)
                  .map(([result, n]) => (
                    <span key={result} style={{ marginInlineStart: 10 }}>
                      <span
                        className="qz-core-dot"
                        style={
                          result in CORE_RESULT_COLORS
                            ? { background: CORE_RESULT_COLORS[result as keyof typeof CORE_RESULT_COLORS] }
                            : { borderColor: PLANNED_CORE_COLOR }
                        }
                      />
                      {t(`coreResult.${result}`, { defaultValue: result })} {n}
                    </span>
                  ))}
            </span>
          </div>
        ) : (
          assessment.loading && <Spin size="small" />
        )}
      </div>

      <div className="qz-assessment-map">
        <MapViewport className="qz-map" />
        {!config.loading && <BackgroundLayers tiandituKey={config.data?.tiandituKey ?? null} />}
        <ZonesLayer selectedZoneId={detail?.zoneId ?? null} onLoad={onZonesLoaded} onError={onLayerError} />
        <TracksLayer revision={revisions.tracks} onError={onLayerError} />
        <RelicsLayer selectedId={picked?.kind === 'relic' ? picked.id : null} revision={revisions.relics} onError={onLayerError} />
        <ObservationsLayer
          selectedId={picked?.kind === 'observation' ? picked.id : null}
          revision={revisions.observations}
          onError={onLayerError}
        />
        <CoresTileLayer selectedId={picked?.kind === 'core' ? picked.id : null} revision={revisions.cores} onError={onLayerError} />
        <MapControls />
        <EvidencePickTool onPick={setPicked} enabled={!gridOpen} />
        <EvidenceLegend />
        {gridOpen && detail && (
          <CoreGridPanel
            assessmentId={detail.id}
            onClose={() => setGridOpen(false)}
            onGenerated={() => {
              bump('cores');
              reloadAll();
            }}
          />
        )}
      </div>

      <RecordDrawer
        picked={picked}
        editable={mayRecord}
        onClose={() => setPicked(null)}
        onSaved={(record) => {
          bump(record.kind === 'core' ? 'cores' : record.kind === 'observation' ? 'observations' : 'relics');
          assessment.reload();
        }}
      />

      {detail && importTargets.length > 0 && (
        <ImportWizard
          open={importOpen}
          targets={importTargets}
          options={(target): Record<string, string> => (target === 'relics' ? { zoneId: detail.zoneId } : { assessmentId: detail.id })}
          onClose={() => setImportOpen(false)}
          onCommitted={onImported}
          tiandituKey={config.data?.tiandituKey ?? null}
        />
      )}
    </div>
  );
}

const LAYER_FOR_TARGET: Record<string, keyof Revisions | undefined> = {
  cores: 'cores',
  observations: 'observations',
  'survey-tracks': 'tracks',
  relics: 'relics',
};

function nextStateOf(action: AssessmentAction): string {
  switch (action) {
    case 'start-survey':
      return 'surveying';
    case 'start-coring':
      return 'coring';
    case 'start-zoning':
      return 'zoning';
    case 'conclude':
      return 'concluded';
  }
}

export type { AssessmentDetail };
