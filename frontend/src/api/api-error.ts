import type { ApiErrorBody } from './api-types';

/** A failed API call, carrying the server's (already translated) message for the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** An empty message means "no server text": the UI substitutes a translated generic one. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body.code, body.message, body.details);
  return new ApiError(status, `http_${status}`, '');
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Turns openapi-fetch's `{data, error}` into a value or a thrown ApiError; network failures become status 0. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw new ApiError(0, 'network', '', cause);
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

/** The unlock time the server gives with a 423 (`details.unlocksAt`), if any. */
export function unlocksAtOf(error: ApiError): string | null {
  const details = error.details as { unlocksAt?: unknown } | undefined;
  return error.status === 423 && typeof details?.unlocksAt === 'string' ? details.unlocksAt : null;
}
