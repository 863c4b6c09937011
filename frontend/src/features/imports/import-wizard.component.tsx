import InboxOutlined from '@ant-design/icons/InboxOutlined';
import { Alert, Button, Form, Modal, Result, Select, Space, Steps, Switch, Table, Tag, Typography, Upload } from 'antd';
import type { Feature } from 'geojson';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { BackgroundLayers } from '../../map/background-layers.component';
import { PreviewLayer, previewIndexOf } from '../../map/layers/preview-layer.component';
import { MapControls } from '../../map/map-controls.component';
import { MapContext } from '../../map/map-context';
import { createOlMap } from '../../map/map-factory';
import { MapViewport } from '../../map/map-viewport.component';
import { crsLabel, crsLabelFor, orderedCrsOptions } from './crs-options';
import {
  importApi as defaultImportApi,
  type ImportApi,
  type ImportCommitResult,
  type ImportPreview,
  type ImportTargetName,
} from './imports.api';

const AUTO = 'auto';
const ACCEPT = '.geojson,.json,.kml,.kmz,.zip,.csv,.txt,.gpx,.dxf';

export interface ImportWizardProps {
  open: boolean;
  /** the targets this workflow offers, first is the default */
  targets: readonly ImportTargetName[];
  /** passed to the commit, e.g. { assessmentId } or { zoneId }; per target when they differ */
  options: Record<string, unknown> | ((target: ImportTargetName) => Record<string, unknown>);
  /** a target's own choices about the previewed features (e.g. which attribute holds the category), above the map */
  previewExtra?: (preview: ImportPreview, selected: ReadonlySet<number>) => ReactNode;
  /** keeps the confirmation disabled while those choices are incomplete */
  commitBlocked?: boolean;
  onClose: () => void;
  onCommitted: (result: ImportCommitResult) => void;
  /** where a preview is known already (tests, a re-opened import) */
  initialPreview?: ImportPreview;
  api?: ImportApi;
  /** show the map of the preview (off in environments without a canvas) */
  showMap?: boolean;
  tiandituKey?: string | null;
}

type Stage = 'choose' | 'preview' | 'done';

interface Row {
  index: number;
  geometryType: string;
  properties: string;
}

function describeProperties(feature: Feature): string {
  const entries = Object.entries(feature.properties ?? {}).filter(([key]) => key !== 'index');
  return entries
    .slice(0, 4)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join('，');
}

/**
 * Import in three steps: choose a file (and, when it carries none, its CRS and axis order), look at what the
 * server read — on a map, with its warnings in words — and pick the features to keep, then confirm. Nothing is
 * written before the confirmation; the commit writes the chosen features in one transaction.
 */
export function ImportWizard({
  open,
  targets,
  options,
  onClose,
  onCommitted,
  initialPreview,
  api = defaultImportApi,
  showMap = true,
  tiandituKey = null,
  previewExtra,
  commitBlocked = false,
}: ImportWizardProps) {
  const { t } = useTranslation();
  const notify = useApiErrorNotifier();
  const [stage, setStage] = useState<Stage>(initialPreview ? 'preview' : 'choose');
  const [target, setTarget] = useState<ImportTargetName>(targets[0] ?? 'cores');
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<string>(AUTO);
  const [swapXY, setSwapXY] = useState(false);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(initialPreview ?? null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => allIndexes(initialPreview));
  const [result, setResult] = useState<ImportCommitResult | null>(null);

  const crsChoices = useMemo(
    () => [
      { value: AUTO, label: t('imports.crsAuto') },
      ...orderedCrsOptions().map((o) => ({ value: String(o.epsg), label: crsLabel(o, t) })),
    ],
    [t],
  );

  const rows: Row[] = useMemo(
    () =>
      (preview?.features.features ?? []).map((feature, position) => ({
        index: previewIndexOf(preview!.features, position),
        geometryType: feature.geometry?.type ?? '—',
        properties: describeProperties(feature),
      })),
    [preview],
  );

  const reset = () => {
    setStage('choose');
    setFile(null);
    setPreview(null);
    setSelected(new Set());
    setResult(null);
  };

  const close = () => {
    reset();
    onClose();
  };

  const runPreview = async (repair = false) => {
    if (!file) return;
    setBusy(true);
    try {
      const answer = await api.preview({
        file,
        target,
        srid: crs === AUTO ? undefined : Number(crs),
        swapXY: swapXY || undefined,
        repair: repair || undefined,
      });
      setPreview(answer);
      setSelected(allIndexes(answer));
      setStage('preview');
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };

  const runCommit = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const everything = selected.size === rows.length;
      const answer = await api.commit(preview.importId, {
        target,
        featureIndexes: everything ? undefined : [...selected].sort((a, b) => a - b),
        options: typeof options === 'function' ? options(target) : options,
      });
      setResult(answer);
      setStage('done');
      onCommitted(answer);
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };

  const stepIndex = stage === 'choose' ? 0 : stage === 'preview' ? 1 : 2;

  const footer =
    stage === 'choose' ? (
      <Space>
        <Button onClick={close}>{t('common.cancel')}</Button>
        <Button type="primary" disabled={!file} loading={busy} onClick={() => void runPreview()} data-testid="import-preview-button">
          {t('imports.preview')}
        </Button>
      </Space>
    ) : stage === 'preview' ? (
      <Space>
        <Button onClick={() => setStage('choose')} disabled={busy}>
          {t('imports.back')}
        </Button>
        <Button
          type="primary"
          disabled={selected.size === 0 || commitBlocked}
          loading={busy}
          onClick={() => void runCommit()}
          data-testid="import-confirm"
        >
          {t('imports.confirm', { count: selected.size })}
        </Button>
      </Space>
    ) : (
      <Button type="primary" onClick={close} data-testid="import-finish">
        {t('imports.finish')}
      </Button>
    );

  return (
    <Modal
      open={open}
      title={t('imports.title')}
      width={stage === 'preview' ? 1040 : 640}
      onCancel={close}
      footer={footer}
      destroyOnHidden
      maskClosable={false}
      className="qz-import-wizard"
    >
      <Steps
        size="small"
        current={stepIndex}
        style={{ marginBottom: 16 }}
        items={[{ title: t('imports.stepChoose') }, { title: t('imports.stepPreview') }, { title: t('imports.stepDone') }]}
      />

      {stage === 'choose' && (
        <Form layout="vertical">
          {targets.length > 1 && (
            <Form.Item label={t('imports.target')}>
              <Select
                value={target}
                onChange={setTarget}
                options={targets.map((name) => ({ value: name, label: t(`imports.targets.${name}`) }))}
                data-testid="import-target"
              />
            </Form.Item>
          )}
          <Form.Item label={t('imports.file')} extra={t('imports.fileHint')}>
            <Upload.Dragger
              accept={ACCEPT}
              maxCount={1}
              multiple={false}
              beforeUpload={(chosen) => {
                setFile(chosen);
                return false; // nothing is sent before "preview"
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'chosen', name: file.name, status: 'done' }] : []}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('imports.dropHere')}</p>
            </Upload.Dragger>
          </Form.Item>
          <Form.Item label={t('imports.crsLabel')} extra={t('imports.crsHint')}>
            <Select
              showSearch
              optionFilterProp="label"
              value={crs}
              onChange={setCrs}
              options={crsChoices}
              data-testid="import-crs"
            />
          </Form.Item>
          <Form.Item label={t('imports.swapXY')} extra={t('imports.swapXYHint')}>
            <Switch checked={swapXY} onChange={setSwapXY} data-testid="import-swap" />
          </Form.Item>
        </Form>
      )}

      {stage === 'preview' && preview && (
        <div className="qz-import-preview">
          <Space wrap style={{ marginBottom: 8 }}>
            <Typography.Text data-testid="import-preview-count">
              {t('imports.featureCount', { count: preview.featureCount })}
            </Typography.Text>
            <Tag>{t('imports.format', { format: preview.format.toUpperCase() })}</Tag>
            <Tag color="blue" data-testid="import-preview-crs">
              {crsLabelFor(preview.crs.epsg, t)} · {t(`imports.detectedFrom.${preview.crs.detectedFrom}`, { defaultValue: preview.crs.detectedFrom })}
            </Tag>
          </Space>
          {preview.warnings.some((w) => w.code === 'invalid_geometry') && file && (
            <Button size="small" style={{ marginBottom: 8 }} loading={busy} onClick={() => void runPreview(true)}>
              {t('imports.repair')}
            </Button>
          )}
          {preview.warnings.length > 0 && (
            <div data-testid="import-warnings" style={{ marginBottom: 8 }}>
              {preview.warnings.map((warning, i) => (
                <Alert
                  key={`${warning.code}-${i}`}
                  type="warning"
                  showIcon
                  style={{ marginBottom: 4 }}
                  message={warning.message || t(`imports.warning.${warning.code}`, { defaultValue: warning.code })}
                />
              ))}
            </div>
          )}
          {previewExtra?.(preview, selected)}
          <div style={{ display: 'flex', gap: 12, minHeight: 360 }}>
            {showMap && (
              <div style={{ flex: '1 1 55%', position: 'relative', minHeight: 360 }}>
                <PreviewMap>
                  <MapViewport className="qz-import-map" style={{ position: 'absolute', inset: 0 }} />
                  <BackgroundLayers tiandituKey={tiandituKey} />
                  <MapControls />
                  <PreviewLayer features={preview.features} selected={selected} />
                </PreviewMap>
              </div>
            )}
            <div style={{ flex: '1 1 45%', minWidth: 0 }}>
              <Table<Row>
                size="small"
                rowKey="index"
                dataSource={rows}
                pagination={{ pageSize: 8, hideOnSinglePage: true, showSizeChanger: false }}
                rowSelection={{
                  selectedRowKeys: [...selected],
                  onChange: (keys) => setSelected(new Set(keys.map(Number))),
                }}
                columns={[
                  { title: t('imports.index'), dataIndex: 'index', width: 64, render: (i: number) => i + 1 },
                  { title: t('imports.geometry'), dataIndex: 'geometryType', width: 110 },
                  { title: t('imports.attributes'), dataIndex: 'properties', ellipsis: true },
                ]}
                data-testid="import-features"
              />
            </div>
          </div>
        </div>
      )}

      {stage === 'done' && result && (
        <div data-testid="import-done">
          <Result
            status="success"
            title={t('imports.written', { count: result.written })}
            subTitle={t(`imports.targets.${result.target}`, { defaultValue: result.target })}
          />
        </div>
      )}
    </Modal>
  );
}

/**
 * The preview's own map, shared with its layers through the context like any map view. Unlike MapProvider it
 * does not become `window.__qianzhi.map`: the workflow's map underneath the dialog stays the one journeys inspect.
 */
function PreviewMap({ children }: { children: ReactNode }) {
  const [map] = useState(createOlMap);
  return <MapContext.Provider value={map}>{children}</MapContext.Provider>;
}

function allIndexes(preview: ImportPreview | null | undefined): ReadonlySet<number> {
  if (!preview) return new Set();
  return new Set(preview.features.features.map((_, position) => previewIndexOf(preview.features, position)));
}
