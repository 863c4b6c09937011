import { describe, expect, it } from 'vitest';
import { FORWARD_ACTION, IMPORT_TARGETS_BY_STATE, stepIndexOf, visibleActions } from './assessment-steps';

describe('assessment steps', () => {
  it('puts the states on the step bar in workflow order', () => {
    expect(['planned', 'surveying', 'coring', 'zoning', 'concluded'].map((s) => stepIndexOf(s as never))).toEqual([0, 1, 2, 3, 4]);
    expect(FORWARD_ACTION.coring).toBe('start-zoning');
    expect(FORWARD_ACTION.concluded).toBeNull();
  });

  it('shows only the actions the server allows, never one it did not name', () => {
    expect(visibleActions(['start-zoning'])).toEqual(['start-zoning']);
    expect(visibleActions([])).toEqual([]);
    expect(visibleActions(['conclude', 'start-survey'])).toEqual(['start-survey', 'conclude']);
  });

  it('offers cores for import while coring, and nothing once concluded', () => {
    expect(IMPORT_TARGETS_BY_STATE.coring[0]).toBe('cores');
    expect(IMPORT_TARGETS_BY_STATE.surveying).not.toContain('cores');
    expect(IMPORT_TARGETS_BY_STATE.concluded).toEqual([]);
  });
});
