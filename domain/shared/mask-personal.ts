/**
 * Personal numbers in free text that the public sees (the Open311 feed, the reporter's tracking page):
 * hotline notes and citizens' descriptions carry phone and ID card numbers in every form people type them.
 * Masked: mobiles (`13912345678`, `139 1234 5678`, `139-1234-5678`, `+86 139…`, `0086…`), landlines
 * (`0874-1234567`, `(0874) 123 4567`), 18- and 15-digit resident ID numbers (GB 11643: the last may be X),
 * whether typed with ASCII or full-width digits (full-width digits and separators are read as ASCII first).
 */
const FULL_WIDTH = /[\uFF10-\uFF19\uFF0B\uFF0D\uFF08\uFF09\u3000]/g;
const halfWidth = (text: string) => text.replace(FULL_WIDTH, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));

const SEP = '[ \\t.\\-]?';
/** optional +86 / 0086 / 86 prefix, then 1[3-9]x xxxx xxxx with optional separators */
const MOBILE = new RegExp(`(?<![\\dA-Za-z])((?:\\+|00)?86${SEP})?(1[3-9]\\d)${SEP}(\\d{4})${SEP}(\\d{4})(?!\\d)`, 'g');
/** 0 + area code (2–3 digits, optionally in brackets), then a 7–8 digit number, optionally split */
const LANDLINE = new RegExp(`(?<![\\dA-Za-z])(\\(?0\\d{2,3}\\)?)${SEP}(\\d{3,4})${SEP}(\\d{4})(?!\\d)`, 'g');
/** 6-digit region, 8-digit birth date, 3-digit sequence, check digit or X (18); the older 15-digit form */
const ID_CARD = /(?<![\dA-Za-z])(\d{3})\d{11}(\d{3}[\dXx])(?![\dA-Za-z])|(?<![\dA-Za-z])(\d{3})\d{8}(\d{4})(?![\dA-Za-z])/g;

export function maskPersonalNumbers(text: string): string {
  return halfWidth(text)
    .replace(ID_CARD, (_m, a18: string | undefined, z18: string | undefined, a15: string | undefined, z15: string | undefined) =>
      a18 !== undefined ? `${a18}${'*'.repeat(11)}${z18}` : `${a15}${'*'.repeat(8)}${z15}`,
    )
    .replace(MOBILE, (_m, prefix: string | undefined, head: string, _middle: string, tail: string) => `${prefix ?? ''}${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string, _middle: string, tail: string) => `${area}-****${tail}`);
}
