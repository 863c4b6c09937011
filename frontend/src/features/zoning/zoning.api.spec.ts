import { describe, expect, it } from 'vitest';
import { actionsFor } from './zoning.api';

describe('actionsFor', () => {
  it('offers assessors only submit and revise, reviewers only approve, return and issue, whatever the state allows', () => {
    const all = ['submit', 'approve', 'return', 'revise', 'issue'] as const;
    expect(actionsFor(all, ['assessor'])).toEqual(['submit', 'revise']);
    expect(actionsFor(all, ['reviewer'])).toEqual(['approve', 'return', 'issue']);
    expect(actionsFor(['approve', 'return'], ['assessor'])).toEqual([]);
    expect(actionsFor(['issue'], ['reviewer', 'assessor'])).toEqual(['issue']);
    expect(actionsFor(all, ['committee_officer'])).toEqual([]);
  });
});
