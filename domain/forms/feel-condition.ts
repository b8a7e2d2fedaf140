import { parseUnaryTests } from 'feelin';

/** A JSON Schema (draft-07): an object of keywords, or `true` / `false`. */
export type JsonSchema = boolean | { [keyword: string]: unknown };

/** What a condition may know about a form field it refers to. */
export interface ConditionField {
  key: string;
  /** The JSON type of the field's value when it is set (null/absent means "not set"). */
  valueType: 'string' | 'number' | 'boolean';
  /** The only values the field can take (static radio/select options), if known. */
  values?: readonly unknown[];
  /** Set when a condition must not read this field, saying why. */
  unusable?: string;
}

/** A FEEL condition outside the subset {@link translateHideCondition} understands. */
export class UntranslatableConditionError extends Error {
  constructor(readonly expression: string, reason: string) {
    super(`cannot translate FEEL condition '${expression}' into JSON Schema: ${reason}`);
    this.name = 'UntranslatableConditionError';
  }
}

type SyntaxNode = ReturnType<typeof parseUnaryTests>['topNode'];

/** When an expression is true and when it is false; FEEL's third value, null, is "neither". */
interface ThreeValued {
  t: JsonSchema;
  f: JsonSchema;
}

type Literal = string | number | boolean | null;

/**
 * Translates a form-js `conditional.hide` expression (`=…`) into a JSON Schema that a submission
 * satisfies exactly when form-js would hide the field.
 *
 * form-js hides a field when `unaryTest(expression, data).value === true` (feelin). A unary test
 * whose expression yields `null` counts as a match, so a comparison FEEL cannot decide (a missing
 * value in `x > 3`) hides the field, and `not(…)` around the whole condition negates the match.
 * The translation follows those rules for submissions whose referenced fields carry the types their
 * own components declare; any other value is refused by that field's own schema anyway.
 *
 * Understood: `x = lit`, `x != lit`, `x < | <= | > | >= number` (either side), `x = null`,
 * `x != null`, a bare boolean field `x`, `true`, `false`, `and`, `or`, parentheses, the function
 * `not(e)`, and `not(…)` around the whole condition. `x` must be a field of the same form that is
 * always shown (no condition of its own); a literal must fit the field's type and options.
 * Anything else throws {@link UntranslatableConditionError}: process variables, paths (`a.b`),
 * `in`, `between`, lists, arithmetic, other functions, several comma-separated tests.
 */
export function translateHideCondition(expression: string, fields: ReadonlyMap<string, ConditionField>): JsonSchema {
  const fail = (reason: string): never => {
    throw new UntranslatableConditionError(expression, reason);
  };
  if (typeof expression !== 'string' || !expression.trim().startsWith('=')) {
    fail('a condition is a FEEL expression starting with "="');
  }
  const source = expression.trim().slice(1);
  if (!source.trim()) fail('the expression is empty');

  const parseContext = Object.fromEntries([...fields.keys()].map((k) => [k, null]));
  const tree = parseUnaryTests(source, parseContext, undefined);
  tree.iterate({
    enter(node) {
      if (node.type.isError) fail(`syntax error at position ${node.from + 1}`);
    },
  });

  const text = (n: SyntaxNode) => source.slice(n.from, n.to);
  const children = (n: SyntaxNode): SyntaxNode[] => {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  };
  const unwrap = (n: SyntaxNode): SyntaxNode => {
    while (n.name === 'ParenthesizedExpression') n = children(n)[1] ?? fail('empty parentheses');
    return n;
  };
  const fieldOf = (n: SyntaxNode): ConditionField => {
    const name = text(n);
    const field = fields.get(name);
    if (!field) {
      fail(
        `'${name}' is not an always-shown input field of this form ` +
          '(process variables and conditionally shown fields cannot be checked in a static schema)',
      );
    }
    if (field!.unusable) fail(field!.unusable);
    return field!;
  };

  const literalOf = (n: SyntaxNode): Literal | undefined => {
    switch (n.name) {
      case 'StringLiteral':
        try {
          return JSON.parse(text(n)) as string;
        } catch {
          return fail(`unsupported string literal ${text(n)}`);
        }
      case 'NumericLiteral': {
        const value = Number(text(n).replace(/\s+/g, ''));
        return Number.isFinite(value) ? value : fail(`unsupported number ${text(n)}`);
      }
      case 'BooleanLiteral':
        return text(n) === 'true';
      case 'null':
        return null;
      default:
        return undefined;
    }
  };

  const comparison = (n: SyntaxNode): ThreeValued => {
    const [left, opNode, right, ...rest] = children(n);
    if (!left || !opNode || !right || rest.length || opNode.name !== 'CompareOp') {
      return fail(`only simple comparisons are supported, not '${text(n)}'`);
    }
    let op = text(opNode);
    let varNode: SyntaxNode;
    let literal: Literal | undefined;
    if (unwrap(left).name === 'VariableName' && (literal = literalOf(unwrap(right))) !== undefined) {
      varNode = unwrap(left);
    } else if (unwrap(right).name === 'VariableName' && (literal = literalOf(unwrap(left))) !== undefined) {
      varNode = unwrap(right);
      op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
    } else {
      return fail(`a comparison needs one field and one literal, not '${text(n)}'`);
    }
    const field = fieldOf(varNode);
    const key = field.key;
    if (op === '=' || op === '!=') {
      let eq: ThreeValued;
      if (literal === null) {
        eq = { t: absentOrNull(key), f: presentNonNull(key) };
      } else {
        if (typeof literal !== field.valueType) {
          fail(`'${key}' holds a ${field.valueType}, it is never equal to ${JSON.stringify(literal)}`);
        }
        if (field.values && !field.values.includes(literal)) {
          fail(`${JSON.stringify(literal)} is not one of the options of '${key}' (${field.values.map((v) => JSON.stringify(v)).join(', ')})`);
        }
        eq = {
          t: { required: [key], properties: { [key]: { const: literal } } },
          f: anyOf([absentOrNull(key), { required: [key], properties: { [key]: { type: field.valueType, not: { const: literal } } } }]),
        };
      }
      return op === '=' ? eq : { t: eq.f, f: eq.t };
    }
    if (typeof literal !== 'number' || field.valueType !== 'number') {
      return fail(`'${op}' is only supported between a number field and a number`);
    }
    const bound = (keyword: string): JsonSchema => ({ required: [key], properties: { [key]: { type: 'number', [keyword]: literal } } });
    switch (op) {
      case '>': return { t: bound('exclusiveMinimum'), f: bound('maximum') };
      case '>=': return { t: bound('minimum'), f: bound('exclusiveMaximum') };
      case '<': return { t: bound('exclusiveMaximum'), f: bound('minimum') };
      case '<=': return { t: bound('maximum'), f: bound('exclusiveMinimum') };
      default: return fail(`unsupported operator '${op}'`);
    }
  };

  const booleanField = (n: SyntaxNode): ConditionField => {
    const field = fieldOf(n);
    if (field.valueType !== 'boolean') fail(`'${field.key}' is not a yes/no field; compare it with a value instead`);
    return field;
  };

  const expr = (node: SyntaxNode): ThreeValued => {
    const n = unwrap(node);
    switch (n.name) {
      case 'Comparison':
        return comparison(n);
      case 'Conjunction':
      case 'Disjunction': {
        const [a, , b, ...rest] = children(n);
        if (!a || !b || rest.length) return fail(`unexpected '${text(n)}'`);
        const l = expr(a);
        const r = expr(b);
        return n.name === 'Conjunction'
          ? { t: allOf([l.t, r.t]), f: anyOf([l.f, r.f]) }
          : { t: anyOf([l.t, r.t]), f: allOf([l.f, r.f]) };
      }
      case 'VariableName': {
        const { key } = booleanField(n);
        return { t: { required: [key], properties: { [key]: { const: true } } }, f: { required: [key], properties: { [key]: { const: false } } } };
      }
      case 'BooleanLiteral':
        return text(n) === 'true' ? { t: true, f: false } : { t: false, f: true };
      case 'FunctionInvocation': {
        const [fn, , params] = children(n);
        const args = params && params.name === 'PositionalParameters' ? children(params).filter((c) => c.name !== ',') : [];
        if (!fn || text(fn) !== 'not' || args.length !== 1) return fail(`the only function supported is not(e), not '${text(n)}'`);
        const inner = expr(args[0]!);
        return { t: inner.f, f: inner.t };
      }
      default:
        return fail(`unsupported ${n.name} '${text(n)}'`);
    }
  };

  // UnaryTests: [PositiveUnaryTests] or [not, (, PositiveUnaryTests, )]
  const top = children(tree.topNode);
  const negated = top[0]?.name === 'not';
  const tests = negated ? top[2] : top[0];
  if (!tests || tests.name !== 'PositiveUnaryTests' || top.length !== (negated ? 4 : 1)) {
    return fail(`unsupported condition '${source}'`);
  }
  const positive = children(tests).filter((c) => c.name === 'PositiveUnaryTest');
  if (positive.length !== 1 || children(tests).length !== 1) return fail('several comma-separated tests are not supported');
  const body = children(positive[0]!)[0] ?? fail('empty test');

  // A unary test matches when its expression is true, or null (compared with the absent input value null).
  // A bare field is the one expression whose value can be neither boolean nor null.
  const b = unwrap(body);
  let matches: JsonSchema;
  if (b.name === 'VariableName') {
    const { key } = booleanField(b);
    matches = anyOf([{ required: [key], properties: { [key]: { const: true } } }, absentOrNull(key)]);
  } else {
    matches = not(expr(body).f);
  }
  return negated ? not(matches) : matches;
}

// helpers //////////

function absentOrNull(key: string): JsonSchema {
  return { properties: { [key]: { type: 'null' } } };
}

function presentNonNull(key: string): JsonSchema {
  return { required: [key], properties: { [key]: { not: { type: 'null' } } } };
}

function not(schema: JsonSchema): JsonSchema {
  if (typeof schema === 'boolean') return !schema;
  const keys = Object.keys(schema);
  if (keys.length === 1 && keys[0] === 'not') return schema['not'] as JsonSchema;
  return { not: schema };
}

function anyOf(schemas: JsonSchema[]): JsonSchema {
  if (schemas.includes(true)) return true;
  const rest = schemas.filter((s) => s !== false);
  if (rest.length === 0) return false;
  return rest.length === 1 ? rest[0]! : { anyOf: rest };
}

function allOf(schemas: JsonSchema[]): JsonSchema {
  if (schemas.includes(false)) return false;
  const rest = schemas.filter((s) => s !== true);
  if (rest.length === 0) return true;
  return rest.length === 1 ? rest[0]! : { allOf: rest };
}

/** Combines several hide conditions (a group's and its field's): hidden when any of them hides. */
export function anyHides(schemas: JsonSchema[]): JsonSchema {
  return anyOf(schemas);
}
