import { Alert, App, Button, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { formatDateTime } from '../../shared/date-time.util';
import { DeadlineCountdown } from '../authority/deadline-countdown.component';
import { fieldApi, type Discovery, type DiscoveryState } from './field.api';

const STEP_OF_STATE: Record<DiscoveryState, number> = { reported: 1, on_site: 2, opinion_issued: 3, measures_done: 4, closed: 5 };

/** What a stopped project's contractor must know: why, what happens next and by when, and "I have read it". */
export function StopWorkNotice({ discovery, onChanged }: { discovery: Discovery; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const notify = useApiErrorNotifier();
  const [acknowledging, setAcknowledging] = useState(false);
  const order = discovery.stopWorkOrder;
  const deadline = (kind: string) => discovery.deadlines.find((d) => d.kind === kind);
  const onSite = deadline('on_site');
  const opinion = deadline('opinion');
  const time = (iso: string) => formatDateTime(iso, i18n.language);
  const type = t(`field.types.${discovery.suspectedType}`, { defaultValue: discovery.suspectedType });

  const acknowledge = async () => {
    setAcknowledging(true);
    try {
      await fieldApi.acknowledge(order.id);
      void message.success(t('field.notice.acknowledged'));
      onChanged();
    } catch (error) {
      notify(error);
    } finally {
      setAcknowledging(false);
    }
  };

  return (
    <Alert
      type="error"
      showIcon
      data-testid="stop-work-notice"
      message={<Typography.Text strong>{t('field.notice.title')}</Typography.Text>}
      description={
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <Typography.Text>{t('field.notice.body', { time: time(order.issuedAt), type })}</Typography.Text>
          <Typography.Text strong>{t('field.notice.next')}</Typography.Text>
          <Steps
            direction="vertical"
            size="small"
            current={STEP_OF_STATE[discovery.state]}
            items={[
              { title: t('field.notice.stepReported'), description: time(discovery.reportedAt) },
              {
                title: t('field.notice.stepOnSite'),
                description: onSite && (
                  <Space direction="vertical" size={2}>
                    <span>{t('field.notice.by', { time: time(onSite.dueAt) })}</span>
                    <DeadlineCountdown deadline={onSite} withLabel={false} />
                  </Space>
                ),
              },
              {
                title: t('field.notice.stepOpinion'),
                description: opinion && (
                  <Space direction="vertical" size={2}>
                    <span>{t('field.notice.by', { time: time(opinion.dueAt) })}</span>
                    <DeadlineCountdown deadline={opinion} withLabel={false} />
                  </Space>
                ),
              },
              { title: t('field.notice.stepMeasures'), description: t('field.notice.stepMeasuresText') },
              { title: t('field.notice.stepResume'), description: t('field.notice.stepResumeText') },
            ]}
          />
          {order.acknowledgedAt ? (
            <Typography.Text type="secondary" data-testid="acknowledged-at">
              {t('field.notice.acknowledgedAt', { time: time(order.acknowledgedAt) })}
            </Typography.Text>
          ) : (
            <Button type="primary" size="large" block loading={acknowledging} onClick={() => void acknowledge()} data-testid="acknowledge">
              {t('field.notice.acknowledge')}
            </Button>
          )}
        </Space>
      }
    />
  );
}
