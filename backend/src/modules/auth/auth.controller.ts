import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated, CurrentPrincipal, Public } from './access.decorator';
import { LoginDto, LoginResponseDto, RefreshDto, SessionUserDto, mapSessionUser } from './auth.dto';
import { AuthService } from './auth.service';
import { Principal } from './roles';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: 401 on a wrong password, 423 (with details.unlocksAt) when locked out' })
  @ApiOkResponse({ type: LoginResponseDto })
  async login(@Body() body: LoginDto, @Req() req: FastifyRequest): Promise<LoginResponseDto> {
    const { tokens, principal } = await this.auth.login(body.username, body.password, req.ip ?? null);
    return { ...tokens, user: mapSessionUser(principal) };
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  async refresh(@Body() body: RefreshDto): Promise<LoginResponseDto> {
    const { tokens, principal } = await this.auth.refresh(body.refreshToken);
    return { ...tokens, user: mapSessionUser(principal) };
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Get('me')
  @Authenticated()
  @ApiBearerAuth()
  @ApiOkResponse({ type: SessionUserDto })
  me(@CurrentPrincipal() p: Principal): SessionUserDto {
    return mapSessionUser(p);
  }
}
