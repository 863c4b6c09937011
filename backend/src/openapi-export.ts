import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, loadConfig } from './infra/config/config';
import { buildOpenApi, createApp } from './create-app';

/** Writes backend/openapi.json, from which the frontend generates its API types. */
async function main(): Promise<void> {
  const app = await createApp({ ...loadConfig(), logLevel: 'error' });
  await app.init();
  const out = join(REPO_ROOT, 'backend', 'openapi.json');
  writeFileSync(out, `${JSON.stringify(buildOpenApi(app), null, 2)}\n`);
  await app.close();
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
