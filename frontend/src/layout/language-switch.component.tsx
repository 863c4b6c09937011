import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { APP_LANGUAGES, currentLanguage, setLanguage, type AppLanguage } from '../i18n/i18n.config';

/** 中文 / English, each written in its own language so either reader can find it. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<AppLanguage>
      size={size}
      aria-label={t('lang.label')}
      data-testid="language-switch"
      value={currentLanguage(i18n)}
      options={APP_LANGUAGES.map((language) => ({ value: language, label: t(`lang.${language}`) }))}
      onChange={(language) => void setLanguage(language, i18n)}
    />
  );
}
