import LockOutlined from '@ant-design/icons/LockOutlined';
import UserOutlined from '@ant-design/icons/UserOutlined';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unlocksAtOf } from '../../api/api-error';
import { useApiErrorNotifier } from '../../api/use-api-query.hook';
import { useAuth } from '../../auth/auth.context';
import { currentLanguage } from '../../i18n/i18n.config';
import { BrandMark } from '../../layout/brand-mark.component';
import { LanguageSwitch } from '../../layout/language-switch.component';
import { formatDateTime } from '../../shared/date-time.util';

interface Credentials {
  username: string;
  password: string;
}

/** Sign-in, Chinese first; wrong password and lock-out are explained in the form, not in a toast. */
export function LoginPage({ expired }: { expired: boolean }) {
  const { t, i18n } = useTranslation();
  const { login } = useAuth();
  const notify = useApiErrorNotifier();
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async ({ username, password }: Credentials) => {
    setSubmitting(true);
    setProblem(null);
    try {
      await login(username.trim(), password);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 423)) {
        const unlocksAt = unlocksAtOf(error);
        const lockText = unlocksAt ? t('login.lockedUntil', { time: formatDateTime(unlocksAt, currentLanguage(i18n)) }) : '';
        setProblem([error.message, lockText].filter(Boolean).join(' '));
      } else {
        notify(error);
      }
      setSubmitting(false);
    }
  };

  return (
    <div className="qz-login">
      <section className="qz-login-hero" aria-hidden="false">
        <div className="qz-login-hero-inner">
          <div className="qz-login-brand">
            <BrandMark size={44} />
            <div>
              <div className="qz-login-name">{t('app.name')}</div>
              <div className="qz-login-subtitle">{t('app.subtitle')}</div>
            </div>
          </div>
          <p className="qz-login-tagline">{t('app.tagline')}</p>
          <p className="qz-login-org">{t('app.province')}</p>
        </div>
      </section>
      <section className="qz-login-panel">
        <div className="qz-login-lang">
          <LanguageSwitch size="small" />
        </div>
        <div className="qz-login-card">
          <div className="qz-login-card-brand">
            <BrandMark size={36} />
            <span>
              {t('app.name')} · {t('app.subtitle')}
            </span>
          </div>
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('login.title')}
          </Typography.Title>
          {expired && !problem && <Alert type="warning" showIcon message={t('login.sessionExpired')} style={{ marginBottom: 16 }} />}
          {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form<Credentials> name="login" layout="vertical" requiredMark={false} onFinish={(values) => void submit(values)} size="large">
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        </div>
      </section>
    </div>
  );
}
