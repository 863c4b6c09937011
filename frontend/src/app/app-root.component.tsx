import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router-dom';
import { AuthProvider } from '../auth/auth.context';
import { currentLanguage, i18n } from '../i18n/i18n.config';
import { applyDayjsLocale } from '../shared/date-time.util';
import { AppRoutes } from './app-routes.component';

const THEME = {
  token: {
    colorPrimary: '#1f5fae',
    colorLink: '#1f5fae',
    borderRadius: 4,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif',
  },
  components: {
    Layout: { headerBg: '#14233c', headerHeight: 52, headerPadding: '0 16px', siderBg: '#ffffff', bodyBg: '#f0f2f5' },
  },
};

function LocalisedApp() {
  const { i18n: active } = useTranslation();
  const language = currentLanguage(active);

  useEffect(() => {
    applyDayjsLocale(language);
    document.documentElement.lang = language;
    document.title = `${active.t('app.name')} · ${active.t('app.subtitle')}`;
  }, [language, active]);

  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={THEME}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function AppRoot() {
  return (
    <I18nextProvider i18n={i18n}>
      <LocalisedApp />
    </I18nextProvider>
  );
}
