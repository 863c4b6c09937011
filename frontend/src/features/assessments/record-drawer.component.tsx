import { App, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Select, Skeleton, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { CORE_RESULTS, coreAppearance } from '../../map/layers/evidence-colors.data';
import type { PickedRecord } from '../../map/tools/evidence-pick.tool';
import { DISPLAY_TIME_ZONE, formatDateTime } from '../../shared/date-time.util';
import { validFields } from '../../shared/form.util';
import {
  assessmentsApi,
  type CorePatch,
  type EvidenceKind,
  type EvidencePatch,
  type EvidenceRecord,
  type ObservationPatch,
  type ProtectionLevel,
} from './assessments.api';

const OBSERVATION_KINDS = ['surface_scatter', 'section_exposure', 'relic_check'] as const;
const PROTECTION_LEVELS = ['national', 'provincial', 'city', 'county', 'unlisted'] as const satisfies readonly ProtectionLevel[];

/** Shanghai wall-clock time with its +08:00 offset, the only kind of timestamp the API accepts. */
export function toOffsetIso(value: Dayjs): string {
  return value.tz(DISPLAY_TIME_ZONE, true).format('YYYY-MM-DDTHH:mm:ssZ');
}

function str(value: unknown): string {
  return value === null || value === undefined || value === '' ? '' : String(value);
}

interface RecordDrawerProps {
  picked: PickedRecord | null;
  /** may the user change it (an assessor on the team while the assessment runs) */
  editable: boolean;
  onClose: () => void;
  /** after a successful save, so the map can redraw */
  onSaved: (picked: PickedRecord) => void;
}

/**
 * A core, an observation or a relic: its record and an edit form. Saves send If-Match with the version read;
 * when someone else saved in between (412) the user is told and the current record is loaded instead.
 */
export function RecordDrawer({ picked, editable, onClose, onSaved }: RecordDrawerProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [form] = Form.useForm();
  const [state, setState] = useState<{ value: EvidenceRecord; etag: string | null } | null>(null);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    if (!picked) return;
    setLoading(true);
    try {
      const loaded = await assessmentsApi.record(picked.kind, picked.id);
      setState(loaded);
      form.setFieldsValue(toFormValues(loaded.value));
    } catch (error) {
      notify(error);
      setState(null);
    } finally {
      setLoading(false);
    }
  }, [picked, form, notify]);

  useEffect(() => {
    setState(null);
    form.resetFields();
    void load();
  }, [load, form]);

  const save = async () => {
    if (!picked || !state) return;
    const values = (await validFields(form)) as Record<string, unknown> | null;
    if (!values) return;
    setSaving(true);
    try {
      const saved = await assessmentsApi.update(state.value, state.etag, toPatch(state.value.kind, values));
      setState(saved);
      form.setFieldsValue(toFormValues(saved.value));
      void message.success(t('records.saved'));
      onSaved(picked);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        void message.warning(t('records.changedByOthers'));
        await load();
      } else {
        notify(error);
      }
    } finally {
      setSaving(false);
    }
  };

  const value = state?.value;
  const title = picked ? t(`records.title.${picked.kind}`) : '';
  const label = value ? (value.kind === 'relic' ? value.record.name : value.kind === 'core' ? value.record.code : null) : null;
  const point = value ? pointOf(value) : null;

  return (
    <Drawer
      open={picked !== null}
      onClose={onClose}
      title={label ? `${title} ${label}` : title}
      width={400}
      mask={false}
      data-testid="record-drawer"
      extra={
        editable && value ? (
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="record-save">
            {t('records.save')}
          </Button>
        ) : null
      }
    >
      {loading && !value ? (
        <Skeleton active />
      ) : value ? (
        <>
          <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
            {value.kind === 'core' && (
              <Descriptions.Item label={t('records.core.status')}>
                <CoreResultTag status={value.record.status} result={value.record.result} />
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('records.updatedAt')}>{formatDateTime(value.record.updatedAt, language)}</Descriptions.Item>
            {point && (
              <Descriptions.Item label={t('records.position')}>
                {point[0]?.toFixed(6)}°E, {point[1]?.toFixed(6)}°N
              </Descriptions.Item>
            )}
          </Descriptions>
          <Form form={form} layout="vertical" disabled={!editable} data-testid={`record-form-${value.kind}`}>
            {value.kind === 'core' && <CoreFields />}
            {value.kind === 'observation' && <ObservationFields />}
            {value.kind === 'relic' && <RelicFields />}
          </Form>
        </>
      ) : null}
    </Drawer>
  );
}

function pointOf(value: EvidenceRecord): number[] | null {
  const geometry = value.kind === 'core' ? value.record.location : (value.record.geometry as { type?: string; coordinates?: unknown });
  return geometry?.type === 'Point' && Array.isArray(geometry.coordinates) ? (geometry.coordinates as number[]) : null;
}

export function CoreResultTag({ status, result }: { status: unknown; result: unknown }) {
  const { t } = useTranslation();
  const { color, hollow } = coreAppearance(status, result);
  return (
    <Tag color={hollow ? undefined : color} bordered={hollow}>
      {hollow ? t('coreResult.planned') : t(`coreResult.${String(result)}`, { defaultValue: String(result) })}
    </Tag>
  );
}

function CoreFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="depthM" label={t('records.core.depthM')} rules={[{ type: 'number', min: 0, max: 100 }]}>
        <InputNumber min={0} max={100} step={0.1} precision={2} addonAfter={t('units.m')} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="result" label={t('records.core.result')}>
        <Select
          allowClear
          options={CORE_RESULTS.map((r) => ({ value: r, label: t(`coreResult.${r}`) }))}
          data-testid="record-core-result"
        />
      </Form.Item>
      <Form.Item name="stratigraphy" label={t('records.core.stratigraphy')}>
        <Input.TextArea rows={4} maxLength={4000} placeholder={t('records.core.stratigraphyHint')} />
      </Form.Item>
      <Form.Item name="coredAt" label={t('records.core.coredAt')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
    </>
  );
}

function ObservationFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="kind" label={t('records.observation.kind')} rules={[{ required: true }]}>
        <Select options={OBSERVATION_KINDS.map((k) => ({ value: k, label: t(`observationKind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="period" label={t('records.observation.period')}>
        <Input maxLength={200} placeholder={t('records.periodHint')} />
      </Form.Item>
      <Form.Item name="description" label={t('records.observation.description')}>
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
      <Form.Item name="observedAt" label={t('records.observation.observedAt')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
    </>
  );
}

function RelicFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="name" label={t('records.relic.name')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="protectionLevel" label={t('records.relic.protectionLevel')} rules={[{ required: true }]}>
        <Select
          options={PROTECTION_LEVELS.map((l) => ({ value: l, label: t(`protectionLevel.${l}`) }))}
        />
      </Form.Item>
      <Form.Item name="period" label={t('records.relic.period')}>
        <Input maxLength={200} placeholder={t('records.periodHint')} />
      </Form.Item>
    </>
  );
}

function toDayjs(value: unknown): Dayjs | null {
  return typeof value === 'string' && value ? dayjs(value).tz(DISPLAY_TIME_ZONE) : null;
}

function toFormValues(value: EvidenceRecord): Record<string, unknown> {
  switch (value.kind) {
    case 'core':
      return {
        depthM: value.record.depthM,
        result: value.record.result,
        stratigraphy: str(value.record.stratigraphy),
        coredAt: toDayjs(value.record.coredAt),
      };
    case 'observation':
      return {
        kind: value.record.kind,
        period: str(value.record.period),
        description: str(value.record.description),
        observedAt: toDayjs(value.record.observedAt),
      };
    case 'relic':
      return { name: value.record.name, protectionLevel: value.record.protectionLevel, period: str(value.record.period) };
  }
}

const textOrNull = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const timeOf = (value: unknown) => (value && dayjs.isDayjs(value) ? toOffsetIso(value) : undefined);

function toPatch(kind: EvidenceKind, values: Record<string, unknown>): EvidencePatch {
  switch (kind) {
    case 'core':
      return {
        kind,
        patch: {
          depthM: typeof values.depthM === 'number' ? values.depthM : null,
          result: (values.result as CorePatch['result']) ?? null,
          stratigraphy: textOrNull(values.stratigraphy),
          coredAt: timeOf(values.coredAt),
        },
      };
    case 'observation':
      return {
        kind,
        patch: {
          kind: values.kind as ObservationPatch['kind'],
          // The API takes strings here: an emptied field is sent as an empty string.
          period: textOrNull(values.period) ?? '',
          description: textOrNull(values.description) ?? '',
          observedAt: timeOf(values.observedAt),
        },
      };
    case 'relic':
      return {
        kind,
        patch: {
          name: String(values.name).trim(),
          protectionLevel: values.protectionLevel as ProtectionLevel,
          period: textOrNull(values.period) ?? '',
        },
      };
  }
}
