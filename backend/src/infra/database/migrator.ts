import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from '../config/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions, databaseName, withDatabase } from './data-source';

const MIGRATION_LOCK_KEY = 7_221_0001; // pg_advisory_lock key: one migrator at a time per database

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Another migrator may create the same role or database at the same moment: that is success too. */
async function ignoreDuplicate(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    const code = (err as { code?: string }).code;
    // 42710 duplicate_object, 42P04 duplicate_database, 23505 unique_violation (catalog race)
    if (code === '42710' || code === '42P04' || code === '23505') return false;
    throw err;
  }
}

/**
 * Creates the database and the application's own role when they are missing. The role is a plain LOGIN
 * role (no superuser, no createdb); its password, if any, comes from DATABASE_URL.
 */
export async function bootstrapDatabase(adminUrl: string, appUrl: string, log: (m: string) => void = () => undefined): Promise<void> {
  const dbName = databaseName(adminUrl);
  const app = new URL(appUrl);
  const appRole = decodeURIComponent(app.username);
  const appPassword = decodeURIComponent(app.password);
  const admin = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await admin.connect();
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [appRole]);
    if (role.rowCount === 0) {
      const created = await ignoreDuplicate(
        admin.query(`CREATE ROLE ${quoteIdent(appRole)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE${appPassword ? ` PASSWORD ${quoteLiteral(appPassword)}` : ''}`),
      );
      if (created) log(`created role ${appRole}`);
    }
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (db.rowCount === 0) {
      if (await ignoreDuplicate(admin.query(`CREATE DATABASE ${quoteIdent(dbName)}`))) log(`created database ${dbName}`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * The app role may read and write business tables, but on the audit log only SELECT and INSERT
 * (together with the trigger, UPDATE/DELETE are refused twice over).
 */
export async function grantAppRole(ds: DataSource, appUrl: string): Promise<void> {
  const role = quoteIdent(decodeURIComponent(new URL(appUrl).username));
  const dbName = quoteIdent(databaseName(appUrl));
  await ds.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${dbName} TO ${role}`);
  await ds.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await ds.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await ds.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  await ds.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${role}`);
  await ds.query(`REVOKE ALL ON schema_migrations FROM ${role}`);
}

export async function runMigrations(adminUrl: string, appUrl: string, log: (m: string) => void = () => undefined): Promise<string[]> {
  await bootstrapDatabase(adminUrl, appUrl, log);
  const ds = new DataSource(dataSourceOptions(adminUrl, { extra: { max: 1 } }));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const done = await ds.runMigrations({ transaction: 'each' });
      await grantAppRole(ds, appUrl);
      return done.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await ds.destroy();
  }
}

export async function revertLastMigration(adminUrl: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(adminUrl, { extra: { max: 1 } }));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await ds.undoLastMigration({ transaction: 'each' });
    } finally {
      await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await ds.destroy();
  }
}

/**
 * Name of the migrated template for the current set of migrations: qz_tpl_<hash>. Test runs with the same
 * migrations share one template; runs with different migrations (parallel branches, a new migration being
 * written) never drop each other's template.
 */
export function templateNameForMigrations(): string {
  const dir = join(REPO_ROOT, 'migrations');
  const h = createHash('sha1');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) {
    h.update(f).update(readFileSync(join(dir, f)));
  }
  return `qz_tpl_${h.digest('hex').slice(0, 12)}`;
}

const TEMPLATE_LOCK_KEY = 7_221_0003;

/** Creates the template for the current migrations unless it already exists (serialised across processes). */
export async function ensureTemplate(adminUrl: string, appUrl: string): Promise<string> {
  const name = templateNameForMigrations();
  const admin = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    const ready = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate`, [name]);
    if (ready.rowCount === 0) {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await runMigrations(withDatabase(adminUrl, name), withDatabase(appUrl, name));
      await admin.query(`UPDATE pg_database SET datistemplate = true WHERE datname = $1`, [name]);
    }
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]).catch(() => undefined);
    await admin.end();
  }
}

/**
 * A fresh database cloned from a template: milliseconds instead of re-running migrations. PostgreSQL
 * refuses the clone while anyone else is connected to the template (another clone, a check), so retry.
 */
export async function createDatabaseFromTemplate(adminUrl: string, name: string, template: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
        return;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
