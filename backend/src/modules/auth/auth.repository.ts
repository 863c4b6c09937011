import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OrgType, Principal, Role, RoleAssignment, ScopeType } from './roles';

interface PrincipalRow {
  user_id: string;
  username: string;
  display_name: string;
  org_id: string;
  org_type: OrgType;
  org_name: string;
  org_division_code: string;
  is_active: boolean;
  assignments: Array<{
    role: Role;
    scope_type: ScopeType;
    division_code: string | null;
    division_path: string | null;
    zone_id: string | null;
    org_id: string | null;
  }> | null;
}

export interface LoginUser {
  id: string;
  passwordHash: string | null;
  isActive: boolean;
  isServiceAccount: boolean;
  lockedUntil: Date | null;
}

@Injectable()
export class AuthRepository {
  constructor(private readonly db: DataSource) {}

  async findPrincipalByUserId(userId: string, kind: Principal['kind'] = 'user'): Promise<Principal | null> {
    const rows: PrincipalRow[] = await this.db.query(
      `SELECT u.id AS user_id, u.username, u.display_name, u.is_active,
              o.id AS org_id, o.type AS org_type, o.name AS org_name, o.division_code AS org_division_code,
              (SELECT json_agg(json_build_object('role', ra.role, 'scope_type', ra.scope_type,
                        'division_code', ra.division_code, 'division_path', d.path,
                        'zone_id', ra.zone_id, 'org_id', ra.org_id))
                 FROM role_assignments ra LEFT JOIN divisions d ON d.code = ra.division_code
                WHERE ra.user_id = u.id) AS assignments
         FROM users u JOIN organizations o ON o.id = u.org_id
        WHERE u.id = $1`,
      [userId],
    );
    const row = rows[0];
    if (!row || !row.is_active) return null;
    const assignments: RoleAssignment[] = (row.assignments ?? []).map((a) => ({
      role: a.role,
      scopeType: a.scope_type,
      divisionCode: a.division_code,
      divisionPath: a.division_path,
      zoneId: a.zone_id,
      orgId: a.org_id,
    }));
    return {
      kind,
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      org: { id: row.org_id, type: row.org_type, name: row.org_name, divisionCode: row.org_division_code },
      roles: [...new Set(assignments.map((a) => a.role))],
      assignments,
    };
  }

  async findLoginUser(username: string, manager: EntityManager = this.db.manager): Promise<LoginUser | null> {
    const rows: Array<{ id: string; password_hash: string | null; is_active: boolean; is_service_account: boolean; locked_until: Date | null }> =
      await manager.query(
        `SELECT id, password_hash, is_active, is_service_account, locked_until FROM users WHERE lower(username) = lower($1) FOR UPDATE`,
        [username],
      );
    const r = rows[0];
    return r
      ? { id: r.id, passwordHash: r.password_hash, isActive: r.is_active, isServiceAccount: r.is_service_account, lockedUntil: r.locked_until }
      : null;
  }

  async recordLoginAttempt(m: EntityManager, username: string, userId: string | null, succeeded: boolean, ip: string | null, at: Date): Promise<void> {
    await m.query(`INSERT INTO login_attempts (username, user_id, succeeded, ip, at) VALUES ($1, $2, $3, $4, $5)`, [
      username,
      userId,
      succeeded,
      ip,
      at,
    ]);
  }

  /** Failures inside the window that came after the last success (a success resets the count). */
  async countRecentFailures(m: EntityManager, userId: string, since: Date): Promise<number> {
    const rows: Array<{ n: string }> = await m.query(
      `SELECT count(*) AS n FROM login_attempts
        WHERE user_id = $1 AND NOT succeeded AND at > $2
          AND id > coalesce((SELECT max(id) FROM login_attempts WHERE user_id = $1 AND succeeded), 0)`,
      [userId, since],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async lockUser(m: EntityManager, userId: string, until: Date | null): Promise<void> {
    await m.query(`UPDATE users SET locked_until = $2, updated_at = now() WHERE id = $1`, [userId, until]);
  }

  async insertRefreshToken(m: EntityManager, t: { userId: string; tokenHash: string; familyId: string; expiresAt: Date; createdAt: Date }): Promise<void> {
    await m.query(
      `INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [t.userId, t.tokenHash, t.familyId, t.expiresAt, t.createdAt],
    );
  }

  async findRefreshToken(m: EntityManager, tokenHash: string): Promise<{ id: string; userId: string; familyId: string; expiresAt: Date; revokedAt: Date | null } | null> {
    const rows: Array<{ id: string; user_id: string; family_id: string; expires_at: Date; revoked_at: Date | null }> = await m.query(
      `SELECT id, user_id, family_id, expires_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    const r = rows[0];
    return r ? { id: r.id, userId: r.user_id, familyId: r.family_id, expiresAt: r.expires_at, revokedAt: r.revoked_at } : null;
  }

  async revokeRefreshToken(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
  }

  async revokeRefreshFamily(m: EntityManager, familyId: string, at: Date): Promise<void> {
    await m.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [familyId, at]);
  }

  async findActiveApiKeyByPrefix(prefix: string): Promise<{ id: string; userId: string; keyHash: string } | null> {
    const rows: Array<{ id: string; user_id: string; key_hash: string }> = await this.db.query(
      `SELECT k.id, k.user_id, k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id
        WHERE k.prefix = $1 AND k.revoked_at IS NULL AND u.is_active`,
      [prefix],
    );
    const r = rows[0];
    return r ? { id: r.id, userId: r.user_id, keyHash: r.key_hash } : null;
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    // last_used_at is advisory: at most one write a minute per key
    await this.db.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`, [id, at]);
  }
}
