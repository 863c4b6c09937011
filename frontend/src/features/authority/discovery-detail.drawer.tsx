import { Descriptions, Divider, Drawer, Grid, Image, Skeleton, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/use-api-query.hook';
import { formatDateTime } from '../../shared/date-time.util';
import { authorityApi, DISCOVERY_STATES, type Discovery, type DiscoveryPhoto } from './authority.api';
import { DiscoveryActions } from './discovery-actions.component';
import { DeadlineCountdown } from './deadline-countdown.component';
import { sortDeadlines } from './deadline.util';
import { DiscoveryStateTag } from './discovery-state-tag.component';

interface DetailProps {
  id: string | null;
  onClose: () => void;
  /** the list row changes too */
  onChanged: (next: Discovery) => void;
}

/** One report: what was found where, the clock, the next step, and its audit history. */
export function DiscoveryDetailDrawer({ id, onClose, onChanged }: DetailProps) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  return (
    <Drawer
      open={Boolean(id)}
      onClose={onClose}
      width={screens.md ? 640 : '100%'}
      title={t('authority.detailTitle')}
      destroyOnHidden
      data-testid="discovery-drawer"
    >
      {id && <DiscoveryDetail id={id} onChanged={onChanged} />}
    </Drawer>
  );
}

function DiscoveryDetail({ id, onChanged }: { id: string; onChanged: (next: Discovery) => void }) {
  const { t, i18n } = useTranslation();
  const detail = useApiQuery(() => authorityApi.get(id), [id]);
  const history = useApiQuery(() => authorityApi.history(id), [id]);
  const d = detail.data;
  if (!d) return <Skeleton active />;
  const time = (iso: string | null | undefined) => (iso ? formatDateTime(iso, i18n.language) : t('common.empty'));
  const [lon, lat] = (d.location as unknown as { coordinates: [number, number] }).coordinates;

  const changed = (next: Discovery) => {
    onChanged(next);
    detail.reload();
    history.reload();
  };

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="discovery-detail" data-state={d.state}>
      <Space wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {d.projectName}
        </Typography.Title>
        <DiscoveryStateTag state={d.state} />
        {d.overdue && <Tag color="error">{t('authority.overdue')}</Tag>}
      </Space>
      <Steps
        size="small"
        current={DISCOVERY_STATES.indexOf(d.state)}
        status={d.overdue && d.state !== 'closed' ? 'error' : undefined}
        items={DISCOVERY_STATES.map((s) => ({ title: t(`authority.state.${s}`) }))}
        responsive
      />
      {d.state !== 'closed' && (
        <Space wrap data-testid="detail-deadlines">
          {sortDeadlines(d.deadlines).map((deadline) => (
            <DeadlineCountdown key={deadline.id} deadline={deadline} />
          ))}
        </Space>
      )}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('authority.suspectedType')}>
          {t(`field.types.${d.suspectedType}`, { defaultValue: d.suspectedType })}
        </Descriptions.Item>
        <Descriptions.Item label={t('authority.description')}>{d.description}</Descriptions.Item>
        <Descriptions.Item label={t('authority.location')}>
          {t('authority.lonLat', { lon: lon.toFixed(6), lat: lat.toFixed(6) })}
          {d.accuracyM != null && ` ${t('authority.accuracy', { m: d.accuracyM })}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('authority.depth')}>{d.depthM != null ? t('authority.metres', { m: d.depthM }) : t('common.empty')}</Descriptions.Item>
        <Descriptions.Item label={t('authority.foundAt')}>{time(d.foundAt)}</Descriptions.Item>
        <Descriptions.Item label={t('authority.reportedAt')}>{time(d.reportedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('authority.photos')}>
          {d.photos.length ? (
            <Space direction="vertical" size={4}>
              <div className="qz-authority-photos" data-testid="discovery-photos">
                {d.photos.map((p) => (
                  <PhotoThumb key={p.id} photo={p} />
                ))}
              </div>
              {d.photos
                .filter((p) => p.farFromReport)
                .map((p) => (
                  <Typography.Text key={p.id} type="warning" data-testid="photo-far">
                    {t('authority.photoFar', { m: Math.round(p.distanceM ?? 0) })}
                  </Typography.Text>
                ))}
            </Space>
          ) : (
            t('authority.noPhotos')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('authority.stopWork')}>
          <Space direction="vertical" size={2}>
            <span>
              {t(`authority.stopWorkState.${d.stopWorkOrder.state}`)} · {time(d.stopWorkOrder.issuedAt)}
            </span>
            <Typography.Text type="secondary">
              {d.stopWorkOrder.acknowledgedAt
                ? t('authority.acknowledgedAt', { time: time(d.stopWorkOrder.acknowledgedAt) })
                : t('authority.notAcknowledged')}
            </Typography.Text>
          </Space>
        </Descriptions.Item>
        {d.hold && (
          <Descriptions.Item label={t('authority.hold')}>
            <span data-testid="clearance-hold">
              {d.hold.active
                ? t('authority.holdActive')
                : t('authority.holdLifted', {
                    time: time(d.hold.liftedAt),
                    reason: t(`authority.holdReason.${d.hold.liftedReason}`, { defaultValue: d.hold.liftedReason ?? '' }),
                  })}
            </span>
          </Descriptions.Item>
        )}
        {d.revisionPlanId && (
          <Descriptions.Item label={t('authority.revision')}>{t('authority.revisionOpened')}</Descriptions.Item>
        )}
        {d.arrival && (
          <Descriptions.Item label={t('authority.arrival')}>
            {time(d.arrival.arrivedAt)} · {d.arrival.people.join('、')}
            {d.arrival.notes ? ` · ${d.arrival.notes}` : ''}
          </Descriptions.Item>
        )}
        {d.opinion && (
          <Descriptions.Item label={t('authority.opinion')}>
            <Space direction="vertical" size={2}>
              <span>
                {t(`authority.measure.${d.opinion.measures}`)}
                {d.opinion.important && (
                  <Tag color="magenta" style={{ marginInlineStart: 8 }}>
                    {t('authority.importantTag')}
                  </Tag>
                )}
              </span>
              <Typography.Text type="secondary">{d.opinion.text}</Typography.Text>
            </Space>
          </Descriptions.Item>
        )}
        {d.nationalAnswer && (
          <Descriptions.Item label={t('authority.nationalAnswer')}>
            <Space direction="vertical" size={2} data-testid="national-answer">
              <span>
                {d.nationalAnswer.reference} · {t('authority.answeredOn', { time: time(d.nationalAnswer.answeredAt) })}
              </span>
              {d.nationalAnswer.text && <Typography.Text type="secondary">{d.nationalAnswer.text}</Typography.Text>}
            </Space>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Divider style={{ margin: '4px 0' }} />
      <DiscoveryActions discovery={d} onChanged={changed} />
      <Divider orientation="left" style={{ margin: '4px 0' }}>
        {t('authority.history')}
      </Divider>
      {history.data ? (
        <Timeline
          data-testid="discovery-history"
          items={history.data.map((e) => ({
            children: (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{t(`authority.audit.${e.action}`, { defaultValue: e.action })}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {time(e.occurredAt)} · {e.actor.label ?? t('common.empty')}
                  {e.reason ? ` · ${e.reason}` : ''}
                </Typography.Text>
              </Space>
            ),
          }))}
        />
      ) : (
        <Skeleton active paragraph={{ rows: 2 }} />
      )}
    </Space>
  );
}

/** One photo, loaded with the session's token; the step (report or arrival) and the camera time in its caption. */
function PhotoThumb({ photo }: { photo: DiscoveryPhoto }) {
  const { t, i18n } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    authorityApi.photo(photo.fileId).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [photo.fileId]);
  const caption = [t(`authority.photoStep.${photo.step}`), photo.exifTakenAt ? formatDateTime(photo.exifTakenAt, i18n.language) : null]
    .filter(Boolean)
    .join(' · ');
  return (
    <figure className="qz-photo-figure" data-testid="discovery-photo" data-step={photo.step}>
      {url ? <Image src={url} width={96} height={96} style={{ objectFit: 'cover' }} alt={photo.originalName ?? caption} /> : <Skeleton.Image active style={{ width: 96, height: 96 }} />}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
