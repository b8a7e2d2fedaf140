import { parseUnaryTests, unaryTest } from 'feelin';

/** What a hide condition may know about a form field it reads. */
export interface ConditionField {
  key: string;
  /** The JSON type of the field's value (a list for checklist and taglist). */
  valueType: 'string' | 'number' | 'boolean' | 'list';
  /** The only values the field can take (static radio/select options), if known. */
  values?: readonly unknown[];
}

/** A `conditional.hide` the server cannot check as the browser evaluates it. */
export class HideConditionError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`hide condition '${expression}': ${reason}`);
    this.name = 'HideConditionError';
  }
}

type SyntaxNode = ReturnType<typeof parseUnaryTests>['topNode'];

/**
 * Checks a form-js `conditional.hide` expression (`=…`) when a form is deployed, so that the server, which
 * evaluates it on the submission alone ({@link isHidden}), decides as the browser does:
 * - it parses as FEEL unary tests;
 * - every name it reads is an always-shown input field of the same form (the browser also sees the task's
 *   variables, which the submission does not carry, and a field hidden by its own condition is cleared);
 * - a field compared with a literal is compared with a value it can hold (an option of a radio, a boolean
 *   for a checkbox, a number for a number field): `outcome != "retrun"` is a typo that would hide for ever.
 * Any FEEL construct is allowed otherwise: feelin evaluates it, as form-js does.
 */
export function checkHideCondition(expression: string, fields: ReadonlyMap<string, ConditionField>): void {
  const fail = (reason: string): never => {
    throw new HideConditionError(expression, reason);
  };
  if (typeof expression !== 'string' || !expression.trim().startsWith('=')) fail('a condition is a FEEL expression starting with "="');
  const source = expression.trim().slice(1);
  if (!source.trim()) fail('the expression is empty');
  const tree = parseUnaryTests(source, Object.fromEntries([...fields.keys()].map((k) => [k, null])), undefined);
  const text = (n: SyntaxNode) => source.slice(n.from, n.to);
  const bound = new Set<string>();
  tree.iterate({
    enter(node) {
      if (node.type.isError) fail(`syntax error at position ${node.from + 1}`);
      // names a `some`/`every`/`for` binds are not fields
      if (node.name === 'Name' && node.node.parent?.name === 'InExpression') bound.add(text(node.node));
    },
  });
  tree.iterate({
    enter(node) {
      const n = node.node;
      if (n.name === 'VariableName') {
        if (n.parent?.name === 'FunctionInvocation' && n.parent.firstChild?.from === n.from) return; // a function's name
        if (n.parent?.name === 'PathExpression' && n.parent.firstChild?.from !== n.from) return; // `.b` of `a.b`
        const name = text(n);
        if (!fields.has(name) && !bound.has(name)) {
          fail(`'${name}' is not an always-shown input field of this form (process variables and conditionally shown fields are not in the submission)`);
        }
      }
      if (n.name === 'Comparison') checkComparison(n);
    },
  });

  function literalOf(n: SyntaxNode): { value: unknown } | undefined {
    while (n.name === 'ParenthesizedExpression' && n.firstChild?.nextSibling) n = n.firstChild.nextSibling;
    switch (n.name) {
      case 'StringLiteral':
        try {
          return { value: JSON.parse(text(n)) as string };
        } catch {
          return undefined;
        }
      case 'NumericLiteral':
        return { value: Number(text(n)) };
      case 'BooleanLiteral':
        return { value: text(n) === 'true' };
      default:
        return undefined;
    }
  }

  function checkComparison(n: SyntaxNode): void {
    const left = n.firstChild;
    const op = left?.nextSibling;
    const right = op?.nextSibling;
    if (!left || !right || op?.name !== 'CompareOp') return;
    const [varNode, literal] =
      left.name === 'VariableName' ? [left, literalOf(right)] : right.name === 'VariableName' ? [right, literalOf(left)] : [null, undefined];
    if (!varNode || !literal) return;
    const field = fields.get(text(varNode));
    if (!field) return;
    const shown = JSON.stringify(literal.value);
    if (field.values && !field.values.includes(literal.value))
      fail(`${shown} is not one of the options of '${field.key}' (${field.values.map((v) => JSON.stringify(v)).join(', ')})`);
    if (!field.values && field.valueType !== 'string' && typeof literal.value !== field.valueType)
      fail(`'${field.key}' holds a ${field.valueType}, not ${shown}`);
  }
}

/**
 * Is a field hidden, as form-js decides it: hidden when any of its conditions (its own and its groups')
 * holds, and a condition holds when feelin's `unaryTest` of it on the form's data is `true`
 * (form-js ConditionChecker). FEEL's null, e.g. a comparison with a missing value, counts as a match there.
 */
export function isHidden(conditions: readonly string[], data: Record<string, unknown>): boolean {
  return conditions.some((condition) => unaryTest(condition.trim().slice(1), data).value === true);
}
