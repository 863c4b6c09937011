import { Alert, List, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatArea } from '../../shared/area.util';
import { BUCKETS, type Bucket, type Clearance } from './committee.api';
import { VerdictBadge } from './verdict-badge.component';

interface BucketRow {
  bucket: Bucket;
  mu: number;
  share: number;
}

/** A clearance answer in words: the verdict, why, the five buckets in 亩 and %, and the obligations that apply. */
export function ClearancePanel({ clearance }: { clearance: Clearance }) {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const rows: BucketRow[] = BUCKETS.map((bucket) => ({ bucket, mu: clearance.areas[bucket].mu, share: clearance.areas[bucket].share }));
  const total = clearance.total;
  return (
    <div className="qz-clearance" data-testid="clearance-panel" data-verdict={clearance.verdict}>
      <div style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('committee.clearance.verdict')}：</Typography.Text>
        <VerdictBadge verdict={clearance.verdict} />
        <Typography.Text type="secondary">
          {t('committee.clearance.total', { mu: formatArea(total.mu, language), ha: formatArea(total.m2 / 10000, language, 4) })}
        </Typography.Text>
      </div>
      {clearance.reasons.length > 0 && (
        <Alert
          type={clearance.verdict === 'cleared' ? 'success' : 'warning'}
          showIcon
          message={
            <ul className="qz-reasons" data-testid="clearance-reasons">
              {clearance.reasons.map((r) => (
                <li key={r.code}>{r.message}</li>
              ))}
            </ul>
          }
          style={{ marginBottom: 8 }}
        />
      )}
      <Table<BucketRow>
        rowKey="bucket"
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid="clearance-buckets"
        columns={[
          { title: t('committee.clearance.bucket'), key: 'b', render: (_: unknown, r) => t(`committee.bucket.${r.bucket}`) },
          {
            title: t('units.mu'),
            key: 'mu',
            align: 'right',
            render: (_: unknown, r) => (
              <span className="qz-number" data-testid={`bucket-${r.bucket}-mu`}>
                {formatArea(r.mu, language)}
              </span>
            ),
          },
          {
            title: '%',
            key: 'share',
            align: 'right',
            render: (_: unknown, r) => (
              <span className="qz-number" data-testid={`bucket-${r.bucket}-share`}>
                {formatArea(r.share, language)}
              </span>
            ),
          },
        ]}
      />
      {clearance.obligations.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{t('committee.clearance.obligations')}</Typography.Text>}
          dataSource={clearance.obligations}
          renderItem={(o) => <List.Item key={o.code}>{o.text}</List.Item>}
        />
      )}
    </div>
  );
}
