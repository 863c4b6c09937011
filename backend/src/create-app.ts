import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { Clock } from './infra/clock/clock';
import { AppConfig } from './infra/config/config';
import { ErrorFilter } from './infra/http/error.filter';
import { pickLanguage } from './infra/i18n/language';
import { translate } from './infra/i18n/messages';
import { createValidationPipe } from './infra/http/validation';

export const JSON_BODY_LIMIT = 10 * 1024 * 1024;
export const UPLOAD_LIMIT = 60 * 1024 * 1024;

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['error', 'fatal'],
  warn: ['error', 'fatal', 'warn'],
  log: ['error', 'fatal', 'warn', 'log'],
  debug: ['error', 'fatal', 'warn', 'log', 'debug'],
};

export function buildOpenApi(app: NestFastifyApplication): ReturnType<typeof SwaggerModule.createDocument> {
  const doc = new DocumentBuilder()
    .setTitle('Qianzhi 考古前置 API')
    .setDescription('Archaeology-first site clearance: zones, assessments, zoning, commitments, clearance, discoveries. Errors are { code, message, details } in the language of Accept-Language (zh-CN default, en).')
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** Builds the API application (used by main.ts, the OpenAPI export and the tests). */
export async function createApp(config: AppConfig, opts: { clock?: Clock } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: true,
    // correlation id: taken from the caller when it sends one, returned on every response
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && /^[A-Za-z0-9_.-]{8,80}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, opts.clock), adapter, {
    logger: LEVELS[config.logLevel],
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (req, reply) => {
    void reply.header('x-correlation-id', String(req.id));
  });
  await app.register(fastifyMultipart as never, { limits: { fileSize: UPLOAD_LIMIT, files: 20, fields: 50 } });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter(`${Math.round(UPLOAD_LIMIT / 1024 / 1024)} MB`));
  app.enableShutdownHooks();

  const openapi = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, openapi, { jsonDocumentUrl: 'api/openapi.json', useGlobalPrefix: false });

  // The built frontend at /. Client-side routes (no file extension) fall back to index.html; Nest's exact
  // API routes take precedence over this wildcard in Fastify's router.
  if (existsSync(join(config.frontendDist, 'index.html'))) {
    await app.register(fastifyStatic as never, { root: config.frontendDist, prefix: '/', wildcard: false, index: ['index.html'] });
    fastify.get('/*', (req, reply) => {
      const path = req.url.split('?')[0]!;
      if (path.startsWith('/api/') || /\.[a-z0-9]+$/i.test(path)) {
        const lang = pickLanguage(req.headers['accept-language']);
        return reply.status(404).send({ code: 'route_not_found', message: translate('route_not_found', lang, { method: req.method, path }) });
      }
      return (reply as unknown as { sendFile(f: string): unknown }).sendFile('index.html');
    });
  }
  return app;
}
