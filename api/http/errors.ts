import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../../config/logger.js';
import { DomainError } from '../../domain/shared/errors.js';
import { PortError } from '../../port/workflow-engine.js';

/** Messages per error code, Chinese first; `Accept-Language: en` picks English. */
const MESSAGES: Record<string, { zh: string; en: string }> = {
  not_found: { zh: '请求的资源不存在', en: 'The requested resource does not exist' },
  bad_json: { zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  payload_too_large: { zh: '请求体过大', en: 'The request body is too large' },
  internal: { zh: '服务器内部错误', en: 'Internal server error' },
  unavailable: { zh: '服务暂不可用', en: 'Service unavailable' },
  bad_request: { zh: '请求有误', en: 'Bad request' },
  invalid_input: { zh: '请求数据不符合要求', en: 'The request data is invalid' },
  unsupported_media_type: { zh: '请求体须为 JSON', en: 'The request body must be JSON' },
  unauthenticated: { zh: '请先登录', en: 'Please log in first' },
  bad_credentials: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  forbidden: { zh: '无权进行此操作', en: 'You are not allowed to do this' },
  rate_limited: { zh: '请求过于频繁，请稍后再试', en: 'Too many requests, try again later' },
  case_not_found: { zh: '案卷不存在', en: 'No such case' },
  task_not_found: { zh: '任务不存在', en: 'No such task' },
  task_finished: { zh: '任务已办结', en: 'The task is already finished' },
  task_claimed: { zh: '任务已被他人签收', en: 'Someone else has claimed the task' },
  form_invalid: { zh: '表单数据不符合要求', en: 'The form data is invalid' },
  form_unknown: { zh: '任务表单不存在', en: 'The task form is unknown' },
  bad_location: { zh: '经纬度须同时提供', en: 'Latitude and longitude go together' },
  location_required: { zh: '请提供位置：坐标、地址或网格', en: 'A location is required: coordinates, address or grid' },
  unknown_event_type: { zh: '事件类型不存在', en: 'Unknown event type' },
  unknown_grid: { zh: '网格不存在', en: 'Unknown grid' },
  already_rated: { zh: '该案卷已评价', en: 'The case has already been rated' },
  not_rateable: { zh: '该案卷当前不能评价', en: 'The case cannot be rated now' },
  idempotency_mismatch: { zh: '幂等键已用于不同的请求', en: 'The Idempotency-Key was used with a different request' },
  idempotency_in_progress: { zh: '相同幂等键的请求正在处理', en: 'A request with this Idempotency-Key is still in progress' },
  conflict: { zh: '请求与当前状态冲突', en: 'The request conflicts with the current state' },
};

/** Domain and port errors → HTTP: the domain names its API code in `details.apiCode`. */
function fromDomain(err: unknown): HttpError | null {
  if (err instanceof DomainError) {
    const apiCode = typeof err.details?.['apiCode'] === 'string' ? err.details['apiCode'] : null;
    const status = typeof err.details?.['status'] === 'number' ? err.details['status'] : { NOT_FOUND: 404, INVALID_ARGUMENT: 400, INVALID_TRANSITION: 409, CONFLICT: 409 }[err.code];
    const fallback = { NOT_FOUND: 'not_found', INVALID_ARGUMENT: 'invalid_input', INVALID_TRANSITION: 'conflict', CONFLICT: 'conflict' }[err.code];
    const errors = err.details?.['errors'];
    return new HttpError(status, apiCode ?? fallback, err.message, errors ? { errors } : undefined);
  }
  if (err instanceof PortError) {
    if (err.code === 'UNAVAILABLE') return new HttpError(503, 'unavailable');
    if (err.code === 'NOT_FOUND') return new HttpError(404, 'not_found');
    if (err.code === 'INVALID_STATE' || err.code === 'ALREADY_EXISTS') return new HttpError(409, 'conflict');
  }
  return null;
}

export function wantsEnglish(req: Request): boolean {
  const lang = req.acceptsLanguages('zh', 'zh-CN', 'en');
  return lang === 'en';
}

/** An error that becomes `{code, message}` with an HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? code);
  }
}

export function messageFor(code: string, req: Request, fallback?: string): string {
  const m = MESSAGES[code];
  if (!m) return fallback ?? code;
  return wantsEnglish(req) ? m.en : m.zh;
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', undefined, { path: req.path }));
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (raw, req, res, _next) => {
    const err = fromDomain(raw) ?? raw;
    const e = err as { status?: number; type?: string; expose?: boolean };
    let status = 500;
    let code = 'internal';
    let message: string | undefined;
    let details: unknown;
    if (err instanceof HttpError) {
      ({ status, code, details } = err);
      message = MESSAGES[code] ? undefined : err.message;
    } else if (e.type === 'entity.parse.failed') {
      [status, code] = [400, 'bad_json'];
    } else if (e.type === 'entity.too.large') {
      [status, code] = [413, 'payload_too_large'];
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
      [status, code, message] = [e.status, 'bad_request', (err as Error).message];
    }
    if (status >= 500) log.error({ err, path: req.path }, 'request failed');
    res.status(status).json({ code, message: message ?? messageFor(code, req), ...(details ? { details } : {}) });
  };
}
