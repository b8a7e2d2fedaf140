/** A deployed decision requirements graph (one `.dmn` file), as parsed and validated at deploy. */
export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export type DecisionTable = {
  kind: 'decisionTable';
  hitPolicy: HitPolicy;
  aggregation: Aggregation | null;
  inputs: Array<{ id: string; label: string | null; expression: string }>;
  /** `name` is the result's key; `values` the output values in priority order (PRIORITY / OUTPUT ORDER), FEEL unary tests */
  outputs: Array<{ id: string; name: string | null; label: string | null; values: string | null }>;
  rules: Array<{ id: string; index: number; inputEntries: string[]; outputEntries: string[] }>;
};
export type LiteralExpression = { kind: 'literalExpression'; expression: string };

export type Decision = {
  id: string;
  name: string | null;
  /** the name of the result (a required decision's result is visible under its decision id, as in Camunda) */
  variableName: string;
  requires: string[];
  /** `zeebe:versionTag` of the decision (bindingType="versionTag" picks the version carrying it) */
  versionTag: string | null;
  logic: DecisionTable | LiteralExpression;
};

export type DeployedDrg = {
  id: string;
  name: string | null;
  decisions: Record<string, Decision>;
};

export type DeployProblem = { elementId: string; message: string };

export type MatchedRule = { ruleId: string; ruleIndex: number; outputs: Record<string, unknown> };
export type EvaluatedDecision = {
  decisionId: string;
  decisionName: string | null;
  decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  inputs: Array<{ inputId: string; inputName: string | null; value: unknown }>;
  matchedRules: MatchedRule[];
  result: unknown;
};
export type DecisionResult = {
  decisionId: string;
  result: unknown;
  /** every decision evaluated, required ones first and the called one last, with the rules that matched (for the audit) */
  evaluatedDecisions: EvaluatedDecision[];
};
