/**
 * Calls to the platform's API from the browser: the bearer token lives in sessionStorage (gone when the
 * tab closes), every call sends Accept-Language, errors come back as ApiError {status, code, message}, and
 * a 401 on a page that needs a login sends the user to the login form, returning afterwards.
 */
import { acceptLanguage } from './i18n.js';

export type Role = 'admin' | 'operator' | 'dept_staff' | 'dept_leader' | 'grid_worker' | 'leader' | 'auditor';

export interface User {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
}

const TOKEN_KEY = 'ywtg.token';
const USER_KEY = 'ywtg.user';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function currentUser(): User | null {
  const raw = sessionStorage.getItem(USER_KEY);
  if (!raw || !token()) return null;
  try {
    return JSON.parse(raw) as User;
  } catch {
    return null;
  }
}

export function saveSession(t: string, user: User): void {
  sessionStorage.setItem(TOKEN_KEY, t);
  sessionStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

/** Sends the browser to the login form (the home page), coming back here afterwards. */
export function redirectToLogin(): void {
  clearSession();
  location.assign(`/?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`);
}

/** redirectToLogin() inside a call: throws, so the caller stops where it is while the browser leaves. */
export function goToLogin(): never {
  redirectToLogin();
  throw new ApiError(401, 'unauthenticated', 'redirecting to login');
}

export interface CallOptions {
  method?: string;
  /** JSON body */
  body?: unknown;
  /** multipart body (photos); the browser sets the boundary */
  form?: FormData;
  /** a text body of its own type (an uploaded CSV) */
  text?: { body: string; type: string };
  headers?: Record<string, string>;
  /** on 401 throw instead of going to the login form (the login form itself, public pages) */
  noLoginRedirect?: boolean;
}

async function send(path: string, o: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': acceptLanguage(), ...(o.headers ?? {}) };
  const t = token();
  if (t) headers['Authorization'] = `Bearer ${t}`;
  let body: BodyInit | undefined;
  if (o.form) body = o.form;
  else if (o.text) {
    body = o.text.body;
    headers['Content-Type'] = o.text.type;
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method: o.method ?? (body ? 'POST' : 'GET'), headers, ...(body ? { body } : {}) });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (res.status === 401 && !o.noLoginRedirect && t !== null) goToLogin();
  if (!res.ok) {
    const text = await res.text();
    let parsed: { code?: string; message?: string; details?: unknown } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      /* not JSON: a proxy's error page */
    }
    if (res.status === 401 && !o.noLoginRedirect) goToLogin();
    throw new ApiError(res.status, parsed.code ?? `http_${res.status}`, parsed.message ?? (text.slice(0, 200) || res.statusText), parsed.details);
  }
  return res;
}

/** A JSON API call under /api; resolves to the parsed body (null for 204). */
export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const res = await send(path, options);
  if (res.status === 204) return null as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** A text answer (XML of a diagram, CSV) under /api. */
export async function apiText(path: string, options: CallOptions = {}): Promise<string> {
  return (await send(path, options)).text();
}

/**
 * Bytes behind the bearer token (attachments): an <img> cannot send the Authorization header, so the page
 * fetches the image and shows it from an object URL.
 */
export async function apiObjectUrl(path: string, options: CallOptions = {}): Promise<string> {
  const res = await send(path, options);
  return URL.createObjectURL(await res.blob());
}

/** Logs in with the API and keeps the session in this tab. */
export async function login(username: string, password: string): Promise<User> {
  const res = await api<{ token: string; user: User }>('/auth/login', { body: { username, password }, noLoginRedirect: true });
  saveSession(res.token, res.user);
  return res.user;
}

export async function logout(): Promise<void> {
  try {
    if (token()) await api('/auth/logout', { method: 'POST', noLoginRedirect: true });
  } finally {
    clearSession();
  }
}

/** A random Idempotency-Key: a retried submit (double click, network hiccup) is answered once. */
export function idempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The message to show for a failed call (field errors of a form listed after it). */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const fieldErrors = (err.details as { errors?: { field?: string; message?: string }[] } | undefined)?.errors;
    const extra =
      Array.isArray(fieldErrors) && fieldErrors.length ? `：${fieldErrors.map((e) => [e.field, e.message].filter(Boolean).join(' ')).join('；')}` : '';
    return `${err.message}${extra}`;
  }
  return err instanceof Error ? err.message : String(err);
}
