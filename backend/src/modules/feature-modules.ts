import { AccountsModule } from './accounts/accounts.module';
import { AssessmentsModule } from './assessments/assessments.module';
import { AuthModule } from './auth/auth.module';
import { CoringModule } from './coring/coring.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DiscoveriesModule, DiscoveriesWorkerModule } from './discoveries/discoveries.module';
import { ImportsModule } from './imports/imports.module';
import { RelicsModule } from './relics/relics.module';
import { SurveyModule } from './survey/survey.module';
import { ZonesModule } from './zones/zones.module';
import { ClearanceModule } from './clearance/clearance.module';
import { CommitmentsModule } from './commitments/commitments.module';
import { ExplorationsModule } from './explorations/explorations.module';
import { ParcelsModule } from './parcels/parcels.module';
import { ProjectsModule } from './projects/projects.module';
import { ZoningModule, ZoningWorkerModule } from './zoning/zoning.module';

/**
 * Every business capability of the API process, one Nest module each. A new feature adds its module
 * here (and, if it has queue processors, to WORKER_FEATURE_MODULES).
 */
export const API_FEATURE_MODULES = [AuthModule, AccountsModule, ZonesModule, ImportsModule, CoringModule, AssessmentsModule, SurveyModule, RelicsModule, ZoningModule, ClearanceModule, ParcelsModule, CommitmentsModule, ExplorationsModule, ProjectsModule, DiscoveriesModule, DashboardModule];

/** Feature modules whose processors/timers run in the worker process. */
export const WORKER_FEATURE_MODULES: Array<new (...args: never[]) => unknown> = [ZoningWorkerModule, DiscoveriesWorkerModule];
