import { ISO_WITH_OFFSET, shanghaiYear, toIsoOffset } from './time';

describe('Asia/Shanghai time', () => {
  it('formats instants with the +08:00 offset', () => {
    expect(toIsoOffset(new Date('2026-11-27T20:30:00Z'))).toBe('2026-11-28T04:30:00.000+08:00');
    expect(toIsoOffset(null)).toBeNull();
  });
  it('takes the Shanghai year for document numbers (New Year comes 8 h earlier than UTC)', () => {
    expect(shanghaiYear(new Date('2026-12-31T16:30:00Z'))).toBe(2027);
    expect(shanghaiYear(new Date('2026-12-31T15:30:00Z'))).toBe(2026);
  });
  it('recognises timestamps with and without an offset', () => {
    expect(ISO_WITH_OFFSET.test('2026-11-27T08:30:00+08:00')).toBe(true);
    expect(ISO_WITH_OFFSET.test('2026-11-27T08:30:00Z')).toBe(true);
    expect(ISO_WITH_OFFSET.test('2026-11-27T08:30:00')).toBe(false);
  });
});
