import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from './infra/config/config';
import { createApp } from './create-app';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  new Logger('Qianzhi').log(`API listening on http://localhost:${config.port} (OpenAPI at /api/docs)`);
}

bootstrap().catch((err: unknown) => {
  console.error('API failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
