import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { AppConfig, APP_CONFIG } from '../../infra/config/config';
import { Clock } from '../../infra/clock/clock';
import { toIsoOffset } from '../../infra/clock/time';
import { AppException } from '../../infra/http/app-exception';
import { registerMessages } from '../../infra/i18n/messages';
import { AuditService } from '../audit/audit.service';
import { AuthRepository } from './auth.repository';
import { dummyPasswordHash, verifyPassword } from './password';
import { Principal } from './roles';

registerMessages({
  login_failed: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  account_locked: {
    'zh-CN': '登录失败次数过多，账号已锁定，将于 {unlocksAt} 解锁',
    en: 'Too many failed sign-ins; the account is locked until {unlocksAt}',
  },
  refresh_invalid: { 'zh-CN': '登录已失效，请重新登录', en: 'Your session has ended; please sign in again' },
});

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly repo: AuthRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Password sign-in with lockout: `maxFailures` failures inside `windowSeconds` lock the account for
   * `lockSeconds` (423 says until when). Unknown users cost the same scrypt time as known ones.
   */
  async login(username: string, password: string, ip: string | null): Promise<{ tokens: SessionTokens; principal: Principal }> {
    const now = this.clock.now();
    const { lockout } = this.config;
    const result = await this.db.transaction(async (m) => {
      const user = await this.repo.findLoginUser(username, m);
      if (!user || !user.passwordHash || user.isServiceAccount || !user.isActive) {
        await verifyPassword(password, await dummyPasswordHash());
        await this.repo.recordLoginAttempt(m, username, user?.id ?? null, false, ip, now);
        return { error: new AppException('login_failed', 401) };
      }
      if (user.lockedUntil && user.lockedUntil > now) {
        return { error: this.lockedError(user.lockedUntil) };
      }
      const ok = await verifyPassword(password, user.passwordHash);
      await this.repo.recordLoginAttempt(m, username, user.id, ok, ip, now);
      if (!ok) {
        const since = new Date(now.getTime() - lockout.windowSeconds * 1000);
        const failures = await this.repo.countRecentFailures(m, user.id, since);
        if (failures >= lockout.maxFailures) {
          const until = new Date(now.getTime() + lockout.lockSeconds * 1000);
          await this.repo.lockUser(m, user.id, until);
          await this.audit.record(m, { principal: null, correlationId: null, system: 'auth' }, {
            action: 'user.locked',
            entityType: 'user',
            entityId: user.id,
            reason: `${failures} failed sign-ins within ${lockout.windowSeconds} s`,
            after: { lockedUntil: until.toISOString() },
          });
          return { error: this.lockedError(until) };
        }
        return { error: new AppException('login_failed', 401) };
      }
      if (user.lockedUntil) await this.repo.lockUser(m, user.id, null);
      const tokens = await this.issueSession(m, user.id, randomUUID());
      return { tokens, userId: user.id };
    });
    // The failed attempt is committed before answering, so it counts towards the lockout.
    if ('error' in result && result.error) throw result.error;
    const principal = await this.repo.findPrincipalByUserId(result.userId!);
    if (!principal) throw new AppException('login_failed', 401);
    return { tokens: result.tokens!, principal };
  }

  private lockedError(until: Date): AppException {
    const unlocksAt = toIsoOffset(until);
    return new AppException('account_locked', 423, { unlocksAt }, { unlocksAt }, {
      'retry-after': String(Math.max(1, Math.ceil((until.getTime() - this.clock.now().getTime()) / 1000))),
    });
  }

  private async issueSession(m: import('typeorm').EntityManager, userId: string, familyId: string): Promise<SessionTokens> {
    const now = this.clock.now();
    const refreshToken = randomBytes(32).toString('base64url');
    await this.repo.insertRefreshToken(m, {
      userId,
      tokenHash: sha256(refreshToken),
      familyId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000),
    });
    const accessToken = jwt.sign(
      { sub: userId, typ: 'access', iat: Math.floor(now.getTime() / 1000) },
      this.config.jwtSecret,
      { algorithm: 'HS256', expiresIn: this.config.accessTokenTtlSeconds, jwtid: randomUUID() },
    );
    return { accessToken, refreshToken, expiresIn: this.config.accessTokenTtlSeconds };
  }

  /** Rotates the refresh token; presenting an already-used one revokes the whole family (token theft). */
  async refresh(refreshToken: string): Promise<{ tokens: SessionTokens; principal: Principal }> {
    const now = this.clock.now();
    const outcome = await this.db.transaction(async (m) => {
      const stored = await this.repo.findRefreshToken(m, sha256(refreshToken));
      if (!stored) return null;
      if (stored.revokedAt) {
        await this.repo.revokeRefreshFamily(m, stored.familyId, now);
        return null;
      }
      if (stored.expiresAt <= now) return null;
      await this.repo.revokeRefreshToken(m, stored.id, now);
      return { tokens: await this.issueSession(m, stored.userId, stored.familyId), userId: stored.userId };
    });
    if (!outcome) throw new AppException('refresh_invalid', 401);
    const principal = await this.repo.findPrincipalByUserId(outcome.userId);
    if (!principal) throw new AppException('refresh_invalid', 401);
    return { tokens: outcome.tokens, principal };
  }

  async logout(refreshToken: string): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (m) => {
      const stored = await this.repo.findRefreshToken(m, sha256(refreshToken));
      if (stored) await this.repo.revokeRefreshFamily(m, stored.familyId, now);
    });
  }

  /** Resolves a bearer access token to the principal, or throws 401. */
  async authenticateBearer(token: string): Promise<Principal> {
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.config.jwtSecret, {
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      }) as jwt.JwtPayload;
    } catch {
      throw new AppException('token_invalid', 401);
    }
    if (payload.typ !== 'access' || typeof payload.sub !== 'string') throw new AppException('token_invalid', 401);
    const principal = await this.repo.findPrincipalByUserId(payload.sub);
    if (!principal) throw new AppException('token_invalid', 401);
    return principal;
  }

  /** API keys look like `qz_<prefix>_<secret>`; only an HMAC of the whole key (peppered) is stored. */
  async authenticateApiKey(key: string): Promise<Principal> {
    const match = /^qz_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,})$/.exec(key);
    if (!match) throw new AppException('api_key_invalid', 401);
    const stored = await this.repo.findActiveApiKeyByPrefix(match[1]!);
    const given = Buffer.from(this.hashApiKey(key), 'hex');
    if (!stored || !timingSafeEqual(given, Buffer.from(stored.keyHash, 'hex'))) throw new AppException('api_key_invalid', 401);
    const principal = await this.repo.findPrincipalByUserId(stored.userId, 'api_key');
    if (!principal) throw new AppException('api_key_invalid', 401);
    await this.repo.touchApiKey(stored.id, this.clock.now());
    return { ...principal, apiKeyId: stored.id };
  }

  hashApiKey(key: string): string {
    return createHmac('sha256', this.config.apiKeyPepper).update(key).digest('hex');
  }

  generateApiKey(): { key: string; prefix: string; hash: string } {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    const bytes = randomBytes(12);
    const prefix = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    const key = `qz_${prefix}_${randomBytes(32).toString('base64url')}`;
    return { key, prefix, hash: this.hashApiKey(key) };
  }
}
