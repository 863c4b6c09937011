import { Button, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/api-error';
import type { Org } from '../../api/api-types';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { localName } from '../../shared/local-name.util';
import { PageHeader } from '../../layout/page-header.component';
import { NotificationChannelsModal } from './notification-channels.modal';

const ORG_TYPES = ['bureau', 'institute', 'local_authority', 'zone_committee', 'contractor'] as const;

/** The admin's list of organisations, with the division that scopes each of them and their notification channels. */
export function OrgsPage() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const orgs = useApiQuery(() => unwrap(api.GET('/api/admin/orgs')), []);
  const [channelsOf, setChannelsOf] = useState<{ id: string; name: string } | null>(null);

  const columns: TableColumnsType<Org> = [
    {
      title: t('admin.orgs.name'),
      key: 'name',
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
      render: (_: unknown, org) => localName(org, language),
    },
    {
      title: t('admin.orgs.type'),
      dataIndex: 'type',
      filters: ORG_TYPES.map((type) => ({ text: t(`orgTypes.${type}`), value: type })),
      onFilter: (value, org) => org.type === value,
      render: (type: string) => t(`orgTypes.${type}`, { defaultValue: type }),
    },
    {
      title: t('admin.orgs.division'),
      key: 'division',
      render: (_: unknown, org) => (
        <div>
          {org.divisionName}
          <div className="qz-cell-secondary">{org.divisionCode}</div>
        </div>
      ),
    },
    {
      title: t('admin.orgs.userCount'),
      dataIndex: 'userCount',
      align: 'right',
      width: 100,
      render: (n: number) => <span className="qz-number">{n}</span>,
    },
    {
      title: t('admin.channels.column'),
      key: 'channels',
      width: 140,
      render: (_: unknown, org) => (
        <Button size="small" onClick={() => setChannelsOf({ id: org.id, name: localName(org, language) })} data-testid={`channels-${org.id}`}>
          {t('admin.channels.open')}
        </Button>
      ),
    },
  ];

  return (
    <div className="qz-page">
      <PageHeader title={t('admin.orgs.title')} subtitle={orgs.data && t('admin.orgs.count', { count: orgs.data.length })} />
      <Table<Org>
        rowKey="id"
        size="middle"
        loading={orgs.loading}
        columns={columns}
        dataSource={orgs.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      />
      {channelsOf ? <NotificationChannelsModal org={channelsOf} onClose={() => setChannelsOf(null)} /> : null}
    </div>
  );
}
