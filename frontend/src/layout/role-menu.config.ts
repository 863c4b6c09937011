import AppstoreOutlined from '@ant-design/icons/AppstoreOutlined';
import ApartmentOutlined from '@ant-design/icons/ApartmentOutlined';
import AlertOutlined from '@ant-design/icons/AlertOutlined';
import AuditOutlined from '@ant-design/icons/AuditOutlined';
import BlockOutlined from '@ant-design/icons/BlockOutlined';
import BankOutlined from '@ant-design/icons/BankOutlined';
import DashboardOutlined from '@ant-design/icons/DashboardOutlined';
import GlobalOutlined from '@ant-design/icons/GlobalOutlined';
import FileProtectOutlined from '@ant-design/icons/FileProtectOutlined';
import PartitionOutlined from '@ant-design/icons/PartitionOutlined';
import ProjectOutlined from '@ant-design/icons/ProjectOutlined';
import TeamOutlined from '@ant-design/icons/TeamOutlined';
import type { ComponentType } from 'react';
import type { Role } from '../api/api-types';

export type MenuKey =
  | 'field'
  | 'authority'
  | 'map'
  | 'dashboard'
  | 'zones'
  | 'assessments'
  | 'zoning'
  | 'committee-zone'
  | 'letters'
  | 'users'
  | 'orgs'
  | 'divisions';

export interface MenuEntry {
  key: MenuKey;
  path: string;
  labelKey: string;
  icon: ComponentType;
  roles: readonly Role[];
}

/**
 * The workflows each role reaches from its side menu. Only built pages are listed: an entry appears here
 * in the same change that adds its page, so nobody meets a dead menu item.
 */
export const MENU_ENTRIES: readonly MenuEntry[] = [
  // First for their roles, so they land there: a contractor's phone opens on its projects, an authority on its reports.
  { key: 'field', path: '/field', labelKey: 'field.nav', icon: ProjectOutlined, roles: ['contractor'] },
  { key: 'authority', path: '/discoveries', labelKey: 'authority.nav', icon: AlertOutlined, roles: ['authority_officer'] },
  {
    key: 'map',
    path: '/map',
    labelKey: 'nav.map',
    icon: GlobalOutlined,
    roles: ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor'],
  },
  // Figures of the province (or the officer's city/county): the bureau and local authorities, not committees or contractors.
  { key: 'dashboard', path: '/dashboard', labelKey: 'dashboard.nav', icon: DashboardOutlined, roles: ['admin', 'reviewer', 'authority_officer'] },
  {
    key: 'zones',
    path: '/zones',
    labelKey: 'nav.zones',
    icon: AppstoreOutlined,
    // Contractors work on their own projects, not on the zone registry.
    roles: ['admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer'],
  },
  // The regional assessments of industrial zones: the institute's assessors record, the bureau's reviewers guide.
  { key: 'assessments', path: '/assessments', labelKey: 'nav.assessments', icon: AuditOutlined, roles: ['assessor', 'reviewer'] },
  // Zoning plans: assessors draw and submit them, reviewers approve, return and issue.
  { key: 'zoning', path: '/zoning', labelKey: 'nav.zoning', icon: PartitionOutlined, roles: ['assessor', 'reviewer'] },
  // The committee's zone: effective zoning, parcels and their clearance, land transfer, explorations, projects.
  { key: 'committee-zone', path: '/committee', labelKey: 'committee.nav.zone', icon: BlockOutlined, roles: ['committee_officer'] },
  // Commitment letters: committees sign them, the bureau's reviewers accept or reject them.
  { key: 'letters', path: '/letters', labelKey: 'committee.nav.letters', icon: FileProtectOutlined, roles: ['committee_officer', 'reviewer'] },
  { key: 'users', path: '/admin/users', labelKey: 'nav.users', icon: TeamOutlined, roles: ['admin'] },
  { key: 'orgs', path: '/admin/orgs', labelKey: 'nav.orgs', icon: BankOutlined, roles: ['admin'] },
  { key: 'divisions', path: '/admin/divisions', labelKey: 'nav.divisions', icon: ApartmentOutlined, roles: ['admin'] },
];

/** A user with several roles sees the union of their menus, in the canonical order. */
export function menuForRoles(roles: readonly string[]): MenuEntry[] {
  return MENU_ENTRIES.filter((entry) => entry.roles.some((role) => roles.includes(role)));
}

export function homePathFor(roles: readonly string[]): string | null {
  return menuForRoles(roles)[0]?.path ?? null;
}
