import type { IncomingMessage, ServerResponse } from 'node:http';
import { EngineError } from '../../../engine/index.js';

/** An RFC 9457 problem, the error shape the client reads `status`, `title` and `detail` from. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  /** the query string's parameters (`?truncateValues=false`) */
  query: URLSearchParams;
  /** parsed JSON, or for multipart the form fields and files */
  body: any; // request bodies are checked field by field
  headers: IncomingMessage['headers'];
  /** true once the client went away (a cancelled long poll) */
  closed(): boolean;
  onClose(callback: () => void): void;
}

export type SimResponse = { status: number; json?: unknown; xml?: string };
export type Handler = (req: SimRequest) => Promise<SimResponse>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

const STATUS: Record<string, [number, string]> = {
  NOT_FOUND: [404, 'NOT_FOUND'],
  INVALID_STATE: [409, 'INVALID_STATE'],
  ALREADY_EXISTS: [409, 'ALREADY_EXISTS'],
  INVALID_ARGUMENT: [400, 'INVALID_ARGUMENT'],
  DEPLOY_REJECTED: [400, 'INVALID_ARGUMENT'],
  CLOSED: [503, 'UNAVAILABLE'],
};

/** An engine error as the cluster would reject the command: `Command 'X' rejected with code 'Y': …`. */
export function rejection(command: string, err: unknown): Problem {
  if (err instanceof Problem) return err;
  if (err instanceof EngineError) {
    const [status, title] = STATUS[err.code] ?? [500, 'INTERNAL'];
    return new Problem(status, title, `Command '${command}' rejected with code '${title}': ${err.message}`);
  }
  return new Problem(500, 'INTERNAL_SERVER_ERROR', (err as Error)?.message ?? String(err));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    // Node's own fetch Response parses multipart bodies
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const fields: Record<string, string> = {};
    const files: Array<{ name: string; content: string }> = [];
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') fields[name] = value;
      else files.push({ name: value.name, content: await value.text() });
    }
    return { fields, files };
  }
  if (!raw.length) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Problem(400, 'Bad Request', 'the request body is not valid JSON');
  }
}

/** Just enough routing for `/v2/...` paths with `:param` segments. */
export class Router {
  private readonly routes: Route[] = [];
  readonly calls: Array<{ method: string; path: string; status: number }> = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    const parts = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== parts.length) continue;
      const params: Record<string, string> = {};
      if (route.parts.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i]!)), true) : p === parts[i])))
        return { route, params };
    }
    return null;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const [path, search] = (req.url ?? '/').split('?') as [string, string | undefined];
    let closed = false;
    const closers: Array<() => void> = [];
    res.on('close', () => {
      closed = !res.writableFinished;
      if (closed) for (const c of closers) c();
    });
    let out: SimResponse;
    try {
      const found = this.match(method, path);
      if (!found) throw new Problem(404, 'Not Found', `the simulation does not implement ${method} ${path}`);
      const body = await readBody(req);
      out = await found.route.handler({
        method,
        path,
        params: found.params,
        query: new URLSearchParams(search ?? ''),
        body,
        headers: req.headers,
        closed: () => closed,
        onClose: (cb) => closers.push(cb),
      });
    } catch (err) {
      const p = err instanceof Problem ? err : rejection('UNKNOWN', err);
      out = { status: p.status, json: { type: 'about:blank', title: p.title, status: p.status, detail: p.detail, instance: path } };
    }
    this.calls.push({ method, path, status: out.status });
    if (closed) return;
    res.statusCode = out.status;
    if (out.xml !== undefined) {
      res.setHeader('content-type', 'text/xml');
      res.end(out.xml);
    } else if (out.json !== undefined) {
      res.setHeader('content-type', out.status >= 400 ? 'application/problem+json' : 'application/json');
      res.end(JSON.stringify(out.json));
    } else res.end();
  }
}
