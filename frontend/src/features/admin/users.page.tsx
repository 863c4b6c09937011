import { Badge, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/api-error';
import type { AdminUser } from '../../api/api-types';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query.hook';
import { currentLanguage } from '../../i18n/i18n.config';
import { formatDateTime } from '../../shared/date-time.util';
import { localName } from '../../shared/local-name.util';
import { PageHeader } from '../../layout/page-header.component';

type RoleAssignment = AdminUser['roles'][number];

/** The admin's list of accounts: roles with their scope, organisation, and whether the account can sign in. */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const language = currentLanguage(i18n);
  const users = useApiQuery(() => unwrap(api.GET('/api/admin/users')), []);
  const divisions = useApiQuery(() => unwrap(api.GET('/api/divisions')), []);
  const divisionNames = useMemo(
    () => new Map((divisions.data ?? []).map((d) => [d.code, localName(d, language)] as const)),
    [divisions.data, language],
  );

  const scopeText = (assignment: RoleAssignment) =>
    t(`scopeType.${assignment.scopeType}`, {
      code: assignment.divisionCode ?? '',
      name: (assignment.divisionCode && divisionNames.get(assignment.divisionCode)) ?? '',
      defaultValue: assignment.scopeType,
    });

  const status = (user: AdminUser) => {
    if (!user.isActive) return <Badge status="default" text={t('admin.users.disabled')} />;
    if (user.lockedUntil && new Date(user.lockedUntil).getTime() > Date.now()) {
      return <Badge status="error" text={t('admin.users.lockedUntil', { time: formatDateTime(user.lockedUntil, language) })} />;
    }
    return <Badge status="success" text={t('admin.users.active')} />;
  };

  const columns: TableColumnsType<AdminUser> = [
    {
      title: t('admin.users.username'),
      dataIndex: 'username',
      sorter: (a, b) => a.username.localeCompare(b.username),
      render: (username: string, user) => (
        <span>
          <span className="qz-number">{username}</span>
          {user.isServiceAccount && (
            <Tag bordered={false} style={{ marginInlineStart: 8 }}>
              {t('admin.users.serviceAccount')}
            </Tag>
          )}
        </span>
      ),
    },
    { title: t('admin.users.displayName'), dataIndex: 'displayName' },
    {
      title: t('admin.users.roles'),
      dataIndex: 'roles',
      render: (roles: RoleAssignment[]) =>
        roles.map((assignment, i) => (
          <Tooltip key={`${assignment.role}-${i}`} title={`${t('admin.users.scope')}: ${scopeText(assignment)}`}>
            <Tag color="geekblue">{t(`roles.${assignment.role}`, { defaultValue: assignment.role })}</Tag>
          </Tooltip>
        )),
    },
    {
      title: t('admin.users.scope'),
      key: 'scope',
      render: (_: unknown, user) => [...new Set(user.roles.map(scopeText))].join('；'),
    },
    { title: t('admin.users.org'), dataIndex: 'orgName' },
    { title: t('admin.users.status'), key: 'status', width: 220, render: (_: unknown, user) => status(user) },
  ];

  return (
    <div className="qz-page">
      <PageHeader title={t('admin.users.title')} subtitle={users.data && t('admin.users.count', { count: users.data.length })} />
      <Table<AdminUser>
        rowKey="id"
        size="middle"
        loading={users.loading}
        columns={columns}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 900 }}
      />
    </div>
  );
}
