import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { GROUP_LOOP_BUDGET_MS, GroupCommit } from '../../engine/index.js';
import { openTestEngine, type TestEngine } from './support/harness.js';

/** A member that records which group committed it. */
interface Member {
  name: string;
}

function recorder(options: { lanes?: number; maxGroup?: number; take?: (lanes: Member[][]) => Member[] } = {}) {
  const groups: string[][] = [];
  let during: (() => void) | null = null;
  const gc = new GroupCommit<Member>({
    ...options,
    commit: async (group) => {
      groups.push(group.map((m) => m.name));
      // something arrives while this group "commits"
      const fn = during;
      during = null;
      fn?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
  });
  return {
    gc,
    groups,
    whileCommitting: (fn: () => void) => {
      during = fn;
    },
  };
}

describe('engine / group commit (engine/group-commit.ts, shared with the audit chain)', () => {
  it('given members submitted in one turn of the event loop, when idle, then they were committed as one group', async () => {
    const { gc, groups } = recorder();
    for (const name of ['a', 'b', 'c']) gc.submit({ name });
    expect(groups).to.deep.equal([]); // nothing starts before the next turn
    await gc.idle();
    expect(groups).to.deep.equal([['a', 'b', 'c']]);
  });

  it('given members arriving while a group commits, when idle, then they share the next group', async () => {
    const { gc, groups, whileCommitting } = recorder();
    whileCommitting(() => ['d', 'e'].forEach((name) => gc.submit({ name })));
    gc.submit({ name: 'a' });
    await gc.idle();
    expect(groups).to.deep.equal([['a'], ['d', 'e']]);
    expect(gc.waiting).to.equal(0);
  });

  it('given more members than a group holds, when idle, then they go in groups of maxGroup, oldest first', async () => {
    const { gc, groups } = recorder({ maxGroup: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) gc.submit({ name });
    await gc.idle();
    expect(groups).to.deep.equal([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('given two lanes and a take that puts lane 0 first, when idle, then each group follows that policy', async () => {
    const { gc, groups } = recorder({ lanes: 2, take: ([first, second]) => [...first!.splice(0, 1), ...second!.splice(0, 2)] });
    gc.submit({ name: 'bg1' }, 1);
    gc.submit({ name: 'bg2' }, 1);
    gc.submit({ name: 'bg3' }, 1);
    gc.submit({ name: 'req1' }, 0);
    gc.submit({ name: 'req2' }, 0);
    await gc.idle();
    expect(groups).to.deep.equal([
      ['req1', 'bg1', 'bg2'],
      ['req2', 'bg3'],
    ]);
  });

  it('given a lane that does not exist, when submitting to it, then it throws and nothing is queued', () => {
    const { gc } = recorder();
    expect(() => gc.submit({ name: 'x' }, 1)).to.throw(/no lane 1/);
    expect(gc.waiting).to.equal(0);
  });

  it('given a commit that throws, when the group runs, then onError hears it and later members still commit', async () => {
    const errors: unknown[] = [];
    const committed: string[] = [];
    const gc = new GroupCommit<Member>({
      commit: async (group) => {
        if (group.some((m) => m.name === 'bad')) throw new Error('lost connection');
        committed.push(...group.map((m) => m.name));
      },
      onError: (err) => errors.push(err),
    });
    gc.submit({ name: 'bad' });
    await gc.idle();
    gc.submit({ name: 'good' });
    await gc.idle();
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['lost connection']);
    expect(committed).to.deep.equal(['good']);
  });
});

/** holds the event loop for `ms`, as a member's statements do on better-sqlite3 */
function holdLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* spin */
  }
}

describe('engine / group commit: the loop budget (engine/loop-budget.ts)', () => {
  /** a commit honouring the contract: members in order until the budget is spent, the rest returned */
  function budgeted(work: (m: Member) => Promise<void> | void, budgetMs: number) {
    const groups: string[][] = [];
    const events: string[] = [];
    const gc = new GroupCommit<Member>({
      budgetMs,
      commit: async (group, budget) => {
        const ran: string[] = [];
        for (const m of group) {
          if (ran.length && budget.spent()) break;
          events.push(`ran ${m.name}`);
          await work(m);
          ran.push(m.name);
        }
        groups.push(ran);
        return group.slice(ran.length);
      },
    });
    return { gc, groups, events };
  }

  it('given a group whose members hold the loop past the budget, when committed, then it is split at member boundaries and a timer fires between the parts', async () => {
    const { gc, groups, events } = budgeted((m) => {
      if (m.name === 'a') setTimeout(() => events.push('timer'), 0);
      holdLoop(8);
    }, 5);
    for (const name of ['a', 'b', 'c']) gc.submit({ name });
    await gc.idle();
    expect(groups).to.deep.equal([['a'], ['b'], ['c']]);
    // the timer was due while a's work held the loop: it ran before b's group started
    expect(events.slice(0, 3)).to.deep.equal(['ran a', 'timer', 'ran b']);
  });

  it('given members that wait between them (the loop turns meanwhile), when committed, then the group is not split however long it takes', async () => {
    // a budget wide enough that the OS taking the CPU away now and then (a loaded machine) does not spend it
    const { gc, groups } = budgeted(() => new Promise((resolve) => setTimeout(resolve, 50)), 40);
    for (const name of ['a', 'b', 'c']) gc.submit({ name });
    await gc.idle();
    expect(groups).to.deep.equal([['a', 'b', 'c']]);
  });

  it('given a split group and members arriving meanwhile, when idle, then the members left over go first and nothing is lost or repeated', async () => {
    const { gc, groups } = budgeted((m) => {
      if (m.name === 'a') {
        gc.submit({ name: 'late' });
        holdLoop(8);
      }
    }, 5);
    for (const name of ['a', 'b', 'c']) gc.submit({ name });
    await gc.idle();
    expect(groups.flat()).to.deep.equal(['a', 'b', 'c', 'late']);
    expect(groups[0]).to.deep.equal(['a']);
    expect(gc.waiting).to.equal(0);
  });
});

describe('engine / command queue: a batch that holds the loop is split (engine/command-queue.ts)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  it('given commands each holding the loop longer than the budget, when queued in one turn, then each commits and is acknowledged before the next runs, and a timer fires between them', async () => {
    const events: string[] = [];
    const sqlite = t.engine.driver.dialect === 'sqlite';
    // the engine's own queue, as every public command uses it
    const command = (i: number) =>
      t.engine['command'](async () => {
        events.push(`ran ${i}`);
        if (i === 0) setTimeout(() => events.push('timer'), 0); // due while the command still holds the loop
        holdLoop(GROUP_LOOP_BUDGET_MS + 5);
        return i;
      }).then((v) => {
        events.push(`ack ${v}`);
      });
    await Promise.all([0, 1, 2].map(command));
    expect(events.filter((e) => e.startsWith('ran'))).to.deep.equal(['ran 0', 'ran 1', 'ran 2']);
    expect(events.indexOf('timer')).to.be.within(1, events.indexOf('ran 1'));
    // on SQLite nothing else lets the loop turn inside a batch: without the budget all three would share
    // one (and be acknowledged together, after the last); over MySQL each statement waits for the network,
    // the loop turns there, and the batch may stay whole. (The timer may fire before the acknowledgement:
    // a commit is answered once its fsync, off the loop, is done.)
    if (sqlite) expect(events.indexOf('ack 0')).to.be.within(1, events.indexOf('ran 1'));
  });
});
