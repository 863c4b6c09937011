import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../clock/clock';
import { SecretBox } from '../crypto/secret-box';
import { AppConfig, APP_CONFIG } from './config';

/** Config is parsed once (main/worker/tests) and handed in; nothing else reads process.env. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: SecretBox, useValue: new SecretBox(config.secretsKey) },
      ],
      exports: [APP_CONFIG, Clock, SecretBox],
    };
  }
}
