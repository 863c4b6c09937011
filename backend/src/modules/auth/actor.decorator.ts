import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor } from '../audit/audit.service';
import { RequestWithPrincipal } from './access.decorator';

/** The principal plus the request's correlation id, for services that write audit events. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
  return { principal: req.principal ?? null, correlationId: String(req.id) };
});
