import { registerTerms } from '../../infra/i18n/messages';
import { Transitions } from '../workflow/transitions';

export const ZONING_PLAN_STATES = ['draft', 'submitted', 'returned', 'approved', 'issued', 'superseded'] as const;
export type ZoningPlanState = (typeof ZONING_PLAN_STATES)[number];
export const ZONING_PLAN_ACTIONS = ['submit', 'approve', 'return', 'revise', 'issue'] as const;
export type ZoningPlanAction = (typeof ZONING_PLAN_ACTIONS)[number];

/**
 * DOMAIN.md §4.2: assessors draw and submit; reviewers approve, return and issue. `superseded` is not an
 * action: issuing a newer plan moves the zone's previously issued plan there in the same transaction.
 */
export const ZONING_PLAN_TRANSITIONS: Transitions<ZoningPlanState, ZoningPlanAction> = {
  submit: { from: ['draft'], to: 'submitted', roles: ['assessor'] },
  approve: { from: ['submitted'], to: 'approved', roles: ['reviewer'] },
  return: { from: ['submitted'], to: 'returned', roles: ['reviewer'] },
  revise: { from: ['returned'], to: 'draft', roles: ['assessor'] },
  issue: { from: ['approved'], to: 'issued', roles: ['reviewer'] },
};

export const ZONING_CATEGORIES = ['avoidance', 'exploration', 'release'] as const;
export type ZoningCategory = (typeof ZONING_CATEGORIES)[number];

/** Only drafts are edited; everything after submission is a record. */
export const EDITABLE_STATES: readonly ZoningPlanState[] = ['draft'];

// The names of the states and actions in 409 messages (the codes stay in `details`).
registerTerms('state', {
  draft: { 'zh-CN': '草稿', en: 'draft' },
  submitted: { 'zh-CN': '已提交', en: 'submitted' },
  returned: { 'zh-CN': '已退回', en: 'returned' },
  approved: { 'zh-CN': '已批准', en: 'approved' },
  issued: { 'zh-CN': '已印发', en: 'issued' },
  superseded: { 'zh-CN': '已被替代', en: 'superseded' },
} satisfies Record<ZoningPlanState, { 'zh-CN': string; en: string }>);
registerTerms('action', {
  submit: { 'zh-CN': '提交', en: 'submit' },
  approve: { 'zh-CN': '批准', en: 'approve' },
  return: { 'zh-CN': '退回', en: 'return' },
  revise: { 'zh-CN': '修改', en: 'revise' },
  issue: { 'zh-CN': '印发', en: 'issue' },
} satisfies Record<ZoningPlanAction, { 'zh-CN': string; en: string }>);
