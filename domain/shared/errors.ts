/** A domain rule said no. `code` lets callers (workers, the API) map it without parsing messages. */
export class DomainError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'INVALID_TRANSITION' | 'INVALID_ARGUMENT' | 'CONFLICT',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(err: unknown, code?: DomainError['code']): err is DomainError {
  return err instanceof DomainError && (code === undefined || err.code === code);
}
