/** Where the engine reads the time. Tests use a TestClock and move it by days in milliseconds. */
export interface Clock {
  now(): number;
  /** Registered by the engine: called after the clock jumps, so due timers fire. */
  onAdvance?(listener: () => Promise<void>): void;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

export class TestClock implements Clock {
  private listeners: Array<() => Promise<void>> = [];
  constructor(private current: number = Date.parse('2026-03-02T01:00:00Z')) {}

  now(): number {
    return this.current;
  }

  onAdvance(listener: () => Promise<void>): void {
    this.listeners.push(listener);
  }

  /** Moves time forward and waits until the engine has processed everything that came due. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError('a clock only moves forward');
    this.current += ms;
    for (const l of this.listeners) await l();
  }

  async set(instant: Date | number): Promise<void> {
    const t = typeof instant === 'number' ? instant : instant.getTime();
    await this.advance(Math.max(0, t - this.current));
  }
}
