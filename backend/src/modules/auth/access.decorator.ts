import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Principal, Role } from './roles';

export const ACCESS_KEY = 'qianzhi:access';
export type AccessRule = { public: true } | { public: false; roles: Role[] };

/** Route is reachable by the listed roles (scope is then checked by the service). */
export const Access = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { public: false, roles } satisfies AccessRule);

/** Any signed-in user or API key, whatever the role. */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_KEY, { public: false, roles: [] } satisfies AccessRule);

/** No credentials needed (health, login, public config). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_KEY, { public: true } satisfies AccessRule);

export type RequestWithPrincipal = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
  if (!req.principal) throw new Error('CurrentPrincipal used on a public route');
  return req.principal;
});
