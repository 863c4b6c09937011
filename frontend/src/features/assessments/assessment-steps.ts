import type { ImportTargetName } from '../imports/imports.api';
import { ASSESSMENT_STATES, type AssessmentAction, type AssessmentState } from './assessments.api';

/** The step bar reads 计划 → 拉网式调查 → 大孔距实探 → 分区 → 完成, one step per state. */
export function stepIndexOf(state: AssessmentState): number {
  return ASSESSMENT_STATES.indexOf(state);
}

/** The action that moves the assessment forward from a state (the server still decides whether it may). */
export const FORWARD_ACTION: Record<AssessmentState, AssessmentAction | null> = {
  planned: 'start-survey',
  surveying: 'start-coring',
  coring: 'start-zoning',
  zoning: 'conclude',
  concluded: null,
};

/** The buttons to show: only the actions the server allows, in workflow order. */
export function visibleActions(allowed: readonly AssessmentAction[]): AssessmentAction[] {
  const order = Object.values(FORWARD_ACTION).filter((a): a is AssessmentAction => a !== null);
  return order.filter((action) => allowed.includes(action));
}

/** What can be imported at each step: the evidence that step produces, plus relics found along the way. */
export const IMPORT_TARGETS_BY_STATE: Record<AssessmentState, ImportTargetName[]> = {
  planned: ['relics'],
  surveying: ['survey-tracks', 'observations', 'relics'],
  coring: ['cores', 'observations', 'survey-tracks', 'relics'],
  zoning: ['relics'],
  concluded: [],
};

/** Evidence is recorded while the assessment runs; planning and concluded assessments take none. */
export function recordsEvidence(state: AssessmentState): boolean {
  return state === 'surveying' || state === 'coring' || state === 'zoning';
}
