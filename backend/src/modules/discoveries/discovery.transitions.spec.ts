import { ManualClock } from '../../infra/clock/clock';
import { allowedActions } from '../workflow/transitions';
import { deadlineTimes, DISCOVERY_TRANSITIONS } from './discovery.transitions';

describe('discovery deadlines and transitions', () => {
  const reportedAt = new ManualClock(new Date('2026-11-27T02:00:00Z')).now();

  it('on site within 24 h (reminder 2 h before), opinion within 168 h (reminder 24 h before), national 15 days', () => {
    expect(deadlineTimes('on_site', reportedAt)).toEqual({ dueAt: new Date('2026-11-28T02:00:00Z'), remindAt: new Date('2026-11-28T00:00:00Z') });
    expect(deadlineTimes('opinion', reportedAt)).toEqual({ dueAt: new Date('2026-12-04T02:00:00Z'), remindAt: new Date('2026-12-03T02:00:00Z') });
    expect(deadlineTimes('national', reportedAt).dueAt).toEqual(new Date('2026-12-12T02:00:00Z'));
  });

  it('a demonstration scale shrinks every duration alike', () => {
    expect(deadlineTimes('on_site', reportedAt, 1 / 60).dueAt).toEqual(new Date('2026-11-27T02:24:00Z'));
  });

  it('resumption only once measures are done', () => {
    expect(allowedActions(DISCOVERY_TRANSITIONS, 'reported')).toEqual(['record-arrival']);
    expect(allowedActions(DISCOVERY_TRANSITIONS, 'opinion_issued')).toEqual(['complete-measures']);
    expect(allowedActions(DISCOVERY_TRANSITIONS, 'measures_done')).toEqual(['authorize-resumption']);
    expect(allowedActions(DISCOVERY_TRANSITIONS, 'closed')).toEqual([]);
  });
});
