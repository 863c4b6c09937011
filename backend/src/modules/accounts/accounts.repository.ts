import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toIsoOffset } from '../../infra/clock/time';
import { returnedRows } from '../../infra/database/sql-result';
import { ApiKeyDto, DivisionDto, OrgDto, RoleAssignmentInput, UserDto } from './accounts.dto';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  org_id: string;
  org_name: string;
  is_active: boolean;
  is_service_account: boolean;
  locked_until: Date | null;
  roles: Array<{ role: string; scope_type: string; division_code: string | null; zone_id: string | null; org_id: string | null }> | null;
}

const USER_SELECT = `
  SELECT u.id, u.username, u.display_name, u.org_id, o.name AS org_name, u.is_active, u.is_service_account, u.locked_until,
         (SELECT json_agg(json_build_object('role', ra.role, 'scope_type', ra.scope_type, 'division_code', ra.division_code,
                                            'zone_id', ra.zone_id, 'org_id', ra.org_id) ORDER BY ra.role)
            FROM role_assignments ra WHERE ra.user_id = u.id) AS roles
    FROM users u JOIN organizations o ON o.id = u.org_id`;

function mapUser(r: UserRow): UserDto {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    orgId: r.org_id,
    orgName: r.org_name,
    isActive: r.is_active,
    isServiceAccount: r.is_service_account,
    lockedUntil: toIsoOffset(r.locked_until),
    roles: (r.roles ?? []).map((a) => ({
      role: a.role as RoleAssignmentInput['role'],
      scopeType: a.scope_type as RoleAssignmentInput['scopeType'],
      ...(a.division_code ? { divisionCode: a.division_code } : {}),
      ...(a.zone_id ? { zoneId: a.zone_id } : {}),
      ...(a.org_id ? { orgId: a.org_id } : {}),
    })),
  };
}

@Injectable()
export class AccountsRepository {
  constructor(private readonly db: DataSource) {}

  async listDivisions(): Promise<DivisionDto[]> {
    const rows: Array<{ code: string; name: string; name_en: string | null; parent_code: string | null; level: string }> =
      await this.db.query(`SELECT code, name, name_en, parent_code, level FROM divisions ORDER BY path`);
    return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, parentCode: r.parent_code, level: r.level }));
  }

  async findDivisionPath(m: EntityManager, code: string): Promise<string | null> {
    const rows: Array<{ path: string }> = await m.query(`SELECT path FROM divisions WHERE code = $1`, [code]);
    return rows[0]?.path ?? null;
  }

  async insertDivision(m: EntityManager, d: { code: string; name: string; nameEn: string | null; parentCode: string | null; level: string; path: string }): Promise<void> {
    await m.query(`INSERT INTO divisions (code, name, name_en, parent_code, level, path) VALUES ($1, $2, $3, $4, $5, $6)`, [
      d.code, d.name, d.nameEn, d.parentCode, d.level, d.path,
    ]);
  }

  async listOrgs(): Promise<OrgDto[]> {
    const rows: Array<{ id: string; type: OrgDto['type']; name: string; name_en: string | null; division_code: string; division_name: string; user_count: string }> =
      await this.db.query(
        `SELECT o.id, o.type, o.name, o.name_en, o.division_code, d.name AS division_name,
                (SELECT count(*) FROM users u WHERE u.org_id = o.id) AS user_count
           FROM organizations o JOIN divisions d ON d.code = o.division_code ORDER BY o.type, o.name`,
      );
    return rows.map((r) => ({
      id: r.id, type: r.type, name: r.name, nameEn: r.name_en, divisionCode: r.division_code, divisionName: r.division_name, userCount: Number(r.user_count),
    }));
  }

  async findOrg(m: EntityManager, id: string): Promise<{ id: string; type: string; name: string; nameEn: string | null; divisionCode: string } | null> {
    const rows: Array<{ id: string; type: string; name: string; name_en: string | null; division_code: string }> = await m.query(
      `SELECT id, type, name, name_en, division_code FROM organizations WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    return r ? { id: r.id, type: r.type, name: r.name, nameEn: r.name_en, divisionCode: r.division_code } : null;
  }

  async insertOrg(m: EntityManager, o: { type: string; name: string; nameEn: string | null; divisionCode: string }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO organizations (type, name, name_en, division_code) VALUES ($1, $2, $3, $4) RETURNING id`,
      [o.type, o.name, o.nameEn, o.divisionCode],
    );
    return rows[0]!.id;
  }

  async updateOrg(m: EntityManager, id: string, o: { name: string; nameEn: string | null; divisionCode: string }): Promise<void> {
    await m.query(`UPDATE organizations SET name = $2, name_en = $3, division_code = $4, updated_at = now() WHERE id = $1`, [id, o.name, o.nameEn, o.divisionCode]);
  }

  async listUsers(orgId?: string): Promise<UserDto[]> {
    const rows: UserRow[] = orgId
      ? await this.db.query(`${USER_SELECT} WHERE u.org_id = $1 ORDER BY u.username`, [orgId])
      : await this.db.query(`${USER_SELECT} ORDER BY u.username`);
    return rows.map(mapUser);
  }

  async findUser(m: EntityManager, id: string): Promise<UserDto | null> {
    const rows: UserRow[] = await m.query(`${USER_SELECT} WHERE u.id = $1`, [id]);
    return rows[0] ? mapUser(rows[0]) : null;
  }

  async usernameTaken(m: EntityManager, username: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM users WHERE lower(username) = lower($1)`, [username]);
    return rows.length > 0;
  }

  async insertUser(m: EntityManager, u: { username: string; displayName: string; passwordHash: string | null; orgId: string; isServiceAccount: boolean; at: Date }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO users (username, display_name, password_hash, org_id, is_service_account, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [u.username, u.displayName, u.passwordHash, u.orgId, u.isServiceAccount, u.passwordHash ? u.at : null],
    );
    return rows[0]!.id;
  }

  async updateUser(m: EntityManager, id: string, u: { displayName?: string; isActive?: boolean; passwordHash?: string; at: Date }): Promise<void> {
    await m.query(
      `UPDATE users SET display_name = coalesce($2, display_name), is_active = coalesce($3, is_active),
              password_hash = coalesce($4, password_hash), password_changed_at = CASE WHEN $4::text IS NULL THEN password_changed_at ELSE $5 END,
              updated_at = now()
        WHERE id = $1`,
      [id, u.displayName ?? null, u.isActive ?? null, u.passwordHash ?? null, u.at],
    );
  }

  async unlockUser(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE users SET locked_until = NULL, updated_at = now() WHERE id = $1`, [id]);
  }

  async replaceRoles(m: EntityManager, userId: string, roles: RoleAssignmentInput[]): Promise<void> {
    await m.query(`DELETE FROM role_assignments WHERE user_id = $1`, [userId]);
    for (const r of roles) {
      await m.query(
        `INSERT INTO role_assignments (user_id, role, scope_type, division_code, zone_id, org_id) VALUES ($1, $2, $3, $4, $5, $6)`,
        [userId, r.role, r.scopeType, r.divisionCode ?? null, r.zoneId ?? null, r.orgId ?? null],
      );
    }
  }

  async revokeUserSessions(m: EntityManager, userId: string, at: Date): Promise<void> {
    await m.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [userId, at]);
  }

  async insertApiKey(m: EntityManager, k: { userId: string; name: string; prefix: string; keyHash: string; createdBy: string; at: Date }): Promise<string> {
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO api_keys (user_id, name, prefix, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [k.userId, k.name, k.prefix, k.keyHash, k.createdBy, k.at],
    );
    return rows[0]!.id;
  }

  async listApiKeys(m: EntityManager = this.db.manager, id?: string): Promise<ApiKeyDto[]> {
    const rows: Array<{ id: string; name: string; prefix: string; user_id: string; created_at: Date; revoked_at: Date | null; last_used_at: Date | null }> =
      await m.query(
        `SELECT id, name, prefix, user_id, created_at, revoked_at, last_used_at FROM api_keys ${id ? 'WHERE id = $1' : ''} ORDER BY created_at`,
        id ? [id] : [],
      );
    return rows.map((r) => ({
      id: r.id, name: r.name, prefix: r.prefix, userId: r.user_id,
      createdAt: toIsoOffset(r.created_at)!, revokedAt: toIsoOffset(r.revoked_at), lastUsedAt: toIsoOffset(r.last_used_at),
    }));
  }

  async revokeApiKey(m: EntityManager, id: string, at: Date): Promise<boolean> {
    const rows = returnedRows(await m.query(`UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id, at]));
    return rows.length > 0;
  }

  async existsZone(m: EntityManager, id: string): Promise<boolean> {
    return ((await m.query(`SELECT 1 FROM zones WHERE id = $1`, [id])) as unknown[]).length > 0;
  }
}
