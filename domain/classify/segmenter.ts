import { createRequire } from 'node:module';
import type { Jieba as JiebaType } from '@node-rs/jieba';

/**
 * Chinese word segmentation (jieba, in-process, offline) with the catalogue's words and the
 * district's place names added as a user dictionary, so 「污水井盖」 or 「文昌社区」 come out whole.
 * The base dictionary is loaded once per process (~50 ms); a segmenter per vocabulary is cheap.
 */
const require = createRequire(import.meta.url);
let base: { Jieba: typeof JiebaType; dict: Uint8Array } | null = null;
function jieba(): { Jieba: typeof JiebaType; dict: Uint8Array } {
  if (!base) {
    const { Jieba } = require('@node-rs/jieba') as { Jieba: typeof JiebaType };
    const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
    base = { Jieba, dict };
  }
  return base;
}

export class Segmenter {
  private readonly cutter: JiebaType;

  constructor(userWords: readonly string[]) {
    const { Jieba, dict } = jieba();
    this.cutter = Jieba.withDict(dict);
    const words = [...new Set(userWords.map((w) => w.trim()).filter((w) => w.length >= 2 && !/\s/.test(w)))];
    // a high frequency makes jieba keep a user word whole rather than split it by the base dictionary
    if (words.length) this.cutter.loadDict(Buffer.from(words.map((w) => `${w} 100000 n`).join('\n'), 'utf8'));
  }

  cut(text: string): string[] {
    return this.cutter.cut(text, true);
  }
}
