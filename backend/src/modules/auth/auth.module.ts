import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';

/** Sign-in endpoints; the AuthService, guard and ScopeService themselves live in CoreModule. */
@Module({ controllers: [AuthController] })
export class AuthModule {}
