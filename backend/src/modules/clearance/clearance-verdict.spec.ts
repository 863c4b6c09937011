import { ClearanceFigures, decideClearance, percentShares } from './clearance-verdict';

const base: ClearanceFigures = {
  totalM2: 10_000, insideZonesM2: 10_000, avoidanceM2: 0, holdM2: 0, openExplorationM2: 0, unsurveyedM2: 0, pendingReleaseM2: 0, releasedM2: 10_000,
};

describe('decideClearance', () => {
  const sut = decideClearance;

  it('released land only is cleared and carries the stop-work duty', () => {
    const d = sut(base);
    expect(d.verdict).toBe('cleared');
    expect(d.reasons.map((r) => r.code)).toEqual(['all_clear']);
    expect(d.obligations).toEqual(['inform_transferee', 'stop_work_on_discovery', 'statutory_response']);
  });

  it('a polygon entirely outside every zone is outside_zone, whatever else the figures say', () => {
    expect(sut({ ...base, insideZonesM2: 0.3, unsurveyedM2: 10_000, releasedM2: 0 }).verdict).toBe('outside_zone');
  });

  it('avoidance wins over everything inside a zone', () => {
    const d = sut({ ...base, avoidanceM2: 20, openExplorationM2: 500, unsurveyedM2: 500, pendingReleaseM2: 500 });
    expect(d.verdict).toBe('blocked');
    expect(d.reasons.map((r) => r.code)).toEqual(['touches_avoidance', 'exploration_not_done', 'individual_survey_not_done', 'commitment_not_accepted']);
    expect(d.obligations[0]).toBe('no_construction_in_avoidance');
  });

  it('an overlap at or below the 0.5 m² tolerance is not touching (a shared edge measures 0)', () => {
    expect(sut({ ...base, avoidanceM2: 0.5 }).verdict).toBe('cleared');
    expect(sut({ ...base, avoidanceM2: 0.51 }).verdict).toBe('blocked');
  });

  it('an active clearance hold blocks like avoidance, with the hold’s own reason as the code', () => {
    expect(sut({ ...base, holdM2: 30 }).reasons[0]!.code).toBe('discovery_hold');
    expect(sut({ ...base, holdM2: 30, holds: [{ reason: 'discovery_hold', m2: 30 }] }).reasons).toEqual([{ code: 'discovery_hold', m2: 30 }]);
    expect(sut({ ...base, holdM2: 30 }).verdict).toBe('blocked');
  });

  it('follows the precedence exploration → individual survey → commitment', () => {
    expect(sut({ ...base, openExplorationM2: 10, unsurveyedM2: 10, pendingReleaseM2: 10 }).verdict).toBe('exploration_required');
    expect(sut({ ...base, unsurveyedM2: 10, pendingReleaseM2: 10 }).verdict).toBe('individual_survey_required');
    expect(sut({ ...base, pendingReleaseM2: 10 }).verdict).toBe('pending_commitment');
  });
});

describe('percentShares', () => {
  const sut = percentShares;

  it('sums to exactly 100 with two decimals', () => {
    const s = sut([1, 1, 1, 0, 0]);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 10);
    expect(s).toEqual([33.34, 33.33, 33.33, 0, 0]);
  });

  it('gives zeros for an empty polygon instead of dividing by zero', () => {
    expect(sut([0, 0])).toEqual([0, 0]);
  });
});
