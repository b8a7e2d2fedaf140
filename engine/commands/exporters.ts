import { putMeta, readMeta } from '../store/meta.js';
import type { CommandContext } from './context.js';

/** Readers of the history stream (exporters) keep their position in `eng_meta`, as `exporter:<name>`. */

export async function exporterPosition(ctx: CommandContext, name: string): Promise<number> {
  const value = await readMeta(ctx.driver, `exporter:${name}`);
  return value ? Number(value) : 0;
}

export async function saveExporterPosition(ctx: CommandContext, name: string, position: number): Promise<void> {
  await ctx.command(async () => putMeta(ctx.driver, `exporter:${name}`, String(position)));
}
