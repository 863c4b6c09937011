import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit/audit.service';
import { HistoryRegistry } from './audit/history.registry';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { IntegratorRateLimiter } from './auth/rate-limiter';
import { ScopeService } from './auth/scope.service';
import { LayerRegistry } from './layers/layer.registry';

/** Cross-cutting services every feature module uses: audit, authentication, scope, registries. */
@Global()
@Module({
  providers: [AuditService, HistoryRegistry, AuthRepository, AuthService, IntegratorRateLimiter, ScopeService, LayerRegistry],
  exports: [AuditService, HistoryRegistry, AuthRepository, AuthService, IntegratorRateLimiter, ScopeService, LayerRegistry],
})
export class CoreModule {}
