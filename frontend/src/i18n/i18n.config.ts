import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';
import { mergeMessages } from './merge-messages';

export const APP_LANGUAGES = ['zh-CN', 'en'] as const;
export type AppLanguage = (typeof APP_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: AppLanguage = 'zh-CN';
export const LANGUAGE_STORAGE_KEY = 'qianzhi.language';

export function isAppLanguage(value: unknown): value is AppLanguage {
  return typeof value === 'string' && (APP_LANGUAGES as readonly string[]).includes(value);
}

/** Chinese is the product's first language; English only when the user chose it before. */
export function readStoredLanguage(storage: Pick<Storage, 'getItem'> | undefined): AppLanguage {
  try {
    const stored = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return isAppLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    // Storage can throw in locked-down browsers; the default language still works.
    return DEFAULT_LANGUAGE;
  }
}

type MessageTree = Record<string, unknown>;

/**
 * A feature may keep its own strings next to its code as `<name>.zh-CN.json` / `<name>.en.json`, holding
 * top-level sections (e.g. `{ "letters": { ... } }`); they are merged over the shared files here.
 */
const featureFiles = import.meta.glob<MessageTree>('../features/**/*.{zh-CN,en}.json', { eager: true, import: 'default' });

export function messagesFor(language: AppLanguage): MessageTree {
  const base = (language === 'en' ? en : zhCN) as MessageTree;
  const suffix = `.${language}.json`;
  const own = Object.keys(featureFiles)
    .filter((path) => path.endsWith(suffix))
    .sort()
    .map((path) => featureFiles[path]!);
  return mergeMessages(base, ...own);
}

export function createI18n(language: AppLanguage): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: messagesFor('zh-CN') }, en: { translation: messagesFor('en') } },
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...APP_LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes already
    initImmediate: false,
    returnNull: false,
  });
  return instance;
}

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export const i18n = createI18n(readStoredLanguage(browserStorage()));

export function currentLanguage(instance: I18n = i18n): AppLanguage {
  return isAppLanguage(instance.language) ? instance.language : DEFAULT_LANGUAGE;
}

/** Switches the UI language and remembers it across visits. */
export async function setLanguage(
  language: AppLanguage,
  instance: I18n = i18n,
  storage: Pick<Storage, 'setItem'> | undefined = browserStorage(),
): Promise<void> {
  await instance.changeLanguage(language);
  try {
    storage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not persisting is acceptable; the switch itself already happened.
  }
}
