import { describe, expect, it } from 'vitest';
import { createI18n, LANGUAGE_STORAGE_KEY, messagesFor, readStoredLanguage, setLanguage } from './i18n.config';
import { mergeMessages } from './merge-messages';

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

  it('has the same keys in both languages (shared and per-feature files), so no string falls back silently', () => {
    expect(keysOf(messagesFor('en')).sort()).toEqual(keysOf(messagesFor('zh-CN')).sort());
  });

  it('merges feature message files section by section and refuses a string defined twice differently', () => {
    expect(mergeMessages({ a: { x: '1' } }, { a: { y: '2' } }, { b: '3' })).toEqual({ a: { x: '1', y: '2' }, b: '3' });
    expect(mergeMessages({ a: { x: '1' } }, { a: { x: '1' } })).toEqual({ a: { x: '1' } });
    expect(() => mergeMessages({ a: { x: '1' } }, { a: { x: '2' } })).toThrow('a.x');
    expect(() => mergeMessages({ a: '1' }, { a: { x: '2' } })).toThrow('a');
  });
});
