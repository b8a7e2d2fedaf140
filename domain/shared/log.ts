/**
 * The little a domain service or worker needs from a logger. pino's Logger fits it, and so does a
 * test double that collects lines; the domain does not depend on pino itself.
 */
export interface Log {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/** A logger that drops everything (the default where nobody asked to hear). */
export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** A logger that keeps its lines in memory, for tests. */
export function memoryLog(): Log & { lines: Array<{ level: string; msg?: string | undefined; obj: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg?: string | undefined; obj: Record<string, unknown> }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push({ level, msg, obj });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
