import ReloadOutlined from '@ant-design/icons/ReloadOutlined';
import { Alert, Button, Card, Col, Row, Skeleton, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea, squareMetresToMu } from '../../shared/area.util';
import { BarChart } from '../../shared/charts/bar-chart.component';
import { DonutChart } from '../../shared/charts/donut-chart.component';
import { GaugeChart } from '../../shared/charts/gauge-chart.component';
import { StackedBarChart } from '../../shared/charts/stacked-bar-chart.component';
import { formatDateTime } from '../../shared/date-time.util';
import { localName } from '../../shared/local-name.util';
import { fetchDashboard, type DashboardSummary, type DivisionBreakdown } from './dashboard.api';
import { areasInMu, assessmentRows, landComposition, reportBars, shareColor, zonesByCategory } from './dashboard.view-model';
import { PageHeader } from '../../layout/page-header.component';
import './dashboard.css';

/**
 * The province at a glance (or the caller's city/county): zones by category and assessment progress,
 * zoning areas in 亩, discovery reports and how often the statutory deadlines were met, per county.
 */
export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const summary = useApiQuery(fetchDashboard, []);
  const s = summary.data;

  const scopeName = s && s.scope.length > 0 && !s.zones.published ? s.scope.map((d) => localName(d, language)).join('、') : null;
  return (
    <div className="qz-page qz-dashboard" data-testid="dashboard-page">
      <PageHeader title={scopeName ? t('dashboard.titleScoped', { scope: scopeName }) : t('dashboard.title')} subtitle={s && t('dashboard.generatedAt', { time: formatDateTime(s.generatedAt, language) })} subtitleTestId="dashboard-generated-at" level={3}>
        <Button icon={<ReloadOutlined />} onClick={summary.reload} loading={summary.loading}>
          {t('dashboard.reload')}
        </Button>
      </PageHeader>
      {summary.error !== undefined && !s ? (
        <Alert type="error" showIcon message={t('dashboard.loadFailed')} />
      ) : !s ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <DashboardBody s={s} />
      )}
    </div>
  );
}

function DashboardBody({ s }: { s: DashboardSummary }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const mu = (v: number) => `${formatArea(v, language)} ${t('units.mu')}`;
  const m2AsMu = (m2: number) => mu(squareMetresToMu(m2));
  const assessment = assessmentRows(s, t);
  const reports = reportBars(s, t);
  const land = landComposition(s, t);

  const columns: TableColumnsType<DivisionBreakdown> = [
    { title: t('dashboard.divisions.division'), key: 'division', render: (_: unknown, r) => localName(r.division, language) },
    { title: t('dashboard.divisions.city'), key: 'city', render: (_: unknown, r) => (r.parent ? localName(r.parent, language) : t('common.empty')) },
    { title: t('dashboard.divisions.zones'), dataIndex: 'zones', align: 'right' },
    { title: t('dashboard.divisions.industrial'), dataIndex: 'industrialZones', align: 'right' },
    { title: t('dashboard.divisions.assessed'), dataIndex: 'assessedZones', align: 'right' },
    { title: t('dashboard.divisions.open'), dataIndex: 'openReports', align: 'right' },
    {
      title: t('dashboard.divisions.overdue'),
      dataIndex: 'overdueReports',
      align: 'right',
      render: (n: number) => <span className={n > 0 ? 'qz-dashboard-overdue' : undefined}>{n}</span>,
    },
    { title: t('dashboard.divisions.closed'), dataIndex: 'closedReports', align: 'right' },
  ];

  return (
    <>
      <Row gutter={[16, 16]} className="qz-dashboard-stats">
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title={t('dashboard.stats.zones')} value={s.zones.total} suffix={t('dashboard.stats.unit')} />
            {s.zones.published && (
              <Typography.Text type="secondary">{t('dashboard.stats.zonesPublished', { total: s.zones.published.total })}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title={t('dashboard.stats.withIssuedPlan')} value={s.zones.withIssuedPlan} suffix={t('dashboard.stats.unit')} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic title={t('dashboard.stats.openReports')} value={s.discoveries.open} suffix={t('dashboard.stats.reportUnit')} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card size="small">
            <Statistic
              title={t('dashboard.stats.overdueReports')}
              value={s.discoveries.overdue}
              suffix={t('dashboard.stats.reportUnit')}
              valueStyle={s.discoveries.overdue > 0 ? { color: '#e53935' } : undefined}
            />
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={t('dashboard.zonesByCategory.title')} data-testid="chart-zones-by-category">
            <DonutChart
              title={t('dashboard.zonesByCategory.title')}
              data={zonesByCategory(s, t)}
              centerLabel={t('dashboard.zonesByCategory.center')}
              emptyText={t('dashboard.zonesByCategory.empty')}
            />
            {s.zones.published && (
              <Typography.Paragraph type="secondary" className="qz-dashboard-note">
                {t('dashboard.zonesByCategory.published', s.zones.published)}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t('dashboard.assessment.title')} data-testid="chart-assessment">
            <StackedBarChart
              title={t('dashboard.assessment.title')}
              series={assessment.series}
              rows={assessment.rows}
              emptyText={t('dashboard.assessment.empty')}
            />
            <Typography.Paragraph type="secondary" className="qz-dashboard-note">
              {t('dashboard.assessment.hint')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.areas.title')} data-testid="chart-areas">
            <BarChart title={t('dashboard.areas.title')} data={areasInMu(s, t)} formatValue={mu} emptyText={t('dashboard.areas.noIssued')} labelWidth={80} />
            <div className="qz-dashboard-land" data-testid="chart-land">
              <StackedBarChart
                title={t('dashboard.areas.landTitle')}
                series={land.series}
                rows={land.rows}
                formatValue={m2AsMu}
                emptyText={t('dashboard.areas.empty')}
                labelWidth={80}
              />
            </div>
            <Typography.Paragraph type="secondary" className="qz-dashboard-note">
              {t('dashboard.areas.total', { mu: formatArea(s.areas.totalMu, language), ha: formatArea(s.areas.totalHa, language) })}
              {' '}
              {t('dashboard.areas.hint')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={t('dashboard.reports.title')}
            extra={s.discoveries.total > 0 ? t('dashboard.reports.total', { count: s.discoveries.total }) : undefined}
            data-testid="chart-reports"
          >
            <BarChart title={t('dashboard.reports.title')} data={reports} emptyText={t('dashboard.reports.empty')} labelWidth={80} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('dashboard.deadlines.title')} data-testid="chart-deadlines">
            <Row gutter={[16, 16]}>
              {s.deadlines.map((d) => (
                <Col xs={24} md={12} key={d.kind} data-testid={`deadline-${d.kind}`}>
                  <Typography.Text strong>{t(`dashboard.deadlines.${d.kind}`)}</Typography.Text>
                  <GaugeChart
                    title={t(`dashboard.deadlines.${d.kind}`)}
                    share={d.metShare ?? null}
                    color={shareColor(d.metShare ?? null)}
                    caption={d.metShare === null ? t('dashboard.deadlines.none') : t('dashboard.deadlines.caption', { met: d.met, breached: d.breached })}
                  />
                  {d.pending > 0 && (
                    <Typography.Text type="secondary" className="qz-dashboard-pending">
                      {t('dashboard.deadlines.pending', { count: d.pending })}
                    </Typography.Text>
                  )}
                </Col>
              ))}
            </Row>
            <Typography.Paragraph type="secondary" className="qz-dashboard-note">
              {t('dashboard.deadlines.hint')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('dashboard.divisions.title')}>
            <Table<DivisionBreakdown>
              data-testid="dashboard-divisions"
              size="small"
              rowKey={(r) => r.division.code}
              columns={columns}
              dataSource={s.divisions}
              pagination={false}
              locale={{ emptyText: t('dashboard.divisions.empty') }}
              scroll={{ x: 720 }}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
