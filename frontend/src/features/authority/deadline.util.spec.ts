import { describe, expect, it } from 'vitest';
import { deadlineStatus, formatDuration, nextOpenDeadline, sortDeadlines } from './deadline.util';

const reportedAt = Date.parse('2026-11-28T08:00:00+08:00');
const onSite = { kind: 'on_site', dueAt: '2026-11-29T08:00:00+08:00', metAt: null, breachedAt: null };
const opinion = { kind: 'opinion', dueAt: '2026-12-05T08:00:00+08:00', metAt: null, breachedAt: null };
const hours = (h: number) => h * 3600_000;

describe('deadline status', () => {
  it('counts down to the due time, amber in the last two hours', () => {
    expect(deadlineStatus(onSite, reportedAt + hours(3))).toEqual({ kind: 'running', remainingMs: hours(21), urgent: false });
    expect(deadlineStatus(onSite, reportedAt + hours(23))).toEqual({ kind: 'running', remainingMs: hours(1), urgent: true });
  });

  it('is overdue from the due instant, and as soon as the server marks the breach', () => {
    expect(deadlineStatus(onSite, reportedAt + hours(24))).toEqual({ kind: 'overdue', overdueMs: 0 });
    expect(deadlineStatus(onSite, reportedAt + hours(30))).toEqual({ kind: 'overdue', overdueMs: hours(6) });
    expect(deadlineStatus({ ...onSite, breachedAt: '2026-11-29T08:00:01+08:00' }, reportedAt + hours(23)).kind).toBe('overdue');
  });

  it('is met on time, or late, once the step is done', () => {
    expect(deadlineStatus({ ...onSite, metAt: '2026-11-28T15:00:00+08:00' }, reportedAt + hours(40))).toEqual({
      kind: 'met', onTime: true, metAt: '2026-11-28T15:00:00+08:00',
    });
    expect(deadlineStatus({ ...onSite, metAt: '2026-11-29T09:00:00+08:00' }, reportedAt + hours(40))).toMatchObject({ kind: 'met', onTime: false });
  });
});

describe('formatting a countdown', () => {
  it('shows days and hours when far away, and seconds on the last day', () => {
    expect(formatDuration(hours(24 * 6 + 23) + 5 * 60_000, 'zh-CN')).toBe('6天23小时05分');
    expect(formatDuration(hours(23) + 59 * 60_000 + 8_000, 'zh-CN')).toBe('23小时59分08秒');
    expect(formatDuration(hours(23) + 59 * 60_000 + 8_000, 'en')).toBe('23 h 59 min 08 s');
    expect(formatDuration(-5, 'en')).toBe('0 h 00 min 00 s');
  });
});

describe('ordering deadlines', () => {
  it('puts them in legal order and picks the earliest unmet one to watch', () => {
    const national = { kind: 'national', dueAt: '2026-12-13T08:00:00+08:00', metAt: null };
    expect(sortDeadlines([national, opinion, onSite]).map((d) => d.kind)).toEqual(['on_site', 'opinion', 'national']);
    expect(nextOpenDeadline([opinion, onSite])?.kind).toBe('on_site');
    expect(nextOpenDeadline([opinion, { ...onSite, metAt: '2026-11-28T15:00:00+08:00' }])?.kind).toBe('opinion');
    expect(nextOpenDeadline([{ ...onSite, metAt: '2026-11-28T15:00:00+08:00' }])).toBeNull();
  });
});
