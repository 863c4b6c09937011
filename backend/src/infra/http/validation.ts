import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException } from './app-exception';

export interface FieldProblem {
  field: string;
  constraint: string;
  /** class-validator's own (English) text, used when we have no translation for the constraint. */
  fallback: string;
  params?: Record<string, unknown>;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    for (const [constraint, text] of Object.entries(e.constraints ?? {})) {
      const ctx = (e.contexts?.[constraint] ?? {}) as Record<string, unknown>;
      out.push({ field, constraint, fallback: text, params: { ...paramsFromDefaultText(constraint, text), ...ctx } });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/**
 * class-validator does not hand constraint arguments to the error, but its default texts carry them
 * ("… must be longer than or equal to 10 characters", "… one of the following values: a, b").
 */
function paramsFromDefaultText(constraint: string, text: string): Record<string, unknown> {
  const num = /(-?\d+(?:\.\d+)?)/.exec(text)?.[1];
  switch (constraint) {
    case 'minLength':
    case 'min':
      return { min: num };
    case 'maxLength':
    case 'max':
      return { max: num };
    case 'isEnum':
    case 'isIn':
      return { values: text.split(':').slice(1).join(':').trim() };
    default:
      return {};
  }
}

/** One validation approach for every DTO (STYLE.md): class-validator through this global pipe. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new AppException('validation_failed', 400, {}, flattenValidationErrors(errors)),
  });
}
