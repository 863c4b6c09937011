import { App, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Select, Skeleton, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { CORE_RESULTS, coreAppearance } from '../../map/layers/evidence-colors.data';
import type { PickedRecord } from '../../map/tools/evidence-pick.tool';
import { DISPLAY_TIME_ZONE, formatDateTime } from '../../shared/date-time.util';
import { assessmentsApi, type EvidenceRecord } from './assessments.api';

const OBSERVATION_KINDS = ['surface_scatter', 'section_exposure', 'relic_check'] as const;
const PROTECTION_LEVELS = ['national', 'provincial', 'city', 'county', 'unranked'] as const;

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
  const [state, setState] = useState<{ record: EvidenceRecord; etag: string | null } | null>(null);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    if (!picked) return;
    setLoading(true);
    try {
      const { data, etag } = await assessmentsApi.record(picked.kind, picked.id);
      setState({ record: data, etag });
      form.setFieldsValue(toFormValues(picked.kind, data));
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
    const values = (await form.validateFields()) as Record<string, unknown>;
    setSaving(true);
    try {
      const { data, etag } = await assessmentsApi.update(picked.kind, state.record, state.etag, toPatch(picked.kind, values));
      setState({ record: data, etag });
      form.setFieldsValue(toFormValues(picked.kind, data));
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

  const record = state?.record;
  const title = picked ? t(`records.title.${picked.kind}`) : '';

  return (
    <Drawer
      open={picked !== null}
      onClose={onClose}
      title={record?.code || record?.name ? `${title} ${str(record.code ?? record.name)}` : title}
      width={400}
      mask={false}
      data-testid="record-drawer"
      extra={
        editable && record ? (
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="record-save">
            {t('records.save')}
          </Button>
        ) : null
      }
    >
      {loading && !record ? (
        <Skeleton active />
      ) : record && picked ? (
        <>
          <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
            {picked.kind === 'core' && (
              <Descriptions.Item label={t('records.core.status')}>
                <CoreResultTag status={record.status} result={record.result} />
              </Descriptions.Item>
            )}
            {typeof record.updatedAt === 'string' && (
              <Descriptions.Item label={t('records.updatedAt')}>{formatDateTime(record.updatedAt, language)}</Descriptions.Item>
            )}
            {record.geometry?.type === 'Point' && (
              <Descriptions.Item label={t('records.position')}>
                {record.geometry.coordinates[0]?.toFixed(6)}°E, {record.geometry.coordinates[1]?.toFixed(6)}°N
              </Descriptions.Item>
            )}
          </Descriptions>
          <Form form={form} layout="vertical" disabled={!editable} data-testid={`record-form-${picked.kind}`}>
            {picked.kind === 'core' && <CoreFields />}
            {picked.kind === 'observation' && <ObservationFields />}
            {picked.kind === 'relic' && <RelicFields />}
          </Form>
        </>
      ) : null}
    </Drawer>
  );
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
      <Form.Item name="protectionLevel" label={t('records.relic.protectionLevel')}>
        <Select
          allowClear
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

function toFormValues(kind: PickedRecord['kind'], record: EvidenceRecord): Record<string, unknown> {
  switch (kind) {
    case 'core':
      return {
        depthM: typeof record.depthM === 'number' ? record.depthM : null,
        result: record.result ?? null,
        stratigraphy: str(record.stratigraphy),
        coredAt: toDayjs(record.coredAt),
      };
    case 'observation':
      return {
        kind: record.kind,
        period: str(record.period),
        description: str(record.description),
        observedAt: toDayjs(record.observedAt),
      };
    case 'relic':
      return { name: str(record.name), protectionLevel: record.protectionLevel ?? null, period: str(record.period) };
  }
}

const emptyToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value ?? null);
const timeOrNull = (value: unknown) => (value && dayjs.isDayjs(value) ? toOffsetIso(value) : null);

function toPatch(kind: PickedRecord['kind'], values: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case 'core':
      return {
        depthM: values.depthM ?? null,
        result: values.result ?? null,
        stratigraphy: emptyToNull(values.stratigraphy),
        coredAt: timeOrNull(values.coredAt),
      };
    case 'observation': {
      const patch: Record<string, unknown> = {
        kind: values.kind,
        period: emptyToNull(values.period),
        description: emptyToNull(values.description),
      };
      const observedAt = timeOrNull(values.observedAt);
      if (observedAt) patch.observedAt = observedAt;
      return patch;
    }
    case 'relic':
      return { name: String(values.name).trim(), protectionLevel: values.protectionLevel ?? null, period: emptyToNull(values.period) };
  }
}
