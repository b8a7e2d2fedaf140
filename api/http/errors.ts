import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../../config/logger.js';

/** Messages per error code, Chinese first; `Accept-Language: en` picks English. */
const MESSAGES: Record<string, { zh: string; en: string }> = {
  not_found: { zh: '请求的资源不存在', en: 'The requested resource does not exist' },
  bad_json: { zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  payload_too_large: { zh: '请求体过大', en: 'The request body is too large' },
  internal: { zh: '服务器内部错误', en: 'Internal server error' },
  unavailable: { zh: '服务暂不可用', en: 'Service unavailable' },
};

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
  return (err, req, res, _next) => {
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
