import { registerTerms } from '../../infra/i18n/messages';
import { Transitions } from '../workflow/transitions';
import { DeadlineKind, DiscoveryAction, DiscoveryState } from './discoveries.dto';

/** The authority's desk (DOMAIN.md §4.5): reported → on_site → opinion_issued → measures_done → closed. */
export const DISCOVERY_TRANSITIONS: Transitions<DiscoveryState, DiscoveryAction> = {
  'record-arrival': { from: ['reported'], to: 'on_site', roles: ['authority_officer'] },
  'issue-opinion': { from: ['on_site'], to: 'opinion_issued', roles: ['authority_officer'] },
  'complete-measures': { from: ['opinion_issued'], to: 'measures_done', roles: ['authority_officer'] },
  'authorize-resumption': { from: ['measures_done'], to: 'closed', roles: ['authority_officer'] },
};

const HOUR = 3600_000;

/**
 * Each deadline, counted from reportedAt: how long until it is due and how long before that the
 * reminder goes out. `scale` shrinks every duration for demonstrations (DISCOVERY_TIME_SCALE).
 */
export const DEADLINE_RULES: Record<DeadlineKind, { dueAfterMs: number; remindBeforeMs: number }> = {
  on_site: { dueAfterMs: 24 * HOUR, remindBeforeMs: 2 * HOUR },
  opinion: { dueAfterMs: 168 * HOUR, remindBeforeMs: 24 * HOUR },
  national: { dueAfterMs: 15 * 24 * HOUR, remindBeforeMs: 48 * HOUR },
};

export function deadlineTimes(kind: DeadlineKind, reportedAt: Date, scale = 1): { dueAt: Date; remindAt: Date } {
  const r = DEADLINE_RULES[kind];
  const dueAt = new Date(reportedAt.getTime() + r.dueAfterMs * scale);
  return { dueAt, remindAt: new Date(dueAt.getTime() - r.remindBeforeMs * scale) };
}

// The names of the states and actions in 409 messages (the codes stay in `details`).
registerTerms('state', {
  reported: { 'zh-CN': '已报告', en: 'reported' },
  on_site: { 'zh-CN': '已到场', en: 'on site' },
  opinion_issued: { 'zh-CN': '已出具处理意见', en: 'opinion issued' },
  measures_done: { 'zh-CN': '保护措施已完成', en: 'measures done' },
  closed: { 'zh-CN': '已结案', en: 'closed' },
} satisfies Record<DiscoveryState, { 'zh-CN': string; en: string }>);
registerTerms('action', {
  'record-arrival': { 'zh-CN': '登记到场', en: 'record arrival' },
  'issue-opinion': { 'zh-CN': '出具处理意见', en: 'issue opinion' },
  'complete-measures': { 'zh-CN': '确认措施完成', en: 'complete measures' },
  'authorize-resumption': { 'zh-CN': '批准复工', en: 'authorize resumption' },
} satisfies Record<DiscoveryAction, { 'zh-CN': string; en: string }>);
