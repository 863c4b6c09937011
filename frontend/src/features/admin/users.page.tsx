import { Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../../api/api-error';
import type { AdminUser } from '../../api/api-types';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api-query.hook';

/** The admin's list of accounts with their roles and organisations. */
export function UsersPage() {
  const { t } = useTranslation();
  const users = useApiQuery(() => unwrap(api.GET('/api/admin/users')), []);

  const columns: TableColumnsType<AdminUser> = [
    { title: t('admin.users.username'), dataIndex: 'username', sorter: (a, b) => a.username.localeCompare(b.username) },
    { title: t('admin.users.displayName'), dataIndex: 'displayName' },
    {
      title: t('admin.users.roles'),
      dataIndex: 'roles',
      render: (roles: string[]) =>
        roles.map((role) => (
          <Tag key={role} color="geekblue">
            {t(`roles.${role}`, { defaultValue: role })}
          </Tag>
        )),
    },
    {
      title: t('admin.users.org'),
      key: 'org',
      render: (_: unknown, user) => (
        <div>
          {user.org.name}
          <div className="qz-cell-secondary">{t(`orgTypes.${user.org.type}`, { defaultValue: user.org.type })}</div>
        </div>
      ),
    },
  ];

  return (
    <div className="qz-page">
      <div className="qz-page-header">
        <div>
          <Typography.Title level={4} className="qz-page-title">
            {t('admin.users.title')}
          </Typography.Title>
          {users.data && <Typography.Text type="secondary">{t('admin.users.count', { count: users.data.length })}</Typography.Text>}
        </div>
      </div>
      <Table<AdminUser>
        rowKey="id"
        size="middle"
        loading={users.loading}
        columns={columns}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
      />
    </div>
  );
}
