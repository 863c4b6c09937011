import FolderOpenOutlined from '@ant-design/icons/FolderOpenOutlined';
import PlusOutlined from '@ant-design/icons/PlusOutlined';
import { App, Button, Segmented, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { useApiErrorNotifier, useApiQuery } from '../../api/use-api-query.hook';
import { useCurrentUser } from '../../auth/auth.context';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatDateTime } from '../../shared/date-time.util';
import { localName } from '../../shared/local-name.util';
import { PlanStateTag } from './plan-state-tag.component';
import { PlanWorkspace } from './plan-workspace.component';
import { zoningApi, type PlanSummary } from './zoning.api';
import { PageHeader } from '../../layout/page-header.component';
import './zoning.css';

type Filter = 'all' | 'queue';

/** 分区方案: an industrial zone's zoning plans (or the reviewers' queue of submitted ones); `?plan=<id>` opens one. */
export function ZoningPage() {
  const [params, setParams] = useSearchParams();
  const planId = params.get('plan');
  if (planId) return <PlanWorkspace planId={planId} onBack={() => setParams({})} onOpen={(id) => setParams({ plan: id })} />;
  return <PlansList onOpen={(id) => setParams({ plan: id })} />;
}

function PlansList({ onOpen }: { onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const user = useCurrentUser();
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const isReviewer = user.roles.includes('reviewer');
  const isAssessor = user.roles.includes('assessor');
  const [filter, setFilter] = useState<Filter>(isReviewer ? 'queue' : 'all');
  const [zoneId, setZoneId] = useState<string | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  const zones = useApiQuery(() => unwrap(api.GET('/api/zones', { params: { query: { category: 'industrial' } } })), []);
  const plans = useApiQuery(
    () => zoningApi.list({ ...(zoneId ? { zoneId } : {}), ...(filter === 'queue' ? { state: 'submitted' as const } : {}) }),
    [zoneId, filter],
  );

  const create = async () => {
    if (!zoneId) return;
    setCreating(true);
    try {
      const all = await zoningApi.list({ zoneId });
      const { plan } = await zoningApi.create(zoneId, all.some((p) => p.state === 'issued'));
      void message.success(t('zoning.created', { version: plan.version }));
      onOpen(plan.id);
    } catch (error) {
      notify(error);
    } finally {
      setCreating(false);
    }
  };

  const columns: TableColumnsType<PlanSummary> = [
    {
      title: t('zones.name'),
      key: 'zone',
      render: (_: unknown, p) => (
        <div>
          <Typography.Text strong>{p.zoneName}</Typography.Text>
          <div className="qz-cell-secondary">{p.zoneCode}</div>
        </div>
      ),
    },
    { title: t('zoning.version'), key: 'version', width: 90, render: (_: unknown, p) => `v${p.version}` },
    { title: t('zoning.stateTitle'), key: 'state', width: 120, render: (_: unknown, p) => <PlanStateTag state={p.state} /> },
    { title: t('zoning.documentNumber'), key: 'doc', render: (_: unknown, p) => p.documentNumber ?? t('common.empty') },
    {
      title: t('zoning.submittedAt'),
      key: 'submittedAt',
      width: 180,
      render: (_: unknown, p) => (p.submittedAt ? formatDateTime(p.submittedAt, language) : t('common.empty')),
    },
    { title: t('zoning.updatedAt'), key: 'updatedAt', width: 180, render: (_: unknown, p) => formatDateTime(p.updatedAt, language) },
    {
      title: t('zones.actions'),
      key: 'open',
      width: 110,
      fixed: 'right',
      render: (_: unknown, p) => (
        <Button type="link" size="small" icon={<FolderOpenOutlined />} onClick={() => onOpen(p.id)} data-testid={`open-plan-${p.zoneCode}-v${p.version}`}>
          {t('zoning.open')}
        </Button>
      ),
    },
  ];

  return (
    <div className="qz-page">
      <PageHeader title={t('zoning.title')} subtitle={t('zoning.subtitle')}>
        <Space wrap>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={[
              { value: 'all', label: t('zoning.filterAll') },
              { value: 'queue', label: t('zoning.filterQueue') },
            ]}
            data-testid="zoning-filter"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 240 }}
            placeholder={t('zoning.pickZone')}
            loading={zones.loading}
            value={zoneId}
            onChange={(v: string | undefined) => setZoneId(v)}
            options={(zones.data ?? []).map((z) => ({ value: z.id, label: `${localName(z, language)}（${z.code}）` }))}
            data-testid="zoning-zone"
          />
          {isAssessor && (
            <Button type="primary" icon={<PlusOutlined />} disabled={!zoneId} loading={creating} onClick={() => void create()} data-testid="new-draft">
              {t('zoning.newDraft')}
            </Button>
          )}
        </Space>
      </PageHeader>
      <Table<PlanSummary>
        rowKey="id"
        size="middle"
        loading={plans.loading}
        columns={columns}
        dataSource={plans.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 900 }}
        locale={{ emptyText: filter === 'queue' ? t('zoning.queueEmpty') : t('zoning.noPlans') }}
        data-testid="zoning-plans-table"
      />
    </div>
  );
}
