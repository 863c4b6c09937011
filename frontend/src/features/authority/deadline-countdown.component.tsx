import { Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/date-time.util';
import { deadlineStatus, formatDuration, type DeadlineLike } from './deadline.util';

/** The current time, re-rendering every `intervalMs` (one timer per component, cleared on unmount). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

interface DeadlineCountdownProps {
  deadline: DeadlineLike & { kind: string };
  /** show the deadline's name ("到场 24 小时") before the countdown */
  withLabel?: boolean;
}

/** One live countdown: time left, red once overdue, green once met. */
export function DeadlineCountdown({ deadline, withLabel = true }: DeadlineCountdownProps) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const status = deadlineStatus(deadline, now);
  const label = withLabel ? `${t(`authority.deadlineKind.${deadline.kind}`, { defaultValue: deadline.kind })} ` : '';
  const due = t('authority.dueAt', { time: formatDateTime(deadline.dueAt, i18n.language) });

  let body;
  if (status.kind === 'met') {
    body = (
      <Tag color={status.onTime ? 'success' : 'warning'} data-testid={`deadline-${deadline.kind}`} data-status="met">
        {label}
        {t(status.onTime ? 'authority.metOnTime' : 'authority.metLate', { time: formatDateTime(status.metAt, i18n.language) })}
      </Tag>
    );
  } else if (status.kind === 'overdue') {
    body = (
      <Tag color="error" data-testid={`deadline-${deadline.kind}`} data-status="overdue" className="qz-countdown">
        {label}
        {t('authority.overdueBy', { duration: formatDuration(status.overdueMs, i18n.language) })}
      </Tag>
    );
  } else {
    body = (
      <Tag
        color={status.urgent ? 'warning' : 'processing'}
        data-testid={`deadline-${deadline.kind}`}
        data-status="running"
        className="qz-countdown"
      >
        {label}
        {t('authority.remaining', { duration: formatDuration(status.remainingMs, i18n.language) })}
      </Tag>
    );
  }
  return (
    <Tooltip title={due}>
      <span>{body}</span>
    </Tooltip>
  );
}

/** The due time in words, for places without room for a tooltip (phones). */
export function DueAtText({ dueAt }: { dueAt: string }) {
  const { t, i18n } = useTranslation();
  return <Typography.Text type="secondary">{t('authority.dueAt', { time: formatDateTime(dueAt, i18n.language) })}</Typography.Text>;
}
