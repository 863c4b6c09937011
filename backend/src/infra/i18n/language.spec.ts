import { pickLanguage } from './language';
import { translate } from './messages';

describe('pickLanguage', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['fr-FR, en;q=0.5', 'en'],
    ['en;q=0.3, zh-TW;q=0.8', 'zh-CN'],
    ['de', 'zh-CN'],
  ])('%s → %s', (header, lang) => {
    expect(pickLanguage(header)).toBe(lang);
  });
  it('interpolates parameters into both languages', () => {
    expect(translate('rate_limited', 'zh-CN', { retryAfter: 12 })).toBe('请求过于频繁，请在 12 秒后重试');
    expect(translate('rate_limited', 'en', { retryAfter: 12 })).toBe('Too many requests; retry in 12 s');
  });
});
