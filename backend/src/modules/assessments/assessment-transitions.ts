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
