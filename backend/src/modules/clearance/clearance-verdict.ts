/**
 * The clearance rule of DOMAIN.md §4.4 as a pure function: figures measured by PostGIS in, verdict out.
 * Everything geometric happens in SQL (clearance.repository.ts); this file only decides.
 */

export const CLEARANCE_VERDICTS = ['outside_zone', 'blocked', 'exploration_required', 'individual_survey_required', 'pending_commitment', 'cleared'] as const;
export type ClearanceVerdict = (typeof CLEARANCE_VERDICTS)[number];

export const BUCKETS = ['avoidance', 'exploration', 'release', 'unzoned', 'outside'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** "Touches" means an overlap larger than this (m², on the ellipsoid): sharing an edge is not touching. */
export const TOUCH_TOLERANCE_M2 = 0.5;

/** Areas in m² on the ellipsoid, each already clipped to the polygon asked about. */
export interface ClearanceFigures {
  /** the polygon's own area */
  totalM2: number;
  /** part inside any development zone */
  insideZonesM2: number;
  /** part in an avoidance area of an issued plan, or in an individual avoidance record */
  avoidanceM2: number;
  /** part under an active clearance hold (a discovery) */
  holdM2: number;
  /** the same, per hold reason (`clearance_holds.reason`): each touching reason is a reason of its own */
  holds?: Array<{ reason: HoldReason; m2: number }>;
  /** part in exploration areas not covered by a completed no_relics exploration */
  openExplorationM2: number;
  /** part in a zone but in no issued area, or outside every zone, not covered by a no_relics exploration */
  unsurveyedM2: number;
  /** part in release areas not released by an accepted commitment nor explored without finds */
  pendingReleaseM2: number;
  /** part in release areas already released (accepted commitment) */
  releasedM2: number;
}

/** Why land is on hold; a hold's reason is the clearance reason code it produces (DOMAIN.md §4.5). */
export type HoldReason = 'discovery_hold';

export type ReasonCode =
  | 'outside_every_zone'
  | 'touches_avoidance'
  | HoldReason
  | 'exploration_not_done'
  | 'individual_survey_not_done'
  | 'commitment_not_accepted'
  | 'all_clear';

export interface ClearanceReason {
  code: ReasonCode;
  /** m² of the polygon the reason is about (0 for all_clear) */
  m2: number;
}

export type ObligationCode =
  | 'stop_work_on_discovery'
  | 'statutory_response'
  | 'inform_transferee'
  | 'no_construction_in_avoidance'
  | 'apply_exploration'
  | 'apply_individual_survey'
  | 'submit_commitment';

export interface ClearanceDecision {
  verdict: ClearanceVerdict;
  /** every condition that stands in the way, in precedence order; the first decides the verdict */
  reasons: ClearanceReason[];
  obligations: ObligationCode[];
}

const touches = (m2: number): boolean => m2 > TOUCH_TOLERANCE_M2;

export function decideClearance(f: ClearanceFigures): ClearanceDecision {
  if (!touches(f.insideZonesM2)) {
    return { verdict: 'outside_zone', reasons: [{ code: 'outside_every_zone', m2: f.totalM2 }], obligations: ['apply_individual_survey', 'stop_work_on_discovery'] };
  }
  const reasons: ClearanceReason[] = [];
  const verdicts: ClearanceVerdict[] = [];
  if (touches(f.avoidanceM2)) {
    reasons.push({ code: 'touches_avoidance', m2: f.avoidanceM2 });
    verdicts.push('blocked');
  }
  if (touches(f.holdM2)) {
    const byReason = (f.holds ?? []).filter((h) => touches(h.m2));
    if (byReason.length) for (const h of byReason) reasons.push({ code: h.reason, m2: h.m2 });
    else reasons.push({ code: 'discovery_hold', m2: f.holdM2 });
    verdicts.push('blocked');
  }
  if (touches(f.openExplorationM2)) {
    reasons.push({ code: 'exploration_not_done', m2: f.openExplorationM2 });
    verdicts.push('exploration_required');
  }
  if (touches(f.unsurveyedM2)) {
    reasons.push({ code: 'individual_survey_not_done', m2: f.unsurveyedM2 });
    verdicts.push('individual_survey_required');
  }
  if (touches(f.pendingReleaseM2)) {
    reasons.push({ code: 'commitment_not_accepted', m2: f.pendingReleaseM2 });
    verdicts.push('pending_commitment');
  }
  const verdict = verdicts[0] ?? 'cleared';
  if (verdict === 'cleared') reasons.push({ code: 'all_clear', m2: 0 });
  return { verdict, reasons, obligations: obligationsFor(verdict, f) };
}

function obligationsFor(verdict: ClearanceVerdict, f: ClearanceFigures): ObligationCode[] {
  const out: ObligationCode[] = [];
  switch (verdict) {
    case 'outside_zone':
      break;
    case 'blocked':
      out.push('no_construction_in_avoidance');
      break;
    case 'exploration_required':
      out.push('apply_exploration');
      break;
    case 'individual_survey_required':
      out.push('apply_individual_survey');
      break;
    case 'pending_commitment':
      out.push('submit_commitment');
      break;
    case 'cleared':
      // released land carries the commitment's duties to whoever receives it
      if (touches(f.releasedM2)) out.push('inform_transferee');
      break;
  }
  // whatever the verdict, a find during works stops them (Cultural Relics Protection Law Art. 46)
  out.push('stop_work_on_discovery', 'statutory_response');
  return out;
}

/**
 * Percent shares of the polygon with two decimals that sum to exactly 100 (largest remainder): each
 * bucket's m² is measured separately on the ellipsoid, so the raw shares can miss 100 by a hair.
 */
export function percentShares(m2: readonly number[]): number[] {
  const total = m2.reduce((s, v) => s + Math.max(v, 0), 0);
  if (total <= 0) return m2.map(() => 0);
  const hundredths = m2.map((v) => (Math.max(v, 0) / total) * 10000);
  const floors = hundredths.map(Math.floor);
  let missing = 10000 - floors.reduce((s, v) => s + v, 0);
  const order = hundredths.map((v, i) => ({ i, rest: v - floors[i]! })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i]! += 1;
    missing -= 1;
  }
  return floors.map((v) => v / 100);
}
