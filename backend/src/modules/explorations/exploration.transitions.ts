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
