import { expect } from 'chai';
import { GroupCommit } from '../../engine/index.js';

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
  return { gc, groups, whileCommitting: (fn: () => void) => { during = fn; } };
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
    expect(groups).to.deep.equal([['req1', 'bg1', 'bg2'], ['req2', 'bg3']]);
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
