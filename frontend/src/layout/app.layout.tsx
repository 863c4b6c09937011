import LogoutOutlined from '@ant-design/icons/LogoutOutlined';
import MenuOutlined from '@ant-design/icons/MenuOutlined';
import UserOutlined from '@ant-design/icons/UserOutlined';
import { App, Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import { createElement, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useCurrentUser } from '../auth/auth.context';
import { BrandMark } from './brand-mark.component';
import { LanguageSwitch } from './language-switch.component';
import { menuForRoles } from './role-menu.config';

const { Header, Sider, Content } = Layout;

/** The frame around every workflow: header with who you are, and the side menu of your role. */
export function AppLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const { logout } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  // Phones (contractors in the field) get the menu in a drawer and a compact header.
  const compact = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const entries = useMemo(() => menuForRoles(user.roles), [user.roles]);
  const selectedKey = entries.find((e) => location.pathname.startsWith(e.path))?.key;
  const roleNames = user.roles.map((role) => t(`roles.${role}`, { defaultValue: role }));

  const menu = (
    <Menu
      mode="inline"
      data-testid="side-menu"
      selectedKeys={selectedKey ? [selectedKey] : []}
      items={entries.map((entry) => ({
        key: entry.key,
        icon: createElement(entry.icon),
        label: t(entry.labelKey),
      }))}
      onClick={({ key }) => {
        const entry = entries.find((e) => e.key === key);
        if (entry) navigate(entry.path);
        setDrawerOpen(false);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const signOut = async () => {
    await logout();
    void message.success(t('header.loggedOut'));
  };

  const userDetails = (
    <div className="qz-user-details">
      <Typography.Text strong>{user.displayName}</Typography.Text>
      <Typography.Text type="secondary">{user.org.name}</Typography.Text>
      <div>
        {roleNames.map((name) => (
          <Tag key={name} color="geekblue" style={{ marginInlineEnd: 4 }}>
            {name}
          </Tag>
        ))}
      </div>
    </div>
  );

  return (
    <Layout className="qz-shell">
      <Header className="qz-header">
        {compact && (
          <Button
            type="text"
            className="qz-header-icon"
            icon={<MenuOutlined />}
            aria-label={t('nav.menu')}
            onClick={() => setDrawerOpen(true)}
          />
        )}
        <div className="qz-brand">
          <BrandMark size={28} />
          <span className="qz-brand-name">{t('app.name')}</span>
          {!compact && <span className="qz-brand-subtitle">{t('app.subtitle')}</span>}
        </div>
        <div className="qz-header-right">
          <LanguageSwitch size="small" />
          {compact ? (
            <Dropdown
              trigger={['click']}
              popupRender={() => (
                <div className="qz-user-dropdown">
                  {userDetails}
                  <Button block icon={<LogoutOutlined />} onClick={() => void signOut()}>
                    {t('header.logout')}
                  </Button>
                </div>
              )}
            >
              <Avatar className="qz-avatar" icon={<UserOutlined />} data-testid="user-avatar" />
            </Dropdown>
          ) : (
            <Space size={12} align="center" className="qz-user-inline" data-testid="current-user">
              <Avatar size="small" className="qz-avatar" icon={<UserOutlined />} />
              <span className="qz-user-name">{user.displayName}</span>
              <Tooltip title={t('header.org')}>
                <span className="qz-user-org">{user.org.name}</span>
              </Tooltip>
              <Tooltip title={t('header.roles')}>
                <span>
                  {roleNames.map((name) => (
                    <Tag key={name} bordered={false} className="qz-role-tag">
                      {name}
                    </Tag>
                  ))}
                </span>
              </Tooltip>
              <Button
                type="text"
                className="qz-header-icon"
                icon={<LogoutOutlined />}
                onClick={() => void signOut()}
              >
                {t('header.logout')}
              </Button>
            </Space>
          )}
        </div>
      </Header>
      <Layout>
        {compact ? (
          <Drawer
            placement="left"
            width={240}
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={t('nav.menu')}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Sider width={184} theme="light" className="qz-sider" breakpoint="lg" collapsible>
            {menu}
          </Sider>
        )}
        <Content className="qz-content">
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
