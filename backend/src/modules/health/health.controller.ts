import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../../infra/redis/redis.module';
import { Public } from '../auth/access.decorator';

class HealthDatabaseDto {
  @ApiProperty({ example: '3.3.2', nullable: true }) postgis!: string | null;
  @ApiProperty({ required: false }) error?: string;
}
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: HealthDatabaseDto }) database!: HealthDatabaseDto;
  @ApiProperty({ example: 'ok' }) redis!: string;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms).unref())]);
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: HealthDto, description: '200 when PostGIS and Redis answer, 503 naming the failing part otherwise' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const [db, redis] = await Promise.allSettled([
      withTimeout(this.db.query('SELECT postgis_lib_version() AS v') as Promise<Array<{ v: string }>>, 2000),
      withTimeout(this.redis.ping(), 1500),
    ]);
    const database: HealthDatabaseDto =
      db.status === 'fulfilled' ? { postgis: db.value[0]?.v ?? null } : { postgis: null, error: String(db.reason instanceof Error ? db.reason.message : db.reason) };
    const redisState = redis.status === 'fulfilled' && redis.value === 'PONG' ? 'ok' : `error: ${redis.status === 'rejected' ? String(redis.reason instanceof Error ? redis.reason.message : redis.reason) : 'no PONG'}`;
    const ok = database.postgis !== null && redisState === 'ok';
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', database, redis: redisState };
  }
}
