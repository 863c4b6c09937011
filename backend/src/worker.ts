import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from './infra/config/config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: config.logLevel === 'debug' ? ['error', 'fatal', 'warn', 'log', 'debug'] : ['error', 'fatal', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  new Logger('Qianzhi').log(`worker started (queue prefix "${config.queuePrefix}")`);
}

bootstrap().catch((err: unknown) => {
  console.error('worker failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
