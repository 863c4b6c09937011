import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig, APP_CONFIG } from '../../infra/config/config';
import { Clock } from '../../infra/clock/clock';
import { AppException } from '../../infra/http/app-exception';
import { REDIS } from '../../infra/redis/redis.module';
import { Principal } from './roles';

/**
 * Fixed-window limit per API key in Redis (shared by every API process). Integrators ask many questions
 * by machine; the limit also stops a key from mapping avoidance areas shape by shape.
 */
@Injectable()
export class IntegratorRateLimiter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  async consume(p: Principal): Promise<void> {
    if (p.kind !== 'api_key' || !p.apiKeyId) return;
    const nowMs = this.clock.now().getTime();
    const window = Math.floor(nowMs / 60_000);
    const key = `${this.config.queuePrefix}:rate:${p.apiKeyId}:${window}`;
    const count = await this.redis.incr(key);
    if (count === 1) await this.redis.expire(key, 120);
    if (count > this.config.integratorRatePerMinute) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * 60_000 - nowMs) / 1000));
      throw new AppException('rate_limited', 429, { retryAfter }, { retryAfter }, { 'retry-after': String(retryAfter) });
    }
  }
}
