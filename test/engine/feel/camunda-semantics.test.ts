import { expect } from 'chai';
import { evaluateCondition, evaluateFeel, feelSyntaxError } from '../../../engine/feel/feel.js';

/** Camunda 8.8's null rule and the places where Zeebe still fails (docs: FEEL language guide, error handling). */
describe('FEEL: Camunda 8.8 semantics (null instead of failure, failures where Zeebe has them)', () => {
  const ok = (expr: string, vars: Record<string, unknown> = {}) => {
    const r = evaluateFeel(expr, vars);
    if (!r.ok) throw new Error(r.message);
    return r;
  };

  for (const [expr, expected] of [
    ['a != null and a > 10', false],
    ['is defined(a)', false],
    ['a = null', true],
    ['x.y', null],
    ['date("2024-06-31")', null],
    ['date and time("2024-06-31T10:00:00")', null],
    ['@"2024-06-31"', null],
  ] as const) {
    it(`given no variables, when '${expr}' is evaluated, then it gives ${JSON.stringify(expected)} without failing`, () => {
      expect(ok(expr).value).to.equal(expected);
    });
  }

  it('given a missing variable, when an expression reads it, then the warning names it', () => {
    expect(ok('a + 1').warnings.join('\n')).to.contain("'a'");
  });

  it("given a gateway condition that comes out null, when evaluated as a condition, then it fails with Zeebe's message and the warnings", () => {
    const r = evaluateCondition('orderValue > 100', {});
    expect(r.ok).to.equal(false);
    const message = (r as { message: string }).message;
    expect(message).to.contain("Expected result of the expression 'orderValue > 100' to be 'BOOLEAN', but was 'NULL'.");
    expect(message).to.match(/warnings:\n\[NO_VARIABLE_FOUND\] .*orderValue/);
  });

  it('given a condition with a string where a boolean is needed, then it fails naming the type', () => {
    const r = evaluateCondition('"yes"', {});
    expect((r as { message: string }).message).to.contain("but was 'STRING'");
  });

  it('given a null-safe condition over a missing variable, then it is false and no failure', () => {
    expect(evaluateCondition('a != null and a > 10', {})).to.deep.include({ ok: true, value: false });
    expect(evaluateCondition('is defined(a) and a.b = 1', { a: { b: 1 } })).to.deep.include({ ok: true, value: true });
  });

  it("given a failed assert, then the evaluation fails with the assertion's cause", () => {
    const r = evaluateFeel('assert(x, x != null, "x is required")', {});
    expect(r.ok).to.equal(false);
    expect((r as { message: string }).message).to.contain('x is required');
  });

  for (const expr of [
    'get or else(a, 1)',
    '`first name`',
    'order.`total price`',
    '"two\nlines"',
    '@"13:30"',
    'duration("P1D") * 2',
    'fromAi(toolCall.q, "query")',
  ]) {
    it(`given '${expr.replace('\n', '\\n')}', when checked at deploy, then it is accepted`, () => {
      expect(feelSyntaxError(expr)).to.equal(null);
    });
  }

  it('given a real syntax error, when checked at deploy, then it is rejected', () => {
    expect(feelSyntaxError('a >')).to.match(/FEEL syntax error/);
  });

  it('given variables named like nothing special, when builtins are shadowed by a variable of the same name, then the variable wins (as in feelin)', () => {
    expect(ok('trim', { trim: 'x' }).value).to.equal('x');
  });

  it("given an expression that needs a rewrite (a backtick name, an is defined path), when evaluated, then the caller's variables object is left as it was", () => {
    const vars = { 'first name': 'Li', a: { b: 1 } };
    expect(ok('`first name` + " " + string(is defined(a.b))', vars).value).to.equal('Li true');
    expect(vars).to.deep.equal({ 'first name': 'Li', a: { b: 1 } });
  });

  it('given a variable whose name has a space, when an expression multiplies a duration by it, then the product is a duration (the rewrite runs with the name known)', () => {
    expect(ok('duration("P1D") * day count', { 'day count': 3 }).value).to.equal('P3D');
    expect(ok('duration("P1D") * day count', { 'day count': 2 }).value).to.equal('P2D');
  });

  it('given the same expression with and without a shadowing variable, then each evaluation sees its own variables (the per-expression cache holds no values)', () => {
    expect(ok('trim(" x ")').value).to.equal('x');
    expect(ok('is blank(s)', { s: ' ' }).value).to.equal(true);
    expect(ok('is blank(s)', { s: 'y' }).value).to.equal(false);
  });
});
