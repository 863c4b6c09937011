import { registerTerms } from '../../infra/i18n/messages';
import { Transitions } from '../workflow/transitions';

export const EXPLORATION_STATES = ['requested', 'in_progress', 'completed'] as const;
export type ExplorationState = (typeof EXPLORATION_STATES)[number];
export const EXPLORATION_ACTIONS = ['start', 'complete'] as const;
export type ExplorationAction = (typeof EXPLORATION_ACTIONS)[number];
export const EXPLORATION_RESULTS = ['no_relics', 'relics_found'] as const;
export type ExplorationResult = (typeof EXPLORATION_RESULTS)[number];

/**
 * DOMAIN.md §4.4: the committee requests; the archaeologists (assessors) or the local cultural-relics
 * department carry the exploration out and record its result.
 */
export const EXPLORATION_TRANSITIONS: Transitions<ExplorationState, ExplorationAction> = {
  start: { from: ['requested'], to: 'in_progress', roles: ['assessor', 'authority_officer'] },
  complete: { from: ['in_progress'], to: 'completed', roles: ['assessor', 'authority_officer'] },
};

// The names of the states and actions in 409 messages (the codes stay in `details`).
registerTerms('state', {
  requested: { 'zh-CN': '已申请', en: 'requested' },
  in_progress: { 'zh-CN': '勘探中', en: 'in progress' },
  completed: { 'zh-CN': '已完成', en: 'completed' },
} satisfies Record<ExplorationState, { 'zh-CN': string; en: string }>);
registerTerms('action', {
  start: { 'zh-CN': '开始勘探', en: 'start' },
  complete: { 'zh-CN': '完成勘探', en: 'complete' },
} satisfies Record<ExplorationAction, { 'zh-CN': string; en: string }>);
