import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../../config/logger.js';
import { DomainError } from '../../domain/shared/errors.js';
import { PortError } from '../../port/workflow-engine.js';
import { wordDetails } from './problem-messages.js';

/** Messages per error code, Chinese first; `Accept-Language: en` picks English. */
const MESSAGES: Record<string, { zh: string; en: string }> = {
  not_found: { zh: '请求的资源不存在', en: 'The requested resource does not exist' },
  bad_json: { zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  payload_too_large: { zh: '请求体过大', en: 'The request body is too large' },
  internal: { zh: '服务器内部错误', en: 'Internal server error' },
  unavailable: { zh: '服务暂不可用', en: 'Service unavailable' },
  bad_request: { zh: '请求有误', en: 'Bad request' },
  invalid_input: { zh: '请求数据不符合要求', en: 'The request data is invalid' },
  bad_cursor: { zh: '分页游标（after）无效，请使用上一页应答中的 next', en: 'The paging cursor (after) is malformed: pass `next` from the previous page' },
  page_too_deep: {
    zh: '页码过深：按页码翻页仅限前 10000 条，请改用 after 游标',
    en: 'The page is too deep: page numbers reach the first 10,000 rows only, follow `next` with `after` instead',
  },
  unsupported_media_type: { zh: '请求体须为 JSON', en: 'The request body must be JSON' },
  multipart_required: { zh: '请求体须为 multipart/form-data（表单上传文件）', en: 'The request body must be multipart/form-data (a file upload form)' },
  unauthenticated: { zh: '请先登录', en: 'Please log in first' },
  bad_credentials: { zh: '用户名或密码错误', en: 'Wrong username or password' },
  forbidden: { zh: '无权进行此操作', en: 'You are not allowed to do this' },
  login_throttled: { zh: '该账号密码错误次数过多，请稍后再试', en: 'Too many wrong passwords for this account, try again later' },
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
  no_examples: { zh: '没有训练样例，无法训练', en: 'There are no training examples' },
  no_earlier_version: { zh: '没有可回退的更早模型版本', en: 'There is no earlier model version to roll back to' },
  import_refused: { zh: '导入未通过校验，未导入任何数据', en: 'The import was refused; nothing was imported' },
  example_exists: { zh: '样例编码已存在', en: 'An example with this code already exists' },
  example_not_found: { zh: '样例不存在', en: 'No such example' },
  diagram_not_found: { zh: '该案卷的流程图不存在', en: 'The process diagram of this case is not available' },
  lint_failed: { zh: '流程校验未通过，未部署', en: 'The process failed lint; nothing was deployed' },
  xml_too_large: { zh: 'XML 过大（上限 2 MB）', en: 'The XML is too large (at most 2 MB)' },
  xml_doctype: { zh: '不接受含 DOCTYPE 或实体声明的 XML', en: 'XML with a DOCTYPE or entity declarations is refused' },
  not_bpmn: { zh: '不是合法的 BPMN 2.0 XML 文档', en: 'Not a valid BPMN 2.0 XML document' },
  one_process: { zh: '文档须恰好包含一个流程', en: 'The document must hold exactly one process' },
  bad_process_id: { zh: '流程标识不合法', en: 'The process id is not valid' },
  process_id_mismatch: { zh: '文档中的流程标识与路径不一致', en: 'The process id in the document differs from the one in the path' },
  process_not_found: { zh: '流程不存在', en: 'No such process' },
  version_not_found: { zh: '版本不存在', en: 'No such version' },
  draft_not_found: { zh: '草稿不存在', en: 'No such draft' },
  form_not_found: { zh: '表单不存在', en: 'No such form' },
  form_definition_invalid: { zh: '表单定义不符合要求', en: 'The form definition is invalid' },
  duplicate: { zh: '编码已存在', en: 'The code is already taken' },
  in_use: { zh: '仍被其他记录引用，不能删除，可改为停用', en: 'Still referred to by other records: it cannot be deleted, disable it instead' },
  unknown_reference: { zh: '引用的单位、网格或事件类型不存在', en: 'A referenced unit, grid or event type does not exist' },
  self_lockout: { zh: '不能停用、降级或删除自己的账号', en: 'You cannot disable, demote or delete your own account' },
  method_not_allowed: { zh: '该资源不支持此操作', en: 'This resource does not support the method' },
  open311_api_key: { zh: 'api_key 缺失或无效', en: 'api_key was not provided or is invalid' },
  open311_jurisdiction: { zh: 'jurisdiction_id 不存在', en: 'jurisdiction_id provided was not found' },
  open311_unknown_service: { zh: 'service_code 不存在', en: 'service_code provided was not found' },
  open311_unknown_request: { zh: 'service_request_id 不存在', en: 'service_request_id provided was not found' },
  open311_unknown_token: { zh: 'token 不存在', en: 'token provided was not found' },
  open311_bad_attribute: { zh: '服务属性（attribute）不符合服务定义', en: 'An attribute does not match the service definition' },
  open311_bad_date: {
    zh: '日期须为含时区的 ISO 8601 时间，且范围不超过 90 天',
    en: 'Dates must be ISO 8601 date-times with a time zone, spanning at most 90 days',
  },
  open311_media_type: { zh: '请求体须为 application/x-www-form-urlencoded 或 JSON', en: 'The request body must be application/x-www-form-urlencoded or JSON' },
  unsupported_file_type: {
    zh: '文件类型不支持，仅限 JPEG、PNG、WebP 图片（文档另可 PDF），且扩展名须与内容一致',
    en: 'Unsupported file type: JPEG, PNG or WebP images only (documents may also be PDF), and the name must match the content',
  },
  pdf_invalid: { zh: 'PDF 文件已损坏或不是真正的 PDF，请重新导出后上传', en: 'The PDF is damaged or not really a PDF: export it again and upload it' },
  image_invalid: {
    zh: '图片已损坏或内容与其类型不符，请重新拍摄或选择原图',
    en: 'The image is damaged or its content does not match its type: take or choose the photo again',
  },
  image_too_many_pixels: {
    zh: '图片像素过多（上限 2500 万像素），请缩小后再上传',
    en: 'The image has too many pixels (at most 25 megapixels): scale it down first',
  },
  file_too_large: { zh: '文件过大，每个文件不超过 5 MB', en: 'File too large: at most 5 MB per file' },
  too_many_files: { zh: '文件过多，最多 {max} 个', en: 'Too many files: at most {max}' },
  bad_multipart: { zh: '上传内容格式有误', en: 'The multipart upload is malformed' },
  file_required: { zh: '请选择要上传的文件', en: 'A file is required' },
  attachment_not_found: { zh: '附件不存在', en: 'No such attachment' },
  task_without_case: { zh: '该任务不属于任何案卷', en: 'The task belongs to no case' },
  camera_not_found: { zh: '摄像头不存在', en: 'No such camera' },
  camera_exists: { zh: '摄像头编号已存在', en: 'A camera with this code already exists' },
  device_unauthorized: { zh: '设备未登记或密钥错误', en: 'Unknown device or wrong device key' },
  implausible_location: { zh: '位置不合理：坐标为 (0,0) 或远在本辖区之外', en: 'Implausible position: (0, 0) or far outside the district' },
  bad_path: { zh: '请求路径的百分号编码有误', en: 'The request path has a malformed %-encoding' },
  device_disabled: { zh: '设备已停用', en: 'The device is disabled' },
  instance_not_found: { zh: '流程实例不存在', en: 'No such process instance' },
  instance_not_active: { zh: '流程实例已结束', en: 'The process instance has already ended' },
  not_root_instance: { zh: '该实例由上级流程调用，请撤销其根实例', en: 'The instance was called by another one: cancel its root instance' },
  incident_not_found: { zh: '故障不存在', en: 'No such incident' },
  incident_resolved: { zh: '故障已处理', en: 'The incident is already resolved' },
  batch_not_found: { zh: '批量操作不存在', en: 'No such batch operation' },
  batch_empty: { zh: '筛选条件下没有可操作的流程实例', en: 'The filter matches no instance to act on' },
  batch_too_large: { zh: '筛选出的流程实例过多（上限 500），请缩小范围', en: 'The filter matches too many instances (at most 500): narrow it' },
  case_not_open: { zh: '该案卷已办结或已并单，不能再并入来电，请新建案卷', en: 'The case is no longer open: file a new case for this call' },
  not_redispatchable: { zh: '该案卷当前不在承办单位办理中，不能改派', en: 'The case is not being handled by a unit now: it cannot be re-dispatched' },
  redispatch_unsupported: { zh: '该类案卷的流程不支持改派', en: 'The process of this case has no re-dispatch step' },
  same_unit: { zh: '案卷已在该单位办理，请选择其他单位', en: 'The case is already with this unit: choose another one' },
  unknown_unit: { zh: '指定的承办单位不存在或已停用', en: 'The unit named does not exist or is disabled' },
  due_in_past: { zh: '办理时限须晚于当前时间', en: 'The deadline must lie in the future' },
  result_required: { zh: '自处置须填写现场处置情况', en: 'A self-handled report needs what was done on the spot' },
  not_self_handled: { zh: '该案卷已被受理或并单，不能再按自处置办结', en: 'The case was taken up or merged before it could be closed as self-handled' },
  staff_report_elsewhere: { zh: '您已登录工作账号，请在本岗位页面上报', en: 'You are signed in with a staff account: report from your own page' },
};

/**
 * The HTTP status of each refusal the domain names by its API code (`details.apiCode`) where the domain's own
 * error kind does not say it (NOT_FOUND 404, INVALID_ARGUMENT 400, INVALID_TRANSITION and CONFLICT 409): the
 * domain knows no HTTP, so the statuses live here.
 */
const DOMAIN_STATUS: Record<string, number> = {
  bad_credentials: 401,
  device_unauthorized: 401,
  device_disabled: 403,
  forbidden: 403,
  image_too_many_pixels: 413,
  xml_too_large: 413,
  image_invalid: 415,
  pdf_invalid: 415,
  unsupported_file_type: 415,
  form_definition_invalid: 422,
  decision_definition_invalid: 422,
  batch_too_large: 422,
  batch_empty: 422,
  engine_unavailable: 503,
};

/** The status of a domain refusal: by its API code, else by its kind. */
export function domainStatus(err: DomainError): number {
  const apiCode = typeof err.details?.['apiCode'] === 'string' ? err.details['apiCode'] : null;
  return (apiCode ? DOMAIN_STATUS[apiCode] : undefined) ?? { NOT_FOUND: 404, INVALID_ARGUMENT: 400, INVALID_TRANSITION: 409, CONFLICT: 409 }[err.code];
}

/** Domain and port errors → HTTP: the domain names its API code in `details.apiCode`. */
function fromDomain(err: unknown): HttpError | null {
  if (err instanceof DomainError) {
    const apiCode = typeof err.details?.['apiCode'] === 'string' ? err.details['apiCode'] : null;
    const status = domainStatus(err);
    const fallback = { NOT_FOUND: 'not_found', INVALID_ARGUMENT: 'invalid_input', INVALID_TRANSITION: 'conflict', CONFLICT: 'conflict' }[err.code];
    const errors = err.details?.['errors'];
    // a refused process migration names each element that cannot move and why
    const refusals = err.details?.['refusals'];
    return new HttpError(status, apiCode ?? fallback, err.message, errors ? { errors } : refusals ? { refusals } : undefined);
  }
  if (err instanceof PortError) {
    if (err.code === 'UNAVAILABLE') return new HttpError(503, 'unavailable');
    if (err.code === 'NOT_FOUND') return new HttpError(404, 'not_found');
    if (err.code === 'INVALID_ARGUMENT') return new HttpError(400, 'invalid_input', err.message);
    if (err.code === 'INVALID_STATE' || err.code === 'ALREADY_EXISTS') return new HttpError(409, 'conflict');
  }
  return null;
}

/**
 * A path the router cannot decode (`/cases/%E0%A4%A`: decodeURIComponent throws URIError while matching
 * parameters) is the client's error, on every router.
 */
export function badPath(err: unknown): HttpError | null {
  return err instanceof URIError ? new HttpError(400, 'bad_path', undefined, { errors: [{ path: '/', message: 'malformed %-encoding' }] }) : null;
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

/** The catalogue's message in the caller's language; `{name}` placeholders filled from `params` (details.params of the error). */
export function messageFor(code: string, req: Request, fallback?: string, params?: Record<string, unknown>): string {
  const m = MESSAGES[code];
  if (!m) return fallback ?? code;
  const text = wantsEnglish(req) ? m.en : m.zh;
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (params && params[name] !== undefined ? String(params[name]) : all));
}

const paramsOf = (details: unknown) => (details as { params?: Record<string, unknown> } | undefined)?.params;

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', undefined, { path: req.path }));
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (raw, req, res, _next) => {
    if (res.headersSent) {
      // a streamed answer (CSV export, progress) failed half-way: no status to send any more; cut the
      // transfer short so the client sees it incomplete, unless the stream already ended with its own error line
      log.error({ err: raw, path: req.path }, 'streamed answer failed');
      if (!res.writableEnded) res.destroy();
      return;
    }
    const err = fromDomain(raw) ?? badPath(raw) ?? raw;
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
    // keyed problems (a registry field, an engine refusal) in the caller's language
    const worded = wordDetails(details, wantsEnglish(req));
    res.status(status).json({ code, message: message ?? messageFor(code, req, undefined, paramsOf(details)), ...(worded ? { details: worded } : {}) });
  };
}
