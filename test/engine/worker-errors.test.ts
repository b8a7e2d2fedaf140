import { expect } from 'chai';
import { Engine } from '../../engine/index.js';
import { TestClock } from '../../engine/clock.js';
import { deploy, engineTestUrl, dropEngineTables } from './support/harness.js';

describe('engine / job worker errors', () => {
  it("given a job whose instance is cancelled while its handler runs, when the handler completes it, then the error goes to the engine's onError and the process goes on", async () => {
    const { url, cleanup } = engineTestUrl();
    await dropEngineTables(url);
    const errors: unknown[] = [];
    const engine = await Engine.open({ databaseUrl: url, clock: new TestClock(Date.parse('2026-03-02T01:00:00Z')), onError: (err) => errors.push(err) });
    try {
      await deploy(engine, 'order-basic.bpmn');
      const { processInstanceKey } = await engine.createInstance({ bpmnProcessId: 'basic' });
      let release: () => void = () => undefined;
      const started = new Promise<void>((resolve) => {
        const worker = engine.createWorker({
          type: 'classify',
          handler: async () => {
            resolve();
            await new Promise<void>((r) => {
              release = r;
            });
            return { outcome: 'complete', variables: {} };
          },
        });
        void worker;
      });
      await started;
      await engine.cancelInstance(processInstanceKey);
      release();
      // without a listener the worker's 'error' event threw out of the process; now it reaches onError
      for (let i = 0; i < 50 && !errors.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors, 'the completion of a cancelled job is reported').to.have.length(1);
      expect((await engine.getInstance(processInstanceKey))!.state).to.not.equal('ACTIVE');
    } finally {
      await engine.close();
      cleanup();
    }
  });
});
