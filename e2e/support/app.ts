import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'artifacts', 'e2e');
const BACKEND_DIST = join(REPO_ROOT, 'backend', 'dist', 'backend', 'src');
const FRONTEND_DIST = join(REPO_ROOT, 'frontend', 'dist');
const PG_HOST = '127.0.0.1:5432';

export interface E2eDatabase {
  name: string;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export interface E2eApp {
  baseUrl: string;
  db: E2eDatabase;
  stop(): Promise<void>;
}

async function withPostgres<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `postgres://postgres@${PG_HOST}/${database}` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function run(label: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`${label} exited with ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

function requireBuilt(path: string, what: string): void {
  if (!existsSync(path)) throw new Error(`${what} is not built (${path} missing): run \`npm run build\` first`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let templateName: Promise<string> | undefined;
/**
 * The migrated template for the current migrations (named by their hash, shared with the backend tests):
 * `migrate-cli.js template` creates it when missing and prints its name on the last line.
 */
function migratedTemplate(): Promise<string> {
  templateName ??= new Promise<string>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(BACKEND_DIST, 'infra', 'database', 'migrate-cli.js'), 'template'], {
      cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: 'development' }, stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const name = /template database (qz_tpl_[0-9a-f]+) is ready/.exec(output)?.[1];
      if (code === 0 && name) resolvePromise(name);
      else reject(new Error(`migrate template exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
  return templateName;
}

/** A fresh database cloned from the migrated template and seeded with the demo world. */
export async function createDb(): Promise<E2eDatabase> {
  requireBuilt(join(BACKEND_DIST, 'seed', 'seed-cli.js'), 'the backend');
  const name = `qz_e2e_${randomBytes(5).toString('hex')}`;
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: `postgres://qianzhi_app@${PG_HOST}/${name}`,
    DATABASE_ADMIN_URL: `postgres://postgres@${PG_HOST}/${name}`,
  };

  const template = await migratedTemplate();

  // Postgres refuses to clone a template while anyone else is connected to it (e.g. a parallel clone): retry.
  for (let attempt = 1; ; attempt++) {
    try {
      await withPostgres('postgres', (pg) => pg.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      if (attempt >= 10 || !/being accessed by other users/.test(String(error))) throw error;
      await sleep(300 * attempt);
    }
  }

  const drop = () =>
    withPostgres('postgres', (pg) => pg.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  try {
    await run('seed', [join(BACKEND_DIST, 'seed', 'seed-cli.js')], env);
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, env, drop };
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port'))));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

/** The built API (serving the built frontend) on its own port, database and queue prefix. */
export async function startServer(db: E2eDatabase, journey: string): Promise<E2eApp> {
  requireBuilt(join(BACKEND_DIST, 'main.js'), 'the backend');
  requireBuilt(join(FRONTEND_DIST, 'index.html'), 'the frontend');
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(ARTIFACTS_DIR, `${journey}-server.log`));
  const child = spawn(process.execPath, [join(BACKEND_DIST, 'main.js')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...db.env,
      PORT: String(port),
      QUEUE_PREFIX: `e2e_${randomBytes(5).toString('hex')}`,
      FRONTEND_DIST,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const stop = async () => {
    await stopProcess(child);
    log.end();
    await db.drop();
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the server exited with ${child.exitCode} before it was healthy; see artifacts/e2e/${journey}-server.log`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not healthy within 60 s; see artifacts/e2e/${journey}-server.log`);
    }
    await sleep(500);
  }
  return { baseUrl, db, stop };
}

/** Fresh database + own server for one journey. */
export async function startApp(journey: string): Promise<E2eApp> {
  const db = await createDb();
  try {
    return await startServer(db, journey);
  } catch (error) {
    await db.drop().catch(() => undefined);
    throw error;
  }
}
