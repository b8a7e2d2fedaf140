import { EngineError } from '../errors.js';
import type { SqlDriver } from '../store/driver.js';
import { getMeta, insertMeta, updateMeta } from '../store/meta.js';

/**
 * Zeebe-style 64-bit keys as decimal strings: partition 1 occupies the top bits, so keys look
 * like Zeebe's (2251799813685249…) and sort by creation when compared as equal-length strings.
 * Keys are reserved in blocks committed before use, so a crash never hands out a key twice.
 */
const BASE = 2251799813685248n; // 1 << 51
const BLOCK = 1_000_000n;
const LOW_WATER = 100_000n;

export class KeyGenerator {
  private next = 0n;
  private limit = 0n;

  constructor(private readonly driver: SqlDriver) {}

  /** Called outside any transaction, before a batch: makes sure plenty of keys are reserved. */
  async reserve(): Promise<void> {
    if (this.limit - this.next > LOW_WATER) return;
    const stored = await getMeta(this.driver, 'next_key_block');
    const start = stored !== undefined ? BigInt(stored) : BASE + 1n;
    const end = start + BLOCK;
    if (stored !== undefined) await updateMeta(this.driver, 'next_key_block', end.toString());
    else await insertMeta(this.driver, 'next_key_block', end.toString());
    // keys left in the old block are skipped: harmless, and keeps ordering monotonic
    this.next = start;
    this.limit = end;
  }

  nextKey(): string {
    // a command that needs this many keys loops without a wait state (e.g. a recursion fanning out through call
    // activities): refuse it whole, as Zeebe rejects a command whose follow-up records exceed a batch
    if (this.next >= this.limit) {
      throw new EngineError(
        'INVALID_STATE',
        `the command used up its reserved keys (${LOW_WATER} at least) without reaching a wait state (an endless loop in the process?); nothing of it was kept`,
      );
    }
    return (this.next++).toString();
  }
}
