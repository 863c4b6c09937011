import FolderOpenOutlined from '@ant-design/icons/FolderOpenOutlined';
import PlusOutlined from '@ant-design/icons/PlusOutlined';
import { App, Button, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { unwrap } from '../../api/api-error';
import type { Zone } from '../../api/api-types';
import { api } from '../../api/client';
import { useApiErrorNotifier, useApiQuery } from '../../api/use-api-query.hook';
import { useCurrentUser } from '../../auth/auth.context';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { localName } from '../../shared/local-name.util';
import { stepIndexOf } from './assessment-steps';
import { AssessmentWorkspace } from './assessment-workspace.component';
import { assessmentsApi, type Assessment } from './assessments.api';
import { PageHeader } from '../../layout/page-header.component';
import './assessments.css';

interface Row {
  zone: Zone;
  /** the zone's latest assessment (a zone may be reassessed) */
  assessment: Assessment | null;
}

const STATE_COLORS: Record<string, string> = {
  planned: 'default',
  surveying: 'processing',
  coring: 'orange',
  zoning: 'purple',
  concluded: 'success',
};

/**
 * 评估工作: the industrial zones with their regional assessment's state; `?assessment=<id>` opens one
 * assessment's workspace.
 */
export function AssessmentsPage() {
  const [params, setParams] = useSearchParams();
  const openId = params.get('assessment');
  if (openId) return <AssessmentWorkspace assessmentId={openId} onBack={() => setParams({})} />;
  return <AssessmentsList onOpen={(id) => setParams({ assessment: id })} />;
}

function AssessmentsList({ onOpen }: { onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const user = useCurrentUser();
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const zones = useApiQuery(() => unwrap(api.GET('/api/zones', { params: { query: { category: 'industrial' } } })), []);
  const assessments = useApiQuery(() => assessmentsApi.list(), []);
  const [creating, setCreating] = useState<string | null>(null);

  const rows: Row[] = useMemo(() => {
    const byZone = new Map<string, Assessment>();
    // The list comes newest first or not at all ordered; keep the most advanced open one per zone.
    for (const a of assessments.data ?? []) {
      const seen = byZone.get(a.zoneId);
      if (!seen || (seen.state === 'concluded' && a.state !== 'concluded') || stepIndexOf(a.state) > stepIndexOf(seen.state)) {
        byZone.set(a.zoneId, a);
      }
    }
    return (zones.data ?? [])
      .filter((zone) => zone.category === 'industrial')
      .map((zone) => ({ zone, assessment: byZone.get(zone.id) ?? null }));
  }, [zones.data, assessments.data]);

  const create = async (zone: Zone) => {
    setCreating(zone.id);
    try {
      const created = await assessmentsApi.create(zone.id, t('assessments.defaultTitle', { zone: zone.name }));
      void message.success(t('assessments.created'));
      onOpen(created.id);
    } catch (error) {
      notify(error);
    } finally {
      setCreating(null);
    }
  };

  const columns: TableColumnsType<Row> = [
    {
      title: t('zones.name'),
      key: 'name',
      render: (_: unknown, { zone }) => (
        <div>
          <Typography.Text strong>{localName(zone, language)}</Typography.Text>
          <div className="qz-cell-secondary">{zone.code}</div>
        </div>
      ),
    },
    { title: t('zones.division'), key: 'division', render: (_: unknown, { zone }) => zone.division.name },
    {
      title: t('zones.areaMu'),
      key: 'area',
      align: 'right',
      width: 130,
      render: (_: unknown, { zone }) => <span className="qz-number">{formatArea(zone.areaMu, language)}</span>,
    },
    {
      title: t('zones.assessmentStatus'),
      key: 'state',
      width: 150,
      render: (_: unknown, { assessment }) =>
        assessment ? (
          <Tag color={STATE_COLORS[assessment.state]} data-testid={`state-${assessment.state}`}>
            {t(`assessmentStatus.${assessment.state}`)}
          </Tag>
        ) : (
          <Tag>{t('assessmentStatus.none')}</Tag>
        ),
    },
    {
      title: t('assessments.teamSize'),
      key: 'team',
      width: 110,
      render: (_: unknown, { assessment }) =>
        assessment ? t('assessments.members', { count: assessment.members.length }) : t('common.empty'),
    },
    {
      title: t('zones.actions'),
      key: 'actions',
      width: 150,
      fixed: 'right',
      render: (_: unknown, { zone, assessment }) =>
        assessment ? (
          <Button type="link" size="small" icon={<FolderOpenOutlined />} onClick={() => onOpen(assessment.id)} data-testid={`open-${zone.code}`}>
            {t('assessments.open')}
          </Button>
        ) : user.roles.includes('assessor') || user.roles.includes('reviewer') ? (
          <Button type="link" size="small" icon={<PlusOutlined />} loading={creating === zone.id} onClick={() => void create(zone)}>
            {t('assessments.create')}
          </Button>
        ) : null,
    },
  ];

  return (
    <div className="qz-page">
      <PageHeader title={t('assessments.title')} subtitle={t('assessments.subtitle')} />
      <Table<Row>
        rowKey={(row) => row.zone.id}
        size="middle"
        loading={zones.loading || assessments.loading}
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 900 }}
        data-testid="assessments-table"
      />
    </div>
  );
}
