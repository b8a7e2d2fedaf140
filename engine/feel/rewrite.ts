import { parseExpression } from 'feelin';
import { BUILTIN_NAMES } from './camunda-builtins.js';

/**
 * Rewrites FEEL text that Camunda 8.8 accepts into text feelin evaluates the same way. feelin is used
 * unmodified (no fork, no edit of node_modules): what it lacks is expressed with its own grammar and
 * the functions of camunda-builtins.ts. The rewrite is pure and cached per expression text.
 *
 * - `` `any name` `` (Camunda's escaped names): a variable becomes an alias entry, a path step `get value(x, "any name")`;
 * - `@"13:30"`: the short time literal gets its seconds (`@"13:30:00"`);
 * - a line break inside a string literal becomes `\n`;
 * - `a * b`, `a / b`: functions that know durations (feelin gives null for duration × number);
 * - `years and months duration(…)`, `date and time(dt, zone)`: Camunda's answers;
 * - `is defined(a.b)`: also told whether the path exists (feelin cannot tell a missing variable from null);
 * - `list[f(item)]`: a filter whose condition is a function call is evaluated per item, as in Camunda.
 */
export type Rewritten = {
  text: string;
  /** alias entry → the escaped name it stands for */
  aliases: Record<string, string>;
  /** `is defined` paths were rewritten: the evaluation must provide `__feel_found` */
  needsFound: boolean;
};

type Node = {
  name: string;
  from: number;
  to: number;
  type: { isError: boolean; name: string };
  firstChild: Node | null;
  nextSibling: Node | null;
};

const TRIGGER = /\\[uU]|[*/`@\n[]|is\s+defined|date\s+and\s+time|years\s+and\s+months/;
const cache = new Map<string, Rewritten>();
const CACHE_MAX = 2000;
const BUILTIN_CONTEXT: Record<string, null> = Object.fromEntries(BUILTIN_NAMES.map((n) => [n, null]));

/** Whether the text may hold a construct to rewrite; when not, feelin evaluates it as written. */
export function needsRewrite(expression: string): boolean {
  return TRIGGER.test(expression);
}

/** `contextNames`: the variables' names, needed only when one has a space (the parser must know it). */
export function rewriteFeel(expression: string, contextNames?: readonly string[]): Rewritten {
  if (!needsRewrite(expression)) return { text: expression, aliases: {}, needsFound: false };
  const spaced = contextNames?.filter((n) => n.includes(' ')) ?? [];
  const key = spaced.length ? null : expression;
  if (key !== null) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const result = rewriteUncached(expression, spaced);
  if (key !== null) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(key, result);
  }
  return result;
}

/** Pass 1 over the raw text: string literals and backtick names, which the grammar cannot read. */
function rewriteLexically(text: string): { text: string; escaped: Map<string, string> } {
  const escaped = new Map<string, string>();
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      let body = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          body += text[j]! + text[j + 1]!;
          j += 2;
          continue;
        }
        body += text[j] === '\n' ? '\\n' : text[j] === '\r' ? '\\r' : text[j];
        j++;
      }
      // \uXXXX is exactly four hex digits in Camunda (feelin reads more), \UXXXXXX six
      body = body.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{6})/g, (_m, u4: string | undefined, u6: string | undefined) =>
        String.fromCodePoint(parseInt(u4 ?? u6!, 16)),
      );
      // time("T23:59:00"): Camunda reads the ISO time designator, feelin does not
      if (/time\s*\(\s*$/.test(out) && /^T\d\d:\d\d/.test(body)) body = body.slice(1);
      // @"hh:mm" → @"hh:mm:00": Camunda's short time literal
      if (out.trimEnd().endsWith('@') && /^\d\d:\d\d(?:[+-]\d\d:\d\d|Z|@.+)?$/.test(body)) body = `${body.slice(0, 5)}:00${body.slice(5)}`;
      out += `"${body}"`;
      i = j + 1;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i) {
        const name = text.slice(i + 1, end);
        const id = `__feel_bt_${escaped.size}`;
        escaped.set(id, name);
        out += id;
        i = end + 1;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return { text: out, escaped };
}

function rewriteUncached(expression: string, spacedNames: string[]): Rewritten {
  const { text, escaped } = rewriteLexically(expression);
  const context: Record<string, unknown> = { ...BUILTIN_CONTEXT };
  for (const n of spacedNames) context[n] = null;
  const tree = parseExpression(text, context, undefined) as unknown as { topNode: Node };
  let broken = false;
  let needsFound = false;
  const aliases: Record<string, string> = {};
  const src = (n: Node) => text.slice(n.from, n.to);
  const children = (n: Node): Node[] => {
    const out: Node[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  };
  const splice = (n: Node): string => {
    let out = '';
    let pos = n.from;
    for (const c of children(n)) {
      out += text.slice(pos, c.from) + render(c);
      pos = c.to;
    }
    return out + text.slice(pos, n.to);
  };
  /** A path of plain names (`a`, `a.b.c`) as its list of names, or null. */
  const pathOf = (n: Node): string[] | null => {
    if (n.name === 'VariableName') return [escaped.get(src(n)) ?? src(n).replace(/\s+/g, ' ')];
    if (n.name === 'PathExpression') {
      const [left, , right] = children(n);
      const head = left && pathOf(left);
      if (!head || !right || right.name !== 'PathName') return null;
      return [...head, escaped.get(src(right)) ?? src(right).replace(/\s+/g, ' ')];
    }
    return null;
  };
  const render = (n: Node): string => {
    if (n.type.isError) broken = true;
    const kids = children(n);
    if (n.name === 'ArithmeticExpression' && kids.length === 3 && kids[1]!.name === 'ArithOp') {
      const op = src(kids[1]!);
      if (op === '*' || op === '/') return `${op === '*' ? '__feel_multiply' : '__feel_divide'}(${render(kids[0]!)}, ${render(kids[2]!)})`;
    }
    if (n.name === 'PathExpression' && kids.length === 3 && escaped.has(src(kids[2]!))) {
      return `get value(${render(kids[0]!)}, ${JSON.stringify(escaped.get(src(kids[2]!)))})`;
    }
    if (n.name === 'VariableName' && escaped.has(src(n))) {
      aliases[src(n)] = escaped.get(src(n))!;
      return src(n);
    }
    if ((n.name === 'FunctionInvocation' || n.name === 'DateTimeLiteral') && kids[0]) {
      const callee = src(kids[0]).replace(/\s+/g, ' ');
      const rest = () =>
        kids
          .slice(1)
          .map((c, i) => text.slice(i === 0 ? kids[0]!.to : kids[i]!.to, c.from) + render(c))
          .join('') + text.slice(kids[kids.length - 1]!.to, n.to);
      if (callee === 'years and months duration') return `__feel_years_and_months_duration${rest()}`;
      if (callee === 'date and time' && n.name === 'DateTimeLiteral') {
        const params = kids.find((c) => c.name === 'PositionalParameters' || c.name === 'NamedParameters');
        if (params && params.name === 'PositionalParameters' && children(params).length === 2) return `__feel_date_and_time${rest()}`;
      }
      if (callee === 'is defined') {
        const params = kids.find((c) => c.name === 'PositionalParameters');
        const args = params ? children(params) : [];
        const path = args.length === 1 ? pathOf(args[0]!) : null;
        if (path) {
          needsFound = true;
          return `is defined(${render(args[0]!)}, __feel_found(${JSON.stringify(path)}))`;
        }
      }
    }
    if (n.name === 'FilterExpression' && kids.length >= 4) {
      const cond = kids[2]!;
      if (['FunctionInvocation', 'VariableName', 'PathExpression'].includes(cond.name) && /\bitem\b/.test(src(cond))) {
        return `${render(kids[0]!)}[(${render(cond)}) = true]`;
      }
    }
    return kids.length ? splice(n) : src(n);
  };
  const out = render(tree.topNode);
  // on a syntax error, hand feelin the lexical rewrite only: its own error message is the one to show
  return broken ? { text, aliases: Object.fromEntries(escaped), needsFound: false } : { text: out, aliases, needsFound };
}
