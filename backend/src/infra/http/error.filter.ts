import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pickLanguage } from '../i18n/language';
import { hasMessage, translate, translateConstraint } from '../i18n/messages';
import { AppException } from './app-exception';
import { FieldProblem } from './validation';

interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** Fastify's own errors (body limits, bad JSON, multipart limits) mapped to our codes. */
const FASTIFY_CODES: Record<string, { code: string; status: number }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', status: 413 },
  FST_REQ_FILE_TOO_LARGE: { code: 'payload_too_large', status: 413 },
  FST_FILES_LIMIT: { code: 'payload_too_large', status: 413 },
  FST_PARTS_LIMIT: { code: 'payload_too_large', status: 413 },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', status: 415 },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'malformed_json', status: 400 },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'malformed_json', status: 400 },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'unsupported_media_type', status: 415 },
};

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  constructor(private readonly bodyLimitLabel: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const lang = pickLanguage(req.headers['accept-language']);
    const correlationId = String(req.id);
    let status = 500;
    let body: ErrorBody;
    let headers: Record<string, string> = {};

    if (exception instanceof AppException) {
      status = exception.status;
      headers = exception.headers;
      body = { code: exception.code, message: translate(exception.code, lang, exception.params) };
      if (exception.code === 'validation_failed' && Array.isArray(exception.details)) {
        body.details = (exception.details as FieldProblem[]).map((p) => ({
          field: p.field,
          message: translateConstraint(p.constraint, lang, p.params) ?? p.fallback,
        }));
      } else if (exception.details !== undefined) {
        body.details = exception.details;
      }
    } else if (isFastifyError(exception) && FASTIFY_CODES[exception.code]) {
      const mapped = FASTIFY_CODES[exception.code]!;
      status = mapped.status;
      body = { code: mapped.code, message: translate(mapped.code, lang, { limit: this.bodyLimitLabel }) };
    } else if (isFastifyError(exception) && exception.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      status = 400;
      body = { code: 'malformed_json', message: translate('malformed_json', lang) };
    } else if (exception instanceof SyntaxError && 'statusCode' in exception && (exception as { statusCode: number }).statusCode === 400) {
      status = 400;
      body = { code: 'malformed_json', message: translate('malformed_json', lang) };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      if (status === 400 && /JSON/i.test(exception.message)) {
        // Nest's Fastify adapter turns body-parser failures into a plain BadRequestException
        body = { code: 'malformed_json', message: translate('malformed_json', lang) };
      } else if (status === 404) {
        body = { code: 'route_not_found', message: translate('route_not_found', lang, { method: req.method, path: req.url.split('?')[0] }) };
      } else if (status === 413) {
        body = { code: 'payload_too_large', message: translate('payload_too_large', lang, { limit: this.bodyLimitLabel }) };
      } else {
        const code = status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden_role' : `http_${status}`;
        body = { code, message: hasMessage(code) ? translate(code, lang) : exception.message };
      }
    } else if (isFastifyError(exception) && typeof exception.statusCode === 'number' && exception.statusCode < 500) {
      status = exception.statusCode;
      body = { code: `http_${status}`, message: exception.message };
    } else {
      this.logger.error(
        `[${correlationId}] ${req.method} ${req.url}: ${exception instanceof Error ? exception.stack : String(exception)}`,
      );
      body = { code: 'internal_error', message: translate('internal_error', lang, { correlationId }) };
    }
    if (status >= 500 && !(exception instanceof AppException && status !== 500) && body.code !== 'internal_error') {
      this.logger.error(`[${correlationId}] ${req.method} ${req.url}: ${String(exception)}`);
    }
    void reply.status(status).headers({ ...headers, 'content-language': lang }).send(body);
  }
}

function isFastifyError(e: unknown): e is Error & { code: string; statusCode?: number } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}
