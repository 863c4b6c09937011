import CloseOutlined from '@ant-design/icons/CloseOutlined';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/api-error';
import { useApiErrorNotifier, useApiQuery, useBusyAction } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { DISPLAY_TIME_ZONE, formatDateTime } from '../../shared/date-time.util';
import { ClearancePanel } from './clearance-panel.component';
import { committeeApi, type ParcelDetail } from './committee.api';
import { verdictLook } from './verdict';

/** The wall-clock time the user picked, as Shanghai time with its offset (what the API asks for). */
export function shanghaiIso(value: Dayjs): string {
  return `${value.format('YYYY-MM-DDTHH:mm:ss')}+08:00`;
}

/**
 * A refused transfer (409) as one line for the user: the verdict in words (the server's message names its
 * code) and the reasons the server gives, which are already in the user's language.
 */
export function refusalOf(error: ApiError, t: TFunction): string {
  const details = error.details as { verdict?: string; reasons?: Array<{ message: string }> } | undefined;
  const reasons = (details?.reasons ?? []).map((r) => r.message).filter(Boolean);
  const head = details?.verdict
    ? t('committee.parcels.transferRefused', { verdict: t(`committee.verdict.${details.verdict}`, { defaultValue: details.verdict }) })
    : error.message;
  return reasons.length ? `${head}：${reasons.join('；')}` : head;
}

interface ParcelPanelProps {
  parcel: ParcelDetail;
  onClose: () => void;
  onChanged: () => void;
  onExplorationRequested: () => void;
  onProjectCreated: () => void;
}

/** One parcel: its clearance now, land transfer, an exploration application, a construction project. */
export function ParcelPanel({ parcel, onClose, onChanged, onExplorationRequested, onProjectCreated }: ParcelPanelProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [transferOpen, setTransferOpen] = useState(false);
  const [transferAt, setTransferAt] = useState<Dayjs>(() => dayjs().tz(DISPLAY_TIME_ZONE));
  const [refusal, setRefusal] = useState<string | null>(null);
  const { busy, run } = useBusyAction();
  const [projectOpen, setProjectOpen] = useState(false);
  const look = verdictLook(parcel.clearance.verdict);

  const transfer = async () => {
    setRefusal(null);
    await run(
      async () => {
        await committeeApi.transfer(parcel.id, shanghaiIso(transferAt));
        void message.success(t('committee.parcels.transferDone', { code: parcel.code }));
        setTransferOpen(false);
        onChanged();
      },
      (error) => {
        if (error instanceof ApiError && error.status === 409) {
          setRefusal(refusalOf(error, t));
          setTransferOpen(false);
        } else notify(error);
      },
    );
  };

  const applyExploration = () =>
    run(async () => {
      await committeeApi.applyExploration({ parcelId: parcel.id });
      void message.success(t('committee.explorations.requested', { code: parcel.code }));
      onExplorationRequested();
    });

  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="parcel-panel"
      title={
        <span>
          {parcel.code} · {parcel.name}
        </span>
      }
      extra={<Button type="text" size="small" icon={<CloseOutlined />} onClick={onClose} aria-label={t('committee.close')} />}
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {parcel.plannedUse} · {formatArea(parcel.areaMu, language)} {t('units.mu')}（{formatArea(parcel.areaHa, language, 4)} {t('units.ha')}）
        {parcel.transferredAt && (
          <span data-testid="parcel-transferred-at"> · {t('committee.parcels.transferredOn', { at: formatDateTime(parcel.transferredAt, language) })}</span>
        )}
      </Typography.Paragraph>
      <ClearancePanel clearance={parcel.clearance} />
      {refusal && (
        <Alert type="error" showIcon closable onClose={() => setRefusal(null)} style={{ marginTop: 8 }} message={refusal} data-testid="transfer-refused" />
      )}
      <Space wrap style={{ marginTop: 12 }}>
        {!parcel.transferredAt && (
          <Button type={look.mayTransfer ? 'primary' : 'default'} onClick={() => setTransferOpen(true)} data-testid="transfer-parcel">
            {t('committee.parcels.transfer')}
          </Button>
        )}
        {!parcel.transferredAt && look.mayApplyExploration && (
          <Button loading={busy} onClick={() => void applyExploration()} data-testid="apply-exploration">
            {t('committee.explorations.apply')}
          </Button>
        )}
        {parcel.transferredAt && (
          <Button type="primary" onClick={() => setProjectOpen(true)} data-testid="new-project">
            {t('committee.projects.new')}
          </Button>
        )}
      </Space>
      {!parcel.transferredAt && !look.mayTransfer && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('committee.parcels.transferNeedsCleared')}
        </Typography.Paragraph>
      )}

      <Modal
        open={transferOpen}
        title={t('committee.parcels.transferTitle', { code: parcel.code })}
        okText={t('committee.parcels.transfer')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy, 'data-testid': 'transfer-confirm' } as never}
        onOk={() => void transfer()}
        onCancel={() => setTransferOpen(false)}
      >
        <Form layout="vertical">
          <Form.Item label={t('committee.parcels.transferAt')} extra={t('committee.parcels.transferAtHint')}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              value={transferAt}
              allowClear={false}
              onChange={(value) => value && setTransferAt(value)}
              data-testid="transfer-at"
            />
          </Form.Item>
        </Form>
      </Modal>
      <ProjectModal
        open={projectOpen}
        parcel={parcel}
        onClose={() => setProjectOpen(false)}
        onCreated={() => {
          setProjectOpen(false);
          onProjectCreated();
        }}
      />
    </Card>
  );
}

interface ProjectValues {
  name: string;
  contractorOrgId: string;
}

/** A construction project on a transferred parcel, with the contractor that will build it. */
function ProjectModal({ open, parcel, onClose, onCreated }: { open: boolean; parcel: ParcelDetail; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProjectValues>();
  const { busy, run } = useBusyAction();
  const contractors = useApiQuery(() => (open ? committeeApi.contractors() : Promise.resolve([])), [open]);

  const create = async () => {
    let values: ProjectValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    await run(async () => {
      const project = await committeeApi.createProject({ parcelId: parcel.id, name: values.name.trim(), contractorOrgId: values.contractorOrgId });
      void message.success(t('committee.projects.created', { name: project.name, contractor: project.contractor.name }));
      form.resetFields();
      onCreated();
    });
  };

  return (
    <Modal
      open={open}
      title={t('committee.projects.newTitle', { code: parcel.code })}
      okText={t('committee.projects.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, 'data-testid': 'project-confirm' } as never}
      onOk={() => void create()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="name" label={t('committee.projects.name')} rules={[{ required: true, whitespace: true, message: t('committee.projects.nameRequired') }, { max: 200 }]}>
          <Input data-testid="project-name" maxLength={200} />
        </Form.Item>
        <Form.Item name="contractorOrgId" label={t('committee.projects.contractor')} rules={[{ required: true, message: t('committee.projects.contractorRequired') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            loading={contractors.loading}
            options={(contractors.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            data-testid="project-contractor"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
