import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit/audit.service';
import { HistoryRegistry } from './audit/history.registry';
import { FileSourceRegistry } from './files/file-source.registry';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { IntegratorRateLimiter } from './auth/rate-limiter';
import { ScopeService } from './auth/scope.service';
import { LayerCache } from './layers/layer-cache.service';
import { LayerRegistry } from './layers/layer.registry';
import { ImportTargetRegistry } from './imports/import-target.registry';
import { StoragePort } from '../infra/storage/storage.port';
import { LocalDiskStorage } from '../infra/storage/local-disk.storage';

/** Cross-cutting services every feature module uses: audit, authentication, scope, registries. */
@Global()
@Module({
  providers: [
    AuditService, HistoryRegistry, FileSourceRegistry, AuthRepository, AuthService, IntegratorRateLimiter, ScopeService, LayerRegistry, LayerCache, ImportTargetRegistry,
    { provide: StoragePort, useClass: LocalDiskStorage },
  ],
  exports: [AuditService, HistoryRegistry, FileSourceRegistry, AuthRepository, AuthService, IntegratorRateLimiter, ScopeService, LayerRegistry, LayerCache, ImportTargetRegistry, StoragePort],
})
export class CoreModule {}
