import { PortError } from '../workflow-engine.js';

/**
 * What the client throws: `HttpSdkError` carries the HTTP status and the RFC 9457 problem
 * (`title` is Zeebe's rejection type, e.g. INVALID_STATE, `detail` its message); network, auth,
 * cancel and eventual-consistency timeouts come as other named errors.
 */
interface ClientError {
  name?: string;
  message?: string;
  status?: number;
  title?: string;
  detail?: string;
}

export type PortErrorCode = PortError['code'];

/** The port code for a client error; `DEPLOY_REJECTED` for a deployment the cluster refused. */
export function portErrorCode(err: unknown, operation: string): PortErrorCode {
  const e = (err ?? {}) as ClientError;
  if (e.name === 'EventualConsistencyTimeoutError') return 'NOT_FOUND';
  if (e.name !== 'HttpSdkError' || typeof e.status !== 'number') return 'UNAVAILABLE';
  const status = e.status;
  if (status === 400) return operation === 'deploy' ? 'DEPLOY_REJECTED' : 'INVALID_ARGUMENT';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return e.title === 'ALREADY_EXISTS' || /ALREADY_EXISTS/.test(e.detail ?? '') ? 'ALREADY_EXISTS' : 'INVALID_STATE';
  if (status === 422) return 'INVALID_ARGUMENT';
  // 401/403 (credentials), 429/503 (back-pressure, after the client's own retries), 5xx
  return 'UNAVAILABLE';
}

/** Client errors become port errors with the same codes the embedded adapter uses. */
export function toPortError(err: unknown, operation: string): unknown {
  if (err instanceof PortError) return err;
  const e = (err ?? {}) as ClientError;
  if (!e.name && !(err instanceof Error)) return err;
  // programmer errors (TypeError from our own code, …) pass through untouched
  const known = [
    'HttpSdkError',
    'NetworkSdkError',
    'AuthSdkError',
    'CancelSdkError',
    'ValidationSdkError',
    'EventualConsistencyTimeoutError',
    'CamundaConfigurationError',
  ];
  if (!known.includes(e.name ?? '')) return err;
  const code = e.name === 'ValidationSdkError' ? 'INVALID_ARGUMENT' : portErrorCode(err, operation);
  const message = `${operation}: ${e.detail ?? e.message ?? e.title ?? 'request failed'}`;
  return new PortError(code, message, { status: e.status, title: e.title, detail: e.detail });
}

export async function mapped<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toPortError(err, operation);
  }
}
