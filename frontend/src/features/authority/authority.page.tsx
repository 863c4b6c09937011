import ReloadOutlined from '@ant-design/icons/ReloadOutlined';
import { Badge, Button, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApiQuery } from '../../api/use-api-query.hook';
import { BackgroundLayers } from '../../map/background-layers.component';
import { MapControls } from '../../map/map-controls.component';
import { MapProvider } from '../../map/map-provider.component';
import { MapViewport } from '../../map/map-viewport.component';
import { ZonesLayer } from '../../map/zones-layer.component';
import { formatDateTime } from '../../shared/date-time.util';
import { authorityApi, isOpen, type Discovery } from './authority.api';
import { DeadlineCountdown } from './deadline-countdown.component';
import { sortDeadlines } from './deadline.util';
import { DiscoveryDetailDrawer } from './discovery-detail.drawer';
import { DiscoverySitesLayer } from './discovery-sites.layer';
import { DiscoveryStateTag } from './discovery-state-tag.component';
import { NotificationsBell } from './notifications-bell.component';
import './authority.css';

/** New reports arrive from the field at any time: the inbox looks again this often. */
const POLL_MS = 20_000;

type Filter = 'open' | 'all';

/** The authority's desk: reports in its division tree with live countdowns, the stop-work sites, the steps. */
export function AuthorityPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('report');
  const filter: Filter = params.get('show') === 'all' ? 'all' : 'open';
  const reports = useApiQuery(() => authorityApi.list(), []);

  useEffect(() => {
    const timer = setInterval(() => reports.reload(), POLL_MS);
    return () => clearInterval(timer);
    // reload changes identity each render; one timer for the page's life
  }, []);

  const all = reports.data ?? [];
  const open = useMemo(() => all.filter(isOpen), [all]);
  const shown = useMemo(() => {
    const list = filter === 'open' ? open : all;
    // overdue first, then the most recent report
    return [...list].sort((a, b) => Number(b.overdue) - Number(a.overdue) || Date.parse(b.reportedAt) - Date.parse(a.reportedAt));
  }, [all, open, filter]);
  const overdueCount = open.filter((d) => d.overdue).length;

  const select = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('report', id);
    else next.delete('report');
    setParams(next);
  };
  const setFilter = (f: Filter) => {
    const next = new URLSearchParams(params);
    if (f === 'all') next.set('show', 'all');
    else next.delete('show');
    setParams(next);
  };

  return (
    <div className="qz-authority-page" data-testid="authority-page">
      <div className="qz-authority-head">
        <Space wrap align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('authority.title')}
          </Typography.Title>
          <Badge count={open.length} showZero color="#d46b08" title={t('authority.openCount')} data-testid="open-count" />
          {overdueCount > 0 && <Tag color="error">{t('authority.overdueCount', { count: overdueCount })}</Tag>}
        </Space>
        <Space wrap>
          <Segmented<Filter>
            value={filter}
            onChange={setFilter}
            options={[
              { value: 'open', label: t('authority.filterOpen') },
              { value: 'all', label: t('authority.filterAll') },
            ]}
          />
          <Button icon={<ReloadOutlined />} onClick={reports.reload} aria-label={t('common.retry')} />
          <NotificationsBell onOpenReport={(id) => select(id)} />
        </Space>
      </div>
      <div className="qz-authority-body">
        <div className="qz-authority-list">
          {!reports.data && reports.loading ? (
            <Card loading />
          ) : shown.length === 0 ? (
            <Empty description={t(filter === 'open' ? 'authority.noOpen' : 'authority.none')} />
          ) : (
            <List
              dataSource={shown}
              renderItem={(d) => <ReportRow d={d} selected={d.id === selectedId} onSelect={() => select(d.id)} />}
            />
          )}
        </div>
        <div className="qz-authority-map-wrap">
          <Typography.Text type="secondary" className="qz-authority-map-title">
            {t('authority.mapTitle', { count: open.length })}
          </Typography.Text>
          <MapProvider>
            <div className="qz-authority-map">
              <MapViewport className="qz-map" />
              <BackgroundLayers tiandituKey={null} />
              <ZonesLayer selectedZoneId={null} />
              <MapControls />
              <DiscoverySitesLayer discoveries={open} selectedId={selectedId} onSelect={select} />
            </div>
          </MapProvider>
        </div>
      </div>
      <DiscoveryDetailDrawer id={selectedId} onClose={() => select(null)} onChanged={() => reports.reload()} />
    </div>
  );
}

function ReportRow({ d, selected, onSelect }: { d: Discovery; selected: boolean; onSelect: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <List.Item
      className={`qz-report-row${selected ? ' qz-report-row-selected' : ''}${d.overdue && isOpen(d) ? ' qz-report-row-overdue' : ''}`}
      onClick={onSelect}
      data-testid="report-row"
      data-id={d.id}
      data-project-id={d.projectId}
      data-state={d.state}
    >
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={[8, 4]}>
          <Typography.Text strong>{d.projectName}</Typography.Text>
          <DiscoveryStateTag state={d.state} />
          {d.overdue && isOpen(d) && <Tag color="error">{t('authority.overdue')}</Tag>}
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(`field.types.${d.suspectedType}`, { defaultValue: d.suspectedType })} · {t('authority.reportedAtShort', { time: formatDateTime(d.reportedAt, i18n.language) })}
        </Typography.Text>
        {isOpen(d) && (
          <Space wrap size={[4, 4]}>
            {sortDeadlines(d.deadlines).map((deadline) => (
              <DeadlineCountdown key={deadline.id} deadline={deadline} />
            ))}
          </Space>
        )}
      </Space>
    </List.Item>
  );
}
