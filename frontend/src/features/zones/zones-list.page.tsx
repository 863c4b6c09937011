import EditOutlined from '@ant-design/icons/EditOutlined';
import EnvironmentOutlined from '@ant-design/icons/EnvironmentOutlined';
import PlusOutlined from '@ant-design/icons/PlusOutlined';
import SearchOutlined from '@ant-design/icons/SearchOutlined';
import { Button, Input, Space, Table, Typography, type TableColumnsType, Tag } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { unwrap } from '../../api/api-error';
import type { Zone } from '../../api/api-types';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query.hook';
import { useCurrentUser } from '../../auth/auth.context';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { localName } from '../../shared/local-name.util';
import { ZoneCategoryTag } from './zone-category-tag.component';
import { PageHeader } from '../../layout/page-header.component';

const CATEGORIES = ['industrial', 'agricultural', 'cultural_tourism'] as const;

// The form brings the import wizard and its OpenLayers preview: load it only for admins, after sign-in.
const ZoneForm = lazy(() => import('./zone-form.component').then((m) => ({ default: m.ZoneForm })));

/** The zones the user may see, with areas in 亩 and hectares and a way to find each one on the map. */
export function ZonesListPage() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const navigate = useNavigate();
  const zones = useApiQuery(() => unwrap(api.GET('/api/zones')), []);
  const [search, setSearch] = useState('');
  const isAdmin = useCurrentUser().roles.includes('admin');
  // null: closed; 'new': registering; a zone: editing it
  const [formFor, setFormFor] = useState<Zone | 'new' | null>(null);

  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = zones.data ?? [];
    return needle ? all.filter((z) => z.name.toLowerCase().includes(needle) ||
            (z.nameEn ?? '').toLowerCase().includes(needle) || z.code.toLowerCase().includes(needle)) : all;
  }, [zones.data, search]);

  const columns: TableColumnsType<Zone> = [
    {
      title: t('zones.name'),
      key: 'name',
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
      render: (_: unknown, zone) => (
        <div>
          <Typography.Text strong>{localName(zone, language)}</Typography.Text>
          <div className="qz-cell-secondary">
            {t(`zoneLevel.${zone.level}`, { defaultValue: zone.level })}
            {zone.isDemo && (
              <Tag bordered={false} style={{ marginInlineStart: 8 }} title={t('zones.demoHint')}>
                {t('zones.demo')}
              </Tag>
            )}
          </div>
        </div>
      ),
    },
    { title: t('zones.code'), dataIndex: 'code', width: 130, sorter: (a, b) => a.code.localeCompare(b.code) },
    {
      title: t('zones.category'),
      dataIndex: 'category',
      width: 120,
      filters: CATEGORIES.map((c) => ({ text: t(`zoneCategory.${c}`), value: c })),
      onFilter: (value, zone) => zone.category === value,
      render: (category: string) => <ZoneCategoryTag category={category} />,
    },
    {
      title: t('zones.division'),
      key: 'division',
      render: (_: unknown, zone) => (
        <div>
          {zone.division.name}
          <div className="qz-cell-secondary">{zone.division.code}</div>
        </div>
      ),
    },
    {
      title: t('zones.areaMu'),
      dataIndex: 'areaMu',
      align: 'right',
      width: 130,
      sorter: (a, b) => a.areaMu - b.areaMu,
      render: (mu: number) => <span className="qz-number">{formatArea(mu, language)}</span>,
    },
    {
      title: t('zones.areaHa'),
      dataIndex: 'areaHa',
      align: 'right',
      width: 130,
      sorter: (a, b) => a.areaHa - b.areaHa,
      render: (ha: number) => <span className="qz-number">{formatArea(ha, language)}</span>,
    },
    {
      title: t('zones.assessmentStatus'),
      dataIndex: 'assessmentStatus',
      width: 150,
      render: (status: string | null) => t(`assessmentStatus.${status ?? 'none'}`, { defaultValue: status ?? t('common.empty') }),
    },
    {
      title: t('zones.actions'),
      key: 'actions',
      width: isAdmin ? 220 : 140,
      fixed: 'right',
      render: (_: unknown, zone) => (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            icon={<EnvironmentOutlined />}
            onClick={() => navigate(`/map?zone=${encodeURIComponent(zone.id)}`)}
          >
            {t('zones.viewOnMap')}
          </Button>
          {isAdmin && (
            <Button
              type="link"
              size="small"
              icon={<EditOutlined />}
              onClick={() => setFormFor(zone)}
              data-testid={`zone-edit-${zone.code}`}
            >
              {t('zoneForm.edit')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div className="qz-page">
      <PageHeader title={t('zones.title')} subtitle={zones.data && t('zones.count', { count: rows.length })}>
        <Space wrap>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('zones.search')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 280 }}
          />
          {isAdmin && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormFor('new')} data-testid="zone-register">
              {t('zoneForm.register')}
            </Button>
          )}
        </Space>
      </PageHeader>
      <Table<Zone>
        rowKey="id"
        size="middle"
        loading={zones.loading}
        columns={columns}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1080 }}
        data-testid="zones-table"
      />
      {isAdmin && formFor !== null && (
        <Suspense fallback={null}>
          <ZoneForm
            key={formFor === 'new' ? 'new' : formFor.id}
            open
            zone={formFor === 'new' ? undefined : formFor}
            onClose={() => setFormFor(null)}
            onSaved={zones.reload}
          />
        </Suspense>
      )}
    </div>
  );
}
