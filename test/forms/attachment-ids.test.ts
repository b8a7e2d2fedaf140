import { expect } from 'chai';
import { ATTACHMENT_IDS_PATTERN, parseAttachmentIds } from '../../domain/forms/index.js';

describe('forms / photo fields as attachment-id lists', () => {
  const cases: Array<[string, string | null, string[]]> = [
    ['nothing', null, []],
    ['an empty field', '', []],
    ['blanks', '   ', []],
    ['one id', '101', ['101']],
    ['ids with spaces', ' 101 , 102 ', ['101', '102']],
    ['a full-width comma (Chinese input method)', '101，102', ['101', '102']],
    ['a repeated id', '101,101,102', ['101', '102']],
    ['leading zeros', '007,0', ['7', '0']],
    ['a 19-digit BIGINT', '9223372036854775807', ['9223372036854775807']],
  ];
  for (const [what, text, ids] of cases) {
    it(`given ${what}, when parsed, then the ids are ${JSON.stringify(ids)}`, () => {
      expect(parseAttachmentIds(text)).to.deep.equal(ids);
    });
  }

  for (const bad of ['a.jpg', '101,', ',101', '101;102', '1 2', '12345678901234567890', '-1']) {
    it(`given '${bad}', when parsed, then it is refused like the form's pattern refuses it`, () => {
      expect(new RegExp(ATTACHMENT_IDS_PATTERN, 'u').test(bad)).to.equal(false);
      expect(() => parseAttachmentIds(bad)).to.throw(/not a list of attachment ids/);
    });
  }
});
