/**
 * npx tsx bench/feel-bench.ts [worktree…] — CPU time per FEEL evaluation over every expression of the shipped
 * processes (processes/*.bpmn: conditions, mappings, timers, assignments), with variables of a running case.
 * Given several worktrees (e.g. a detached worktree of main and this one), their engine/feel/feel.ts are loaded
 * into the same process and measured in alternating rounds: the same JIT, GC and machine load for each, so the
 * comparison holds on a busy machine where wall-clock benchmarks swing by ±25 %. Prints one line per worktree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Evaluate = (expression: string, variables: Record<string, unknown>) => { ok: boolean };

const here = resolve(import.meta.dirname, '..');
const roots = process.argv.length > 2 ? process.argv.slice(2).map((r) => resolve(r)) : [here];
const ROUNDS = Number(process.env['ROUNDS'] ?? 6);
const PASSES = Number(process.env['PASSES'] ?? 300);

/** Every `=…` FEEL text of the shipped processes, XML entities decoded. */
function shippedExpressions(): string[] {
  const dir = join(here, 'processes');
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bpmn'))) {
    const xml = readFileSync(join(dir, file), 'utf8');
    for (const m of xml.matchAll(/"=([^"]*)"|>=([^<]*)</g)) {
      const text = (m[1] ?? m[2]!)
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
        .trim();
      if (text) found.add(text);
    }
  }
  return [...found];
}

/** Variables of a case half-way through handling; some expressions' names are missing on purpose (null rule). */
const variables: Record<string, unknown> = {
  caseId: '202406010001',
  unit: 'D-CGJ',
  unitCode: 'D-CGJ',
  priority: 3,
  routeSure: true,
  filed: false,
  duplicateOfCaseId: null,
  handleOutcome: 'return',
  verified: true,
  satisfied: true,
  returnApproved: false,
  extensionApproved: false,
  acceptDueAt: '2024-06-01T10:00:00+08:00',
  acceptWarnAt: '2024-06-01T09:30:00+08:00',
  handleDueAt: '2024-06-03T18:00:00+08:00',
  handleWarnAt: '2024-06-03T12:00:00+08:00',
  stageDueAt: '2024-06-03T18:00:00+08:00',
  stageWarnAt: '2024-06-03T12:00:00+08:00',
  title: '占道经营',
  description: '人行道上有流动摊贩占道经营，影响通行。'.repeat(4),
};

const expressions = shippedExpressions();
const impls: Evaluate[] = [];
for (const root of roots) impls.push(((await import(join(root, 'engine/feel/feel.ts'))) as { evaluateFeel: Evaluate }).evaluateFeel);

const run = (evaluate: Evaluate): void => {
  for (let p = 0; p < PASSES; p++) for (const e of expressions) evaluate(e, variables);
};
impls.forEach(run); // warm-up: JIT, and the per-expression caches of the version that has them
const cpu: number[][] = roots.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? [...impls.keys()].reverse() : [...impls.keys()];
  for (const i of order) {
    const c0 = process.cpuUsage();
    run(impls[i]!);
    const c = process.cpuUsage(c0);
    cpu[i]!.push((c.user + c.system) / (PASSES * expressions.length));
  }
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(`${expressions.length} expressions of processes/*.bpmn, ${PASSES} passes × ${ROUNDS} alternating rounds`);
roots.forEach((root, i) => {
  console.log(`${root}: median ${median(cpu[i]!).toFixed(1)} µs CPU per evaluation (rounds: ${cpu[i]!.map((x) => x.toFixed(1)).join(', ')})`);
});
