import { describe, expect, it } from 'vitest';
import { foundAtToIso, nowForInput } from './report-find.form';

describe('the time of a find', () => {
  it('reads the phone’s date-time field as Beijing time, whatever zone the phone is in, and sends it with +08:00', () => {
    expect(foundAtToIso('2026-11-28T09:40')).toBe('2026-11-28T09:40:00+08:00');
    expect(foundAtToIso('2026-12-31T23:59')).toBe('2026-12-31T23:59:00+08:00');
  });

  it('defaults to now, in Beijing wall-clock time', () => {
    expect(nowForInput(Date.parse('2026-11-28T01:40:00Z'))).toBe('2026-11-28T09:40');
    expect(nowForInput(Date.parse('2026-11-28T16:05:00Z'))).toBe('2026-11-29T00:05');
  });
});
