import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { SystemClock } from '../infra/clock/clock';
import { loadConfig } from '../infra/config/config';
import { dataSourceOptions } from '../infra/database/data-source';
import { AuditService } from '../modules/audit/audit.service';
import { demoLoginTable, runSeed } from './seed';

/** `npm run seed`: idempotent demo data, written through the application's own database role. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = new DataSource(dataSourceOptions(config.databaseUrl, { extra: { max: 4 } }));
  await db.initialize();
  const clock = new SystemClock();
  try {
    await runSeed({
      db, config, clock, audit: new AuditService(db, clock),
      actor: { principal: null, correlationId: null, system: 'seed' },
      log: (m) => console.log(`[seed] ${m}`),
      orgIds: new Map(), userIds: new Map(), zoneIds: new Map(),
    });
  } finally {
    await db.destroy();
  }
  if (config.env !== 'production') {
    console.log('\n演示账号 Demo logins (demo data — synthetic boundaries):');
    console.log(demoLoginTable(config.demoPassword));
  }
}

main().catch((err: unknown) => {
  console.error('[seed] failed:', err instanceof Error ? err.stack : err);
  process.exit(1);
});
