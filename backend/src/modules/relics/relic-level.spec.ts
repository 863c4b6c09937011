import { parseProtectionLevel } from './relic-level';

describe('parseProtectionLevel', () => {
  it('reads the levels as Chinese registers write them', () => {
    expect(parseProtectionLevel('全国重点文物保护单位')).toBe('national');
    expect(parseProtectionLevel('国保')).toBe('national');
    expect(parseProtectionLevel('省级文物保护单位')).toBe('provincial');
    expect(parseProtectionLevel('市级文物保护单位')).toBe('city');
    expect(parseProtectionLevel('县级文物保护单位')).toBe('county');
    expect(parseProtectionLevel('区级')).toBe('county');
    expect(parseProtectionLevel('尚未核定公布为文物保护单位的不可移动文物')).toBe('unlisted');
    expect(parseProtectionLevel('Provincial')).toBe('provincial');
  });

  it('treats a missing level as unlisted but refuses text that names no level', () => {
    expect(parseProtectionLevel(undefined)).toBe('unlisted');
    expect(parseProtectionLevel('  ')).toBe('unlisted');
    expect(parseProtectionLevel('很重要')).toBeNull();
  });
});
