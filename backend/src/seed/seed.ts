import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../infra/config/config';
import { Clock } from '../infra/clock/clock';
import { Actor, AuditService } from '../modules/audit/audit.service';
import { hashPassword } from '../modules/auth/password';
import { DEMO_DIVISIONS, DEMO_ORGS, DEMO_USERS, DEMO_ZONES } from './demo-data';
import { demoPolygon } from './demo-geometry';
import { coringSeedStep } from './steps/coring.seed';
import { committeeSeedStep } from './steps/committee.seed';
import { zoningSeedStep } from './steps/zoning.seed';
import { evidenceSeedStep } from './steps/evidence.seed';
import { discoveriesSeedStep } from './steps/discoveries.seed';

export interface SeedContext {
  db: DataSource;
  config: AppConfig;
  clock: Clock;
  audit: AuditService;
  actor: Actor;
  log: (m: string) => void;
  /** ids of what the foundation seeded, for later steps */
  orgIds: Map<string, string>;
  userIds: Map<string, string>;
  zoneIds: Map<string, string>;
}

/** A seed step: idempotent, runs in its own transaction, may read what earlier steps stored in the context. */
export type SeedStep = { name: string; run(m: EntityManager, ctx: SeedContext): Promise<void> };

const divisionsStep: SeedStep = {
  name: 'divisions',
  async run(m) {
    for (const d of DEMO_DIVISIONS) {
      const parentPath: Array<{ path: string }> = d.parent ? await m.query(`SELECT path FROM divisions WHERE code = $1`, [d.parent]) : [];
      const path = d.parent ? `${parentPath[0]!.path}.${d.code}` : d.code;
      await m.query(
        `INSERT INTO divisions (code, name, name_en, parent_code, level, path) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO NOTHING`,
        [d.code, d.name, d.nameEn, d.parent, d.level, path],
      );
    }
  },
};

const orgsStep: SeedStep = {
  name: 'organisations',
  async run(m, ctx) {
    for (const o of DEMO_ORGS) {
      const rows: Array<{ id: string; inserted: boolean }> = await m.query(
        `INSERT INTO organizations (type, name, name_en, division_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
         RETURNING id, (xmax = 0) AS inserted`,
        [o.type, o.name, o.nameEn, o.division],
      );
      const row = rows[0]!;
      ctx.orgIds.set(o.key, row.id);
      if (row.inserted) await ctx.audit.record(m, ctx.actor, { action: 'org.create', entityType: 'org', entityId: row.id, after: o });
    }
  },
};

const zonesStep: SeedStep = {
  name: 'zones',
  async run(m, ctx) {
    for (const z of DEMO_ZONES) {
      const boundary = { type: 'MultiPolygon', coordinates: [demoPolygon(z.center, z.radiusM, z.shapeSeed)] };
      const rows: Array<{ id: string; inserted: boolean }> = await m.query(
        `INSERT INTO zones (code, name, name_en, category, level, division_code, committee_org_id, boundary, area_m2, is_demo)
         SELECT $1, $2, $3, $4, $5, $6, $7, g, ST_Area(g::geography), true
           FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($8), 4490) AS g) s
         ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code
         RETURNING id, (xmax = 0) AS inserted`,
        [z.code, z.name, z.nameEn, z.category, z.level, z.division, z.committee ? ctx.orgIds.get(z.committee) : null, JSON.stringify(boundary)],
      );
      const row = rows[0]!;
      ctx.zoneIds.set(z.code, row.id);
      if (row.inserted) {
        await ctx.audit.record(m, ctx.actor, {
          action: 'zone.create', entityType: 'zone', entityId: row.id, reason: 'demo data (synthetic boundary)',
          after: { code: z.code, name: z.name, category: z.category, level: z.level, division: z.division },
        });
      }
    }
  },
};

const usersStep: SeedStep = {
  name: 'demo accounts',
  async run(m, ctx) {
    const passwordHash = await hashPassword(ctx.config.demoPassword);
    for (const u of DEMO_USERS) {
      const orgId = ctx.orgIds.get(u.org)!;
      // demo accounts always end up with the demo password, unlocked, and their canonical roles
      const rows: Array<{ id: string; inserted: boolean }> = await m.query(
        `INSERT INTO users (username, display_name, password_hash, org_id, password_changed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (lower(username)) DO UPDATE SET password_hash = EXCLUDED.password_hash, locked_until = NULL, is_active = true
         RETURNING id, (xmax = 0) AS inserted`,
        [u.username, u.displayName, passwordHash, orgId, ctx.clock.now()],
      );
      const row = rows[0]!;
      ctx.userIds.set(u.username, row.id);
      await m.query(`DELETE FROM role_assignments WHERE user_id = $1`, [row.id]);
      for (const r of u.roles) {
        await m.query(
          `INSERT INTO role_assignments (user_id, role, scope_type, division_code, org_id) VALUES ($1, $2, $3, $4, $5)`,
          [row.id, r.role, r.scopeType, r.division ?? null, r.orgKey ? ctx.orgIds.get(r.orgKey) : null],
        );
      }
      if (row.inserted) {
        await ctx.audit.record(m, ctx.actor, {
          action: 'user.create', entityType: 'user', entityId: row.id, reason: 'demo account',
          after: { username: u.username, displayName: u.displayName, org: u.org, roles: u.roles },
        });
      }
    }
  },
};

/** Steps later features append (assessments, zoning, parcels, discoveries …), in order. */
export const DEMO_STEPS: SeedStep[] = [orgsStep, zonesStep, usersStep, evidenceSeedStep, coringSeedStep, zoningSeedStep, committeeSeedStep, discoveriesSeedStep];

export async function runSeed(ctx: SeedContext): Promise<void> {
  await ctx.db.transaction((m) => divisionsStep.run(m, ctx));
  if (ctx.config.env === 'production') {
    ctx.log('NODE_ENV=production: administrative divisions only; no demo organisations, zones or accounts are created');
    return;
  }
  for (const step of DEMO_STEPS) {
    await ctx.db.transaction((m) => step.run(m, ctx));
    ctx.log(`seeded ${step.name}`);
  }
}

export function demoLoginTable(password: string): string {
  const lines = DEMO_USERS.map((u) => `  ${u.username.padEnd(16)} ${password.padEnd(14)} ${u.describe}`);
  return [`  ${'用户名 username'.padEnd(15)} ${'密码 password'.padEnd(12)} 用途`, ...lines].join('\n');
}
