import CloudUploadOutlined from '@ant-design/icons/CloudUploadOutlined';
import { Alert, Button, Card, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/date-time.util';
import type { DiscoveryCreated } from './field.api';
import type { OutboxItem, OutboxSnapshot } from './outbox/discovery-outbox';
import { fieldOutbox } from './outbox/field-outbox';

interface OutboxPanelProps {
  ownerId: string;
  snapshot: OutboxSnapshot<DiscoveryCreated>;
  online: boolean;
}

/** Reports on this phone that the server has not confirmed yet, and the ones it just confirmed. */
export function OutboxPanel({ ownerId, snapshot, online }: OutboxPanelProps) {
  const { t, i18n } = useTranslation();
  const mine = snapshot.items.filter((i) => i.ownerId === ownerId);
  const confirmed = snapshot.confirmed.filter((c) => c.item.ownerId === ownerId);
  if (!mine.length && !confirmed.length && online) return null;

  const statusOf = (item: OutboxItem) => {
    if (snapshot.sendingId === item.id) return <Tag color="processing">{t('field.outbox.sending')}</Tag>;
    if (item.status === 'rejected') return <Tag color="error">{t('field.outbox.rejected')}</Tag>;
    return <Tag color="warning">{t('field.outbox.pending')}</Tag>;
  };

  const errorText = (item: OutboxItem) => {
    const error = item.lastError;
    if (!error) return null;
    if (error.message && error.status !== 0) return error.message;
    if (error.status === 0) return t('field.outbox.noNetwork');
    return t('errors.http', { status: error.status });
  };

  return (
    <Card
      size="small"
      title={
        <Space>
          <CloudUploadOutlined />
          {t('field.outbox.title')}
        </Space>
      }
      extra={
        mine.some((i) => i.status === 'pending') ? (
          <Button size="small" onClick={() => void fieldOutbox.flush(ownerId, { force: true })} data-testid="outbox-send-now">
            {t('field.outbox.sendNow')}
          </Button>
        ) : null
      }
      style={{ marginBottom: 12 }}
      data-testid="outbox"
    >
      {!online && <Alert type="warning" showIcon message={t('field.outbox.offline')} style={{ marginBottom: 8 }} data-testid="offline-banner" />}
      {mine.length > 0 && (
        <List
          size="small"
          dataSource={mine}
          renderItem={(item) => (
            <List.Item data-testid="outbox-item" data-status={snapshot.sendingId === item.id ? 'sending' : item.status} style={{ display: 'block' }}>
              <Space wrap size={[8, 4]}>
                {statusOf(item)}
                <Typography.Text strong>{item.projectName}</Typography.Text>
                <Typography.Text type="secondary">
                  {t('field.outbox.savedAt', { time: formatDateTime(new Date(item.createdAt).toISOString(), i18n.language) })}
                </Typography.Text>
                {item.photos.length > 0 && <Typography.Text type="secondary">{t('field.outbox.photos', { count: item.photos.length })}</Typography.Text>}
              </Space>
              {item.status === 'pending' && item.attempts > 0 && (
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                  {errorText(item)}{' '}
                  {t('field.outbox.nextAttempt', {
                    attempts: item.attempts,
                    time: formatDateTime(new Date(item.nextAttemptAt).toISOString(), i18n.language),
                  })}
                </Typography.Paragraph>
              )}
              {item.status === 'rejected' && (
                <>
                  <Alert type="error" showIcon message={errorText(item)} style={{ margin: '6px 0' }} data-testid="outbox-error" />
                  <Space>
                    <Button size="small" onClick={() => void fieldOutbox.retry(item.id).then(() => fieldOutbox.flush(ownerId, { force: true }))}>
                      {t('field.outbox.retry')}
                    </Button>
                    <Popconfirm title={t('field.outbox.discardConfirm')} onConfirm={() => void fieldOutbox.discard(item.id)}>
                      <Button size="small" danger>
                        {t('field.outbox.discard')}
                      </Button>
                    </Popconfirm>
                  </Space>
                </>
              )}
            </List.Item>
          )}
        />
      )}
      {!mine.length && !confirmed.length && <Typography.Text type="secondary">{t('field.outbox.empty')}</Typography.Text>}
      {confirmed.slice(0, 3).map((c) => (
        <Alert
          key={c.item.id}
          type="success"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="outbox-confirmed"
          message={t('field.outbox.confirmed', {
            project: c.item.projectName,
            time: c.body?.reportedAt ? formatDateTime(c.body.reportedAt, i18n.language) : '',
          })}
        />
      ))}
    </Card>
  );
}
