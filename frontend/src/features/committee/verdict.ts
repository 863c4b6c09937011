import type { Verdict } from './committee.api';

/**
 * How each clearance verdict looks (DOMAIN §4.4), in the order of its precedence: the colours follow the
 * zoning categories (avoidance red, exploration amber, release green), so a badge reads like the map.
 */
export const VERDICTS = [
  'outside_zone',
  'blocked',
  'exploration_required',
  'individual_survey_required',
  'pending_commitment',
  'cleared',
] as const satisfies readonly Verdict[];

export interface VerdictLook {
  /** antd Tag colour */
  color: string;
  /** what the user may do next */
  mayTransfer: boolean;
  mayApplyExploration: boolean;
}

export const VERDICT_LOOK: Record<Verdict, VerdictLook> = {
  cleared: { color: 'success', mayTransfer: true, mayApplyExploration: false },
  pending_commitment: { color: 'lime', mayTransfer: false, mayApplyExploration: false },
  exploration_required: { color: 'warning', mayTransfer: false, mayApplyExploration: true },
  individual_survey_required: { color: 'orange', mayTransfer: false, mayApplyExploration: true },
  blocked: { color: 'error', mayTransfer: false, mayApplyExploration: false },
  outside_zone: { color: 'default', mayTransfer: false, mayApplyExploration: false },
};

/** A verdict the UI does not know yet (a newer backend) still shows, neutrally, and allows nothing. */
export function verdictLook(verdict: string): VerdictLook {
  return (VERDICT_LOOK as Record<string, VerdictLook>)[verdict] ?? { color: 'default', mayTransfer: false, mayApplyExploration: false };
}

/** Colours of the clipped blocking areas drawn over a parcel (kind from POST /api/clearance). */
export const BLOCKING_KIND_COLORS: Record<string, string> = {
  avoidance: '#c62828',
  exploration: '#b77900',
  individual_survey: '#d46b08',
  pending_commitment: '#7cb305',
};
