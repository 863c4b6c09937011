import { describe, expect, it } from 'vitest';
import { homePathFor, menuForRoles } from './role-menu.config';

const keys = (roles: string[]) => menuForRoles(roles).map((e) => e.key);

describe('role menus', () => {
  it('gives the admin the map, zones and the registry pages', () => {
    expect(keys(['admin'])).toEqual(['map', 'zones', 'users', 'orgs', 'divisions']);
  });

  it('gives authorities and committees the map and the zones list, no admin pages', () => {
    expect(keys(['committee_officer'])).toEqual(['map', 'zones']);
    expect(keys(['authority_officer'])).toEqual(['authority', 'map', 'zones']);
  });

  it('gives assessors and reviewers the assessments too, and nobody else', () => {
    for (const role of ['assessor', 'reviewer']) {
      expect(keys([role])).toEqual(['map', 'zones', 'assessments', 'zoning']);
    }
    for (const role of ['admin', 'authority_officer', 'committee_officer', 'contractor']) {
      expect(keys([role])).not.toContain('assessments');
      expect(keys([role])).not.toContain('zoning');
    }
  });

  it('gives the contractor its projects and the map', () => {
    expect(keys(['contractor'])).toEqual(['field', 'map']);
  });

  it('gives the discovery desk to authority officers only', () => {
    for (const role of ['admin', 'assessor', 'reviewer', 'committee_officer', 'contractor']) {
      expect(keys([role])).not.toContain('authority');
    }
  });

  it('merges the menus of a user with several roles without duplicates', () => {
    expect(keys(['contractor', 'admin'])).toEqual(['field', 'map', 'zones', 'users', 'orgs', 'divisions']);
  });

  it('lands everyone with a map on the map, and nobody without a role anywhere', () => {
    expect(homePathFor(['reviewer'])).toBe('/map');
    expect(homePathFor(['contractor'])).toBe('/field');
    expect(homePathFor(['authority_officer'])).toBe('/discoveries');
    expect(homePathFor(['integrator'])).toBeNull();
  });
});
