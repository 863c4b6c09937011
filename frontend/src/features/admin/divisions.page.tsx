import { Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { localName } from '../../shared/local-name.util';
import { buildDivisionTree, type DivisionNode } from './division-tree.util';
import { PageHeader } from '../../layout/page-header.component';

/** The register of administrative divisions (行政区划) as the tree that scopes authority officers. */
export function DivisionsPage() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const divisions = useApiQuery(() => unwrap(api.GET('/api/divisions')), []);
  const tree = useMemo(() => buildDivisionTree(divisions.data ?? []), [divisions.data]);

  const columns: TableColumnsType<DivisionNode> = [
    { title: t('admin.divisions.name'), key: 'name', render: (_: unknown, d) => localName(d, language) },
    { title: t('admin.divisions.code'), dataIndex: 'code', width: 160, render: (code: string) => <span className="qz-number">{code}</span> },
    {
      title: t('admin.divisions.level'),
      dataIndex: 'level',
      width: 140,
      render: (level: string) => t(`divisionLevel.${level}`, { defaultValue: level }),
    },
  ];

  return (
    <div className="qz-page">
      <PageHeader title={t('admin.divisions.title')} subtitle={divisions.data && t('admin.divisions.count', { count: divisions.data.length })} />
      {/* Keyed on the data so the tree opens fully once it has arrived (defaultExpandAllRows reads only the first render). */}
      <Table<DivisionNode>
        key={divisions.data ? 'loaded' : 'loading'}
        rowKey="code"
        size="middle"
        loading={divisions.loading}
        columns={columns}
        dataSource={tree}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
      />
    </div>
  );
}
