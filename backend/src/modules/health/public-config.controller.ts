import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AppConfig, APP_CONFIG } from '../../infra/config/config';
import { Public } from '../auth/access.decorator';

class PublicConfigDto {
  @ApiProperty({ nullable: true, type: String, description: 'Tianditu (天地图) key; null keeps the offline blank/grid basemap' })
  tiandituKey!: string | null;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
}

@ApiTags('health')
@Controller('config')
export class PublicConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('public')
  @Public()
  @ApiOkResponse({ type: PublicConfigDto })
  get(): PublicConfigDto {
    return { tiandituKey: this.config.tiandituKey, timeZone: 'Asia/Shanghai' };
  }
}
