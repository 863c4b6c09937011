import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foundation: administrative divisions, organisations, users with scoped role assignments, refresh tokens,
 * API keys, login attempts, the hash-chained audit log, and the zones registry.
 */
export class CreateFoundation1764270000000 implements MigrationInterface {
  name = 'CreateFoundation1764270000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE divisions (
        code        varchar(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
        name        text NOT NULL,
        name_en     text,
        parent_code varchar(6) REFERENCES divisions(code),
        level       text NOT NULL CHECK (level IN ('province', 'city', 'county')),
        -- materialised path of codes, e.g. 140000.140400.140405: "covers" is a prefix test
        path        text NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX divisions_path_idx ON divisions (path text_pattern_ops)`);

    await q.query(`
      CREATE TABLE organizations (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type          text NOT NULL CHECK (type IN ('bureau', 'institute', 'local_authority', 'zone_committee', 'contractor')),
        name          text NOT NULL UNIQUE,
        name_en       text,
        division_code varchar(6) NOT NULL REFERENCES divisions(code),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE users (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username            text NOT NULL,
        display_name        text NOT NULL,
        password_hash       text,
        org_id              uuid NOT NULL REFERENCES organizations(id),
        is_service_account  boolean NOT NULL DEFAULT false,
        is_active           boolean NOT NULL DEFAULT true,
        locked_until        timestamptz,
        password_changed_at timestamptz,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        CHECK (is_service_account OR password_hash IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);
    await q.query(`CREATE INDEX users_org_idx ON users (org_id)`);

    await q.query(`
      CREATE TABLE zones (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code             text NOT NULL UNIQUE,
        name             text NOT NULL,
        name_en          text,
        category         text NOT NULL CHECK (category IN ('industrial', 'agricultural', 'cultural_tourism')),
        level            text NOT NULL CHECK (level IN ('national', 'provincial')),
        division_code    varchar(6) NOT NULL REFERENCES divisions(code),
        committee_org_id uuid REFERENCES organizations(id),
        boundary         geometry(MultiPolygon, 4490) NOT NULL CHECK (ST_IsValid(boundary)),
        area_m2          double precision NOT NULL,
        is_demo          boolean NOT NULL DEFAULT false,
        row_version      integer NOT NULL DEFAULT 1,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX zones_boundary_gix ON zones USING gist (boundary)`);
    await q.query(`CREATE INDEX zones_division_idx ON zones (division_code)`);
    await q.query(`CREATE INDEX zones_committee_idx ON zones (committee_org_id)`);

    await q.query(`
      CREATE TABLE role_assignments (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role          text NOT NULL CHECK (role IN ('admin', 'assessor', 'reviewer', 'authority_officer', 'committee_officer', 'contractor', 'integrator')),
        scope_type    text NOT NULL CHECK (scope_type IN ('province', 'division', 'zone', 'org')),
        division_code varchar(6) REFERENCES divisions(code),
        zone_id       uuid REFERENCES zones(id) ON DELETE CASCADE,
        org_id        uuid REFERENCES organizations(id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        CHECK ((scope_type IN ('province', 'division')) = (division_code IS NOT NULL)),
        CHECK ((scope_type = 'zone') = (zone_id IS NOT NULL)),
        CHECK ((scope_type = 'org') = (org_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX role_assignments_user_idx ON role_assignments (user_id)`);
    await q.query(
      `CREATE UNIQUE INDEX role_assignments_unique ON role_assignments (user_id, role, scope_type, coalesce(division_code, ''), coalesce(zone_id::text, ''), coalesce(org_id::text, ''))`,
    );

    await q.query(`
      CREATE TABLE login_attempts (
        id         bigserial PRIMARY KEY,
        username   text NOT NULL,
        user_id    uuid REFERENCES users(id) ON DELETE CASCADE,
        succeeded  boolean NOT NULL,
        ip         text,
        at         timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX login_attempts_user_at_idx ON login_attempts (user_id, at DESC)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash  text NOT NULL UNIQUE,
        family_id   uuid NOT NULL,
        expires_at  timestamptz NOT NULL,
        revoked_at  timestamptz,
        created_at  timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);

    await q.query(`
      CREATE TABLE api_keys (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name         text NOT NULL,
        prefix       text NOT NULL UNIQUE,
        key_hash     text NOT NULL,
        created_by   uuid REFERENCES users(id),
        created_at   timestamptz NOT NULL,
        revoked_at   timestamptz,
        last_used_at timestamptz
      )`);

    // Append-only, hash-chained audit log (DOMAIN.md §4.6).
    await q.query(`
      CREATE TABLE audit_events (
        id             bigint PRIMARY KEY,
        occurred_at    timestamptz NOT NULL,
        actor_user_id  uuid,
        actor_org_id   uuid,
        actor_label    text,
        action         text NOT NULL,
        entity_type    text NOT NULL,
        entity_id      text NOT NULL,
        reason         text,
        before         jsonb,
        after          jsonb,
        correlation_id text,
        prev_hash      char(64) NOT NULL UNIQUE,
        hash           char(64) NOT NULL UNIQUE
      )`);
    await q.query(`CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id`);
    await q.query(`CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id)`);
    await q.query(`
      CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_refuse_change()`);
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE login_attempts`);
    await q.query(`DROP TABLE role_assignments`);
    await q.query(`DROP TABLE zones`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE organizations`);
    await q.query(`DROP TABLE divisions`);
  }
}
