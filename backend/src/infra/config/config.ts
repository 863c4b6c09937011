import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Repository root (backend/src/infra/config → ../../../..; the compiled file sits one level deeper under dist/backend). */
export const REPO_ROOT = findRepoRoot(__dirname);

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string;
  databaseAdminUrl: string;
  redisUrl: string;
  queuePrefix: string;
  jwtSecret: string;
  apiKeyPepper: string;
  /** key material for secrets stored encrypted (webhook signing secrets) */
  secretsKey: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  lockout: { maxFailures: number; windowSeconds: number; lockSeconds: number };
  passwordPolicy: { minLength: number; requireClasses: number };
  demoPassword: string;
  storageDir: string;
  frontendDist: string;
  tiandituKey: string | null;
  integratorRatePerMinute: number;
  /** series of issued opinion numbers, e.g. 晋文物函 → 晋文物函〔2026〕12号 */
  opinionNumberPrefix: string;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function findRepoRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'backend')) && existsSync(resolve(dir, 'migrations'))) {
      return dir;
    }
    dir = dirname(dir);
  }
  return process.cwd();
}

/**
 * A number setting that a feature reads for itself (feature settings classes): the fallback when unset or
 * empty, otherwise a finite number the `ok` rule accepts — anything else stops the process at start.
 */
export function envNumber(env: Env, name: string, fallback: number, ok: (n: number) => boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !ok(n)) throw new ConfigError(`${name} is out of range: "${raw}"`);
  return n;
}

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = env[name] || fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${value}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must use ${protocols.join(' or ')}`);
  return value;
}

/**
 * Development secrets are generated once and kept in `.local/secrets.json` so tokens survive restarts;
 * production must provide them.
 */
function secret(env: Env, name: string, mode: AppConfig['env']): string {
  const given = env[name];
  if (given) {
    if (given.length < 32) throw new ConfigError(`${name} must be at least 32 characters`);
    return given;
  }
  if (mode === 'production') throw new ConfigError(`${name} is required when NODE_ENV=production`);
  const file = resolve(REPO_ROOT, '.local', 'secrets.json');
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const existing = stored[name];
  if (existing) return existing;
  const generated = randomBytes(48).toString('base64url');
  stored[name] = generated;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return generated;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const logLevel = (env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'log')) as AppConfig['logLevel'];
  if (!['error', 'warn', 'log', 'debug'].includes(logLevel)) throw new ConfigError('LOG_LEVEL must be error, warn, log or debug');
  return {
    env: nodeEnv,
    port: int(env, 'PORT', 3000, 0),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://qianzhi_app@127.0.0.1:5432/qianzhi', ['postgres:', 'postgresql:']),
    databaseAdminUrl: url(env, 'DATABASE_ADMIN_URL', 'postgres://postgres@127.0.0.1:5432/qianzhi', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    queuePrefix: env.QUEUE_PREFIX || 'qianzhi',
    jwtSecret: secret(env, 'JWT_SECRET', nodeEnv),
    apiKeyPepper: secret(env, 'API_KEY_PEPPER', nodeEnv),
    secretsKey: secret(env, 'SECRETS_KEY', nodeEnv),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 15 * 60, 1),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 7 * 24 * 3600, 1),
    lockout: {
      maxFailures: int(env, 'LOCKOUT_MAX_FAILURES', 5, 1),
      windowSeconds: int(env, 'LOCKOUT_WINDOW_SECONDS', 15 * 60, 1),
      lockSeconds: int(env, 'LOCKOUT_DURATION_SECONDS', 15 * 60, 1),
    },
    passwordPolicy: {
      minLength: int(env, 'PASSWORD_MIN_LENGTH', 10, 6),
      requireClasses: int(env, 'PASSWORD_REQUIRE_CLASSES', 3, 1),
    },
    demoPassword: env.DEMO_PASSWORD || 'Qianzhi@2026',
    storageDir: resolve(REPO_ROOT, env.STORAGE_DIR || 'var/storage'),
    frontendDist: resolve(REPO_ROOT, env.FRONTEND_DIST || 'frontend/dist'),
    tiandituKey: env.TIANDITU_KEY || null,
    integratorRatePerMinute: int(env, 'INTEGRATOR_RATE_PER_MINUTE', 120, 1),
    opinionNumberPrefix: (env.OPINION_NUMBER_PREFIX || '晋文物函').trim(),
    logLevel,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
