import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench`: runs every `bench/*.bench.ts` module in name order. Each exports
 * `async function run(ctx): Promise<unknown>`, builds (and drops) its own database from the migrated
 * template, and prints its own figures through `ctx.log`. `npm run bench -- coring` runs only the modules
 * whose file name contains one of the given words.
 */
export interface BenchContext {
  log: (line: string) => void;
}

interface BenchModule {
  run(ctx: BenchContext): Promise<unknown>;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((w) => f.includes(w)))
    .sort();
  if (files.length === 0) throw new Error(`no bench modules${only.length ? ` matching ${only.join(', ')}` : ''} in ${__dirname}`);
  let failed = 0;
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '');
    const log = (line: string): void => console.log(`[${name}] ${line}`);
    const started = Date.now();
    log(`— start (${new Date().toISOString()})`);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(__dirname, file)) as Partial<BenchModule>;
      if (typeof mod.run !== 'function') throw new Error(`${file} does not export run(ctx)`);
      await mod.run({ log });
      log(`— done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed++;
      log(`— FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }
  // open handles (Redis, pools) of a failed module must not keep the process alive
  process.exit(failed ? 1 : 0);
}

void main();
