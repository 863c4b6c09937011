import { describe, expect, it } from 'vitest';
import { localName } from './local-name.util';

describe('localName', () => {
  const zone = { name: '屯留经济技术开发区', nameEn: 'Tunliu Economic and Technological Development Zone' };

  it('uses the English name in English and the Chinese name otherwise', () => {
    expect(localName(zone, 'en')).toBe(zone.nameEn);
    expect(localName(zone, 'zh-CN')).toBe(zone.name);
  });

  it('falls back to the official Chinese name when there is no English one', () => {
    expect(localName({ name: '屯留区', nameEn: null }, 'en')).toBe('屯留区');
  });
});
