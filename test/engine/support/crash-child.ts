/**
 * The engine under load, to be killed with SIGKILL by test/engine/crash.test.ts. It creates
 * instances, publishes their messages ahead of time (buffered), and completes jobs with
 * in-process workers. Every acknowledged creation is printed as `ack <ref> <instanceKey>`.
 * With DRAIN=1 it creates nothing and runs until every instance has completed.
 */
import { readFileSync } from 'node:fs';
import { Engine } from '../../../engine/index.js';

const url = process.env['ENGINE_URL']!;
const drain = process.env['DRAIN'] === '1';
const start = Number(process.env['START_REF'] ?? 0);

const engine = await Engine.open({ databaseUrl: url });
await engine.deploy([{ name: 'crash-case.bpmn', xml: readFileSync(new URL('../bpmn/crash-case.bpmn', import.meta.url), 'utf8') }]);
for (const type of ['crash-a', 'crash-b']) {
  engine.createWorker({
    type,
    timeoutMs: 1500, // short, so jobs held by a killed worker come back quickly
    maxJobsActive: 16,
    handler: async (job) => {
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      return { outcome: 'complete', variables: { [`done_${job.elementId}`]: true } };
    },
  });
}
console.log('ready');

if (drain) {
  for (;;) {
    const active = await engine.listInstances({ state: 'ACTIVE', limit: 1 });
    if (!active.length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log('drained');
  await engine.close();
  process.exit(0);
}

for (let ref = start; ; ref++) {
  // publish first: the message waits in the buffer until the instance reaches its receive task
  await engine.publishMessage({ name: 'go', correlationKey: `ref-${ref}`, timeToLiveMs: 3_600_000, variables: { via: 'buffer' } });
  const { processInstanceKey } = await engine.createInstance({ bpmnProcessId: 'crash-case', variables: { ref: `ref-${ref}` } });
  console.log(`ack ${ref} ${processInstanceKey}`);
  if (ref % 5 === 0) await new Promise((r) => setTimeout(r, 5));
}
