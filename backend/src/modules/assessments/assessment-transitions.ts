import { registerTerms } from '../../infra/i18n/messages';
import { Principal } from '../auth/roles';
import { Transitions } from '../workflow/transitions';

export const ASSESSMENT_STATES = ['planned', 'surveying', 'coring', 'zoning', 'concluded'] as const;
export type AssessmentState = (typeof ASSESSMENT_STATES)[number];
export const ASSESSMENT_ACTIONS = ['start-survey', 'start-coring', 'start-zoning', 'conclude'] as const;
export type AssessmentAction = (typeof ASSESSMENT_ACTIONS)[number];

/** The assessment's workflow (DOMAIN.md §4.1): sweep survey → wide-spacing coring → zoning → concluded. */
export const ASSESSMENT_TRANSITIONS: Transitions<AssessmentState, AssessmentAction> = {
  'start-survey': { from: ['planned'], to: 'surveying', roles: ['assessor', 'reviewer'] },
  'start-coring': { from: ['surveying'], to: 'coring', roles: ['assessor', 'reviewer'] },
  'start-zoning': { from: ['coring'], to: 'zoning', roles: ['assessor', 'reviewer'] },
  conclude: { from: ['zoning'], to: 'concluded', roles: ['assessor', 'reviewer'] },
};

export interface TeamMember {
  userId: string;
  teamRole: 'lead' | 'member';
}

/** Guard for every transition: a reviewer (the bureau guides the assessment), or an assessor on its team. */
export function mayDriveAssessment(p: Principal, team: readonly TeamMember[]): boolean {
  if (p.roles.includes('reviewer')) return true;
  return p.roles.includes('assessor') && team.some((m) => m.userId === p.userId);
}

/** Who may change the team: reviewers and the team's lead(s). */
export function mayManageTeam(p: Principal, team: readonly TeamMember[]): boolean {
  if (p.roles.includes('reviewer')) return true;
  return p.roles.includes('assessor') && team.some((m) => m.userId === p.userId && m.teamRole === 'lead');
}

/** Survey and coring data are recorded (by assessors on the team) while the assessment is under way. */
export const RECORDING_STATES: readonly AssessmentState[] = ['surveying', 'coring', 'zoning'];

/** Evidence writes (tracks, observations, photos, cores): only assessors on the team, never others. */
export function mayRecordEvidence(p: Principal, team: readonly TeamMember[]): boolean {
  return p.roles.includes('assessor') && team.some((m) => m.userId === p.userId);
}

// The names of the states and actions in 409 messages (the codes stay in `details`).
registerTerms('state', {
  planned: { 'zh-CN': '计划中', en: 'planned' },
  surveying: { 'zh-CN': '拉网式调查', en: 'sweep survey' },
  coring: { 'zh-CN': '大孔距实探', en: 'wide-spacing coring' },
  zoning: { 'zh-CN': '分区', en: 'zoning' },
  concluded: { 'zh-CN': '已完成', en: 'concluded' },
} satisfies Record<AssessmentState, { 'zh-CN': string; en: string }>);
registerTerms('action', {
  'start-survey': { 'zh-CN': '开始调查', en: 'start survey' },
  'start-coring': { 'zh-CN': '开始实探', en: 'start coring' },
  'start-zoning': { 'zh-CN': '开始分区', en: 'start zoning' },
  conclude: { 'zh-CN': '完成评估', en: 'conclude' },
} satisfies Record<AssessmentAction, { 'zh-CN': string; en: string }>);
