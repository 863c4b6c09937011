import { forbiddenRole } from '../../infra/http/app-exception';
import { Principal, Role } from '../auth/roles';
import { allowedActions, checkTransition } from '../workflow/transitions';
import { ASSESSMENT_STATES, ASSESSMENT_TRANSITIONS, mayDriveAssessment, mayManageTeam, mayRecordEvidence } from './assessment-transitions';

function principal(userId: string, ...roles: Role[]): Principal {
  return {
    kind: 'user', userId, username: userId, displayName: userId,
    org: { id: 'o', type: 'institute', name: 'o', divisionCode: '140000' }, roles, assignments: [],
  };
}

describe('assessment transition table', () => {
  it('walks planned → surveying → coring → zoning → concluded, one action per state, none after', () => {
    const sut = ASSESSMENT_TRANSITIONS;
    expect(ASSESSMENT_STATES.map((s) => allowedActions(sut, s))).toEqual([['start-survey'], ['start-coring'], ['start-zoning'], ['conclude'], []]);
    expect(sut['start-survey'].to).toBe('surveying');
    expect(sut.conclude.to).toBe('concluded');
  });

  it('answers 409 naming the allowed action when the state does not fit, 403 for a committee officer', () => {
    const assessor = principal('a', 'assessor');
    let err: unknown;
    try {
      checkTransition(ASSESSMENT_TRANSITIONS, 'conclude', 'surveying', assessor);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ status: 409, details: { state: 'surveying', allowedActions: ['start-coring'] } });
    expect(() => checkTransition(ASSESSMENT_TRANSITIONS, 'start-survey', 'planned', principal('c', 'committee_officer'))).toThrow(forbiddenRole());
  });

  it('lets reviewers and team assessors drive it, leads manage the team, only team assessors record evidence', () => {
    const team = [{ userId: 'lead', teamRole: 'lead' as const }, { userId: 'm', teamRole: 'member' as const }];
    expect(mayDriveAssessment(principal('m', 'assessor'), team)).toBe(true);
    expect(mayDriveAssessment(principal('x', 'assessor'), team)).toBe(false);
    expect(mayDriveAssessment(principal('r', 'reviewer'), team)).toBe(true);
    expect(mayManageTeam(principal('m', 'assessor'), team)).toBe(false);
    expect(mayManageTeam(principal('lead', 'assessor'), team)).toBe(true);
    expect(mayRecordEvidence(principal('r', 'reviewer'), team)).toBe(false);
    expect(mayRecordEvidence(principal('m', 'assessor'), team)).toBe(true);
  });
});
