import { Module } from '@nestjs/common';
import { ParcelsModule } from '../parcels/parcels.module';
import { ContractorOrgsController, ProjectsController } from './projects.controller';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

@Module({
  imports: [ParcelsModule],
  controllers: [ProjectsController, ContractorOrgsController],
  providers: [ProjectsRepository, ProjectsService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
