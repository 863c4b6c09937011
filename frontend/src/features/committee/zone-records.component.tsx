import { Empty, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { formatDateTime } from '../../shared/date-time.util';
import { committeeApi, type Exploration, type Parcel, type ProjectDetail } from './committee.api';

const EXPLORATION_COLORS: Record<string, string> = { requested: 'default', in_progress: 'processing', completed: 'success' };
const PROJECT_COLORS: Record<string, string> = { active: 'success', stopped: 'error', completed: 'default' };

interface RecordsProps {
  zoneId: string;
  /** bumps when something in the zone changed */
  generation: number;
  parcels: readonly Parcel[];
}

/** The zone's exploration applications (勘探) and where they stand. */
export function ExplorationsTable({ zoneId, generation, parcels }: RecordsProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const rows = useApiQuery(() => committeeApi.explorations(zoneId), [zoneId, generation]);
  const code = new Map(parcels.map((p) => [p.id, p.code]));
  const columns: TableColumnsType<Exploration> = [
    { title: t('committee.parcels.code'), key: 'parcel', render: (_: unknown, e) => (e.parcelId ? (code.get(e.parcelId) ?? '—') : t('committee.explorations.polygon')) },
    { title: t('units.mu'), key: 'mu', align: 'right', render: (_: unknown, e) => <span className="qz-number">{formatArea(e.areaMu, language)}</span> },
    {
      title: t('committee.explorations.state'),
      key: 'state',
      render: (_: unknown, e) => (
        <Tag color={EXPLORATION_COLORS[e.state]} data-testid={`exploration-state-${e.state}`}>
          {t(`committee.explorations.states.${e.state}`)}
          {e.result ? ` · ${t(`committee.explorations.results.${e.result}`)}` : ''}
        </Tag>
      ),
    },
    { title: t('committee.explorations.createdAt'), key: 'created', render: (_: unknown, e) => (e.createdAt ? formatDateTime(e.createdAt, language) : '—') },
  ];
  return (
    <Table<Exploration>
      rowKey="id"
      size="small"
      loading={rows.loading}
      columns={columns}
      dataSource={rows.data ?? []}
      pagination={false}
      locale={{ emptyText: <Empty description={t('committee.explorations.none')} /> }}
      data-testid="explorations-table"
    />
  );
}

/** The zone's construction projects with their contractors. */
export function ProjectsTable({ zoneId, generation }: RecordsProps) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  // a zone has a handful of projects; the list (API.md) is kept lean, the details carry parcel and contractor
  const rows = useApiQuery(
    async () => Promise.all((await committeeApi.projects(zoneId)).map((p) => committeeApi.project(p.id))),
    [zoneId, generation],
  );
  const columns: TableColumnsType<ProjectDetail> = [
    { title: t('committee.projects.name'), dataIndex: 'name', key: 'name' },
    { title: t('committee.parcels.code'), key: 'parcel', render: (_: unknown, p) => p.parcelCode },
    { title: t('committee.projects.contractor'), key: 'contractor', render: (_: unknown, p) => p.contractor.name },
    {
      title: t('committee.projects.state'),
      key: 'state',
      render: (_: unknown, p) => <Tag color={PROJECT_COLORS[p.state]}>{t(`committee.projects.states.${p.state}`)}</Tag>,
    },
    { title: t('committee.explorations.createdAt'), key: 'created', render: (_: unknown, p) => (p.createdAt ? formatDateTime(p.createdAt, language) : '—') },
  ];
  return (
    <Table<ProjectDetail>
      rowKey="id"
      size="small"
      loading={rows.loading}
      columns={columns}
      dataSource={rows.data ?? []}
      pagination={false}
      locale={{ emptyText: <Empty description={t('committee.projects.none')} /> }}
      data-testid="projects-table"
    />
  );
}
