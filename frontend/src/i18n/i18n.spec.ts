import { describe, expect, it } from 'vitest';
import en from './en.json';
import zhCN from './zh-CN.json';
import { createI18n, LANGUAGE_STORAGE_KEY, readStoredLanguage, setLanguage } from './i18n.config';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    data,
  };
}

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe('i18n', () => {
  it('defaults to Chinese when nothing was chosen', () => {
    const storage = memoryStorage();
    const sut = createI18n(readStoredLanguage(storage));
    expect(sut.language).toBe('zh-CN');
    expect(sut.t('nav.map')).toBe('地图');
    expect(sut.t('app.name')).toBe('考古前置');
  });

  it('ignores an unknown stored language', () => {
    expect(readStoredLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'fr' }))).toBe('zh-CN');
  });

  it('switches to English and remembers the choice', async () => {
    const storage = memoryStorage();
    const sut = createI18n('zh-CN');
    await setLanguage('en', sut, storage);
    expect(sut.t('nav.map')).toBe('Map');
    expect(sut.t('zoneCategory.cultural_tourism')).toBe('Cultural tourism');
    expect(storage.data.get(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(readStoredLanguage(storage)).toBe('en');
  });

  it('has the same keys in both languages, so no string falls back silently', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zhCN).sort());
  });
});
