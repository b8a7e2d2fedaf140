/** Why a command was refused. Codes are stable; messages are for people. */
export type EngineErrorCode = 'NOT_FOUND' | 'INVALID_STATE' | 'INVALID_ARGUMENT' | 'ALREADY_EXISTS' | 'DEPLOY_REJECTED' | 'CLOSED';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
