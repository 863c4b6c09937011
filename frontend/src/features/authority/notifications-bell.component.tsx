import BellOutlined from '@ant-design/icons/BellOutlined';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/api-error';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query.hook';
import type { components } from '../../api/schema';
import { formatDateTime } from '../../shared/date-time.util';

type Notification = components['schemas']['NotificationDto'];

const POLL_MS = 20_000;

/**
 * The organisation's in-app inbox (what the worker delivers: new reports, reminders, escalations, lifted
 * orders). Opening one marks it read and, when it concerns a report, opens that report.
 */
export function NotificationsBell({ onOpenReport }: { onOpenReport?: (reportId: string) => void }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const inbox = useApiQuery(() => unwrap(api.GET('/api/notifications', { params: { query: { unread: 'false' } } })), []);

  useEffect(() => {
    const timer = setInterval(() => inbox.reload(), POLL_MS);
    return () => clearInterval(timer);
    // one timer for the component's life
  }, []);

  const items = (inbox.data ?? []).slice(0, 30);
  const unread = (inbox.data ?? []).filter((n) => !n.readAt).length;

  const text = (n: Notification) => {
    const p = n.payload as Record<string, unknown>;
    const deadline = typeof p.kind === 'string' ? t(`authority.deadlineKind.${p.kind}`, { defaultValue: p.kind }) : '';
    return t(`authority.notification.${n.kind}`, {
      defaultValue: n.kind,
      project: typeof p.projectName === 'string' ? p.projectName : '',
      deadline,
      due: typeof p.dueAt === 'string' ? formatDateTime(p.dueAt, i18n.language) : '',
    });
  };

  const openOne = async (n: Notification) => {
    if (!n.readAt) {
      try {
        await unwrap(api.POST('/api/notifications/{id}/read', { params: { path: { id: n.id } } }));
      } catch {
        // reading the report matters more than the read mark
      }
      inbox.reload();
    }
    if (n.reportId && onOpenReport) {
      setOpen(false);
      onOpenReport(n.reportId);
    }
  };

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={t('authority.notifications')}
      content={
        items.length ? (
          <List
            size="small"
            style={{ width: 340, maxHeight: 420, overflow: 'auto' }}
            dataSource={items}
            renderItem={(n) => (
              <List.Item onClick={() => void openOne(n)} style={{ cursor: 'pointer', display: 'block' }} data-testid="notification" data-kind={n.kind}>
                <Typography.Text strong={!n.readAt} type={n.kind === 'deadline_escalation' ? 'danger' : undefined}>
                  {text(n)}
                </Typography.Text>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(n.createdAt, i18n.language)}
                </Typography.Text>
              </List.Item>
            )}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('authority.noNotifications')} />
        )
      }
    >
      <Badge count={unread} size="small" offset={[-4, 4]}>
        <Button icon={<BellOutlined />} aria-label={t('authority.notifications')} data-testid="notifications-bell" />
      </Badge>
    </Popover>
  );
}
