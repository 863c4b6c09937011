import { describe, expect, it } from 'vitest';
import { formatDateTime } from './date-time.util';

describe('formatDateTime', () => {
  it('shows a UTC instant as Shanghai wall-clock time', () => {
    expect(formatDateTime('2026-03-01T16:30:00Z', 'zh-CN')).toBe('2026年3月2日 00:30');
    expect(formatDateTime('2026-03-01T16:30:00Z', 'en')).toBe('2026-03-02 00:30');
  });

  it('honours the offset the server sent', () => {
    expect(formatDateTime('2026-03-01T08:00:00+08:00', 'en')).toBe('2026-03-01 08:00');
  });
});
