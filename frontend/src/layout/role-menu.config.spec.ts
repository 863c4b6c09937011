import { describe, expect, it } from 'vitest';
import { homePathFor, menuForRoles } from './role-menu.config';

const keys = (roles: string[]) => menuForRoles(roles).map((e) => e.key);

describe('role menus', () => {
  it('gives the admin the map, zones and the registry pages', () => {
    expect(keys(['admin'])).toEqual(['map', 'dashboard', 'zones', 'users', 'orgs', 'divisions']);
  });

  it('gives authorities and committees the map and the zones list, no admin pages', () => {
    expect(keys(['authority_officer'])).toEqual(['authority', 'map', 'dashboard', 'zones']);
    expect(keys(['committee_officer'])).toEqual(['map', 'zones', 'committee-zone', 'letters']);
  });

  it('gives assessors and reviewers the assessments too, and nobody else', () => {
    expect(keys(['assessor'])).toEqual(['map', 'zones', 'assessments', 'zoning']);
    expect(keys(['reviewer'])).toEqual(['map', 'dashboard', 'zones', 'assessments', 'zoning', 'letters']);
    for (const role of ['admin', 'authority_officer', 'committee_officer', 'contractor']) {
      expect(keys([role])).not.toContain('assessments');
      expect(keys([role])).not.toContain('zoning');
    }
  });

  it('gives the dashboard to the bureau and the local authorities only, never to committees or contractors', () => {
    for (const role of ['admin', 'reviewer', 'authority_officer']) expect(keys([role])).toContain('dashboard');
    for (const role of ['assessor', 'committee_officer', 'contractor', 'integrator']) expect(keys([role])).not.toContain('dashboard');
  });

  it('gives the committee its zone workspace and the letters, reviewers the letters queue, and nobody else either', () => {
    for (const role of ['admin', 'assessor', 'authority_officer', 'contractor', 'integrator']) {
      expect(keys([role])).not.toContain('committee-zone');
      expect(keys([role])).not.toContain('letters');
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
    expect(keys(['contractor', 'admin'])).toEqual(['field', 'map', 'dashboard', 'zones', 'users', 'orgs', 'divisions']);
  });

  it('lands everyone with a map on the map, and nobody without a role anywhere', () => {
    expect(homePathFor(['reviewer'])).toBe('/map');
    expect(homePathFor(['contractor'])).toBe('/field');
    expect(homePathFor(['authority_officer'])).toBe('/discoveries');
    expect(homePathFor(['integrator'])).toBeNull();
  });
});
