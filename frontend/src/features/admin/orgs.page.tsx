import { Table, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/api-error';
import type { Org } from '../../api/api-types';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query.hook';

/** The admin's list of organisations, with the division that scopes each of them. */
export function OrgsPage() {
  const { t } = useTranslation();
  const orgs = useApiQuery(() => unwrap(api.GET('/api/admin/orgs')), []);
  const divisions = useApiQuery(() => unwrap(api.GET('/api/divisions')), []);
  const divisionNames = useMemo(
    () => new Map((divisions.data ?? []).map((d) => [d.code, d.name] as const)),
    [divisions.data],
  );

  const columns: TableColumnsType<Org> = [
    { title: t('admin.orgs.name'), dataIndex: 'name', sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN') },
    {
      title: t('admin.orgs.type'),
      dataIndex: 'type',
      filters: ['bureau', 'institute', 'local_authority', 'zone_committee', 'contractor'].map((type) => ({
        text: t(`orgTypes.${type}`),
        value: type,
      })),
      onFilter: (value, org) => org.type === value,
      render: (type: string) => t(`orgTypes.${type}`, { defaultValue: type }),
    },
    {
      title: t('admin.orgs.division'),
      dataIndex: 'divisionCode',
      render: (code: string | null | undefined) =>
        code ? (
          <div>
            {divisionNames.get(code) ?? code}
            <div className="qz-cell-secondary">{code}</div>
          </div>
        ) : (
          t('common.empty')
        ),
    },
  ];

  return (
    <div className="qz-page">
      <div className="qz-page-header">
        <div>
          <Typography.Title level={4} className="qz-page-title">
            {t('admin.orgs.title')}
          </Typography.Title>
          {orgs.data && <Typography.Text type="secondary">{t('admin.orgs.count', { count: orgs.data.length })}</Typography.Text>}
        </div>
      </div>
      <Table<Org>
        rowKey="id"
        size="middle"
        loading={orgs.loading}
        columns={columns}
        dataSource={orgs.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      />
    </div>
  );
}
