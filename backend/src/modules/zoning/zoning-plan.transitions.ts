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
