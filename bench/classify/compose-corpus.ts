/**
 * Writes db/demo/classify_examples.csv, the shipped training corpus: each hand-written phrase of
 * phrases-train.ts is said three ways, as the three channels write — a hotline operator's transcript
 * (市民来电反映…), a WeChat 随手拍 message (colloquial, with typical typing slips) and a grid worker's
 * terse note — placed in the demo district. Then the reports of examples-written.tsv are appended as they are:
 * written one by one in the three channels' styles (no template, colloquial words people really use), so
 * the model does not learn the templates' scaffolding. Deterministic (seeded), so the CSV is reproducible:
 *   npx tsx bench/classify/compose-corpus.ts
 * The CSV, not this script, is the data the system reads (and operators' decisions add to it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { TRAIN_PHRASES } from './phrases-train.js';

let seed = 20260513;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const PLACES = [
  '文昌社区',
  '九龙社区',
  '望海社区',
  '滨江社区',
  '玉龙社区',
  '红星社区',
  '龙华社区',
  '龙泉社区',
  '清河社区',
  '太平社区',
  '华林社区',
  '金龙社区',
  '大营社区',
  '桃园社区',
  '云龙社区',
  '东海社区',
  '兴源社区',
  '十里铺社区',
  '松林社区',
  '湖滨社区',
  '白水镇',
  '盘江镇',
  '炎方乡',
  '菱角乡',
  '播乐乡',
  '德泽乡',
  '大坡乡',
  '西平街道',
  '花山街道',
  '龙华街道',
  '金龙街道',
  '方城社区',
  '尖山社区',
  '王官村',
  '大德村',
  '河西村',
  '龙凤村',
  '中村村',
  '热水村',
  '富冲村',
  '来远村',
  '青山村',
  '五拐村',
  '黎山村',
  '赤章村',
];
const NEAR = [
  '我家楼下',
  '小区门口',
  '菜市场旁边',
  '学校对面',
  '十字路口',
  '我们村口',
  '超市门口',
  '单元门口',
  '河边',
  '老街上',
  '医院旁边',
  '火车站附近',
  '公园里',
  '桥头',
  '巷子里',
];
const LANDMARKS = ['红星农贸市场', '龙华农贸市场', '沾益火车站', '花山湖', '区人民医院', '第一中学', '白水集贸市场', '工业园区', '中医医院', '第二中学'];

const HOTLINE_HEAD = ['市民来电反映：', '来电人称', '市民反映，', '群众来电：', '来电反映', '12345转办：市民反映'];
const HOTLINE_TAIL = [
  '，请相关部门尽快处理。',
  '，希望尽快解决。',
  '，已多次反映未果，请核实处理。',
  '，要求处理。',
  '。来电人要求回复。',
  '，存在安全隐患，请处理。',
];
const WECHAT_TAIL = [
  '，有没有人管管啊',
  '！！',
  '，麻烦处理一下谢谢',
  '，好几天了',
  '。。。',
  '，拍了照片你们看',
  '，太危险了',
  '',
  '，咋整',
  '，赶紧来看看吧',
];
const GRID_TAIL = ['，已拍照', '，已现场核实', '，需协调处理', '', '，请派单', '，已告知当事人'];

/** Slips people make typing pinyin on a phone (homophones, dropped or doubled characters). */
const SLIPS: Array<[RegExp, string]> = [
  [/垃圾/g, '拉圾'],
  [/已经/g, '以经'],
  [/在/g, '再'],
  [/的/g, '滴'],
  [/噪/g, '燥'],
  [/现在/g, '现再'],
  [/井盖/g, '井该'],
  [/没人/g, '莫人'],
  [/什么/g, '神马'],
  [/好几天/g, '好几天了都'],
  [/这/g, '着'],
  [/厕所/g, '侧所'],
  [/漏/g, '露'],
];
function slip(text: string): string {
  let out = text;
  for (const [from, to] of SLIPS) if (from.test(out) && rand() < 0.35) out = out.replace(from, to);
  return out;
}
/** A grid worker's note drops the particles and colloquial padding. */
const terse = (p: string) => p.replace(/了|啊|呢|吧|好几天|得很|死人|一直|天天/g, '').replace(/没人管/g, '无人处置');

function forType(code: string, phrase: string): Array<{ channel: string; text: string }> {
  const place = pick(PLACES);
  const dispatchable = !code.startsWith('NONE-');
  if (!dispatchable) {
    return [
      { channel: 'hotline', text: `${pick(['来电人', '市民来电', '群众来电'])}：${phrase}` },
      { channel: 'wechat', text: slip(phrase + pick(['', '？', '。。', '！'])) },
      { channel: 'hotline', text: `${phrase}${pick(['', '，谢谢', '，麻烦了'])}` },
    ];
  }
  return [
    { channel: 'hotline', text: `${pick(HOTLINE_HEAD)}${place}${pick(['', pick(LANDMARKS) + '附近', pick(NEAR)])}${phrase}${pick(HOTLINE_TAIL)}` },
    { channel: 'wechat', text: slip(`${pick(NEAR)}${phrase}${pick(WECHAT_TAIL)}`) },
    { channel: 'grid', text: `${place}${pick(['', '第' + (1 + Math.floor(rand() * 5)) + '网格', pick(LANDMARKS)])}：${terse(phrase)}${pick(GRID_TAIL)}` },
  ];
}

const rows: string[] = ['code,text,label,channel,source'];
let n = 0;
const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
for (const [label, phrases] of Object.entries(TRAIN_PHRASES)) {
  for (const phrase of phrases) {
    for (const { channel, text } of forType(label, phrase)) {
      rows.push([`EX-${String(++n).padStart(5, '0')}`, quote(text), label, channel, 'corpus'].join(','));
    }
  }
}
// Appended after the templated rows so that the templated rows keep their codes.
const written = readFileSync(new URL('./examples-written.tsv', import.meta.url), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean);
for (const line of written) {
  const [label, channel, text] = line.split('\t');
  if (!label || !channel || !text) throw new Error(`examples-written.tsv: bad line 「${line}」`);
  rows.push([`EX-${String(++n).padStart(5, '0')}`, quote(text), label, channel, 'corpus'].join(','));
}
writeFileSync(new URL('../../db/demo/classify_examples.csv', import.meta.url), rows.join('\n') + '\n');
console.log(`${n} examples written`);
