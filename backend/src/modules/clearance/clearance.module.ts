import { Module } from '@nestjs/common';
import { ClearanceController } from './clearance.controller';
import { ClearanceRepository } from './clearance.repository';
import { ClearanceService } from './clearance.service';

@Module({
  controllers: [ClearanceController],
  providers: [ClearanceRepository, ClearanceService],
  exports: [ClearanceService, ClearanceRepository],
})
export class ClearanceModule {}
