import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppException } from '../../infra/http/app-exception';
import { ACCESS_KEY, AccessRule, RequestWithPrincipal } from './access.decorator';
import { AuthService } from './auth.service';
import { IntegratorRateLimiter } from './rate-limiter';

/**
 * The one guard: authenticates (Bearer token or X-Api-Key) and checks the route's roles. Routes with no
 * access rule are refused — every route must say who may call it. Scope is checked by the services.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly limiter: IntegratorRateLimiter,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [ctx.getHandler(), ctx.getClass()]);
    if (rule?.public) return true;
    const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
    const apiKey = req.headers['x-api-key'];
    const authz = req.headers.authorization;
    if (typeof apiKey === 'string' && apiKey) {
      req.principal = await this.auth.authenticateApiKey(apiKey);
      await this.limiter.consume(req.principal);
    } else if (typeof authz === 'string' && /^Bearer\s+/i.test(authz)) {
      req.principal = await this.auth.authenticateBearer(authz.replace(/^Bearer\s+/i, ''));
    } else {
      throw new AppException('unauthenticated', 401);
    }
    if (!rule) throw new AppException('forbidden_role', 403);
    if (rule.roles.length === 0) return true;
    if (!req.principal.roles.some((r) => rule.roles.includes(r))) throw new AppException('forbidden_role', 403);
    return true;
  }
}
