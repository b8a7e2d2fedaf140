/**
 * Citizen and operator text shown inside a form-js text component. form-js evaluates the component's template
 * and renders the result as Markdown, then sanitises the HTML: a report saying `[请重新登录](https://evil…)`
 * or `<img src=x onerror=…>` would become a live link or image in the operator's form, and parts of it would
 * vanish. A value is plain text: every ASCII punctuation character is backslash-escaped (CommonMark allows
 * that for all of them, https://spec.commonmark.org/0.31.2/#backslash-escapes), which also stops GFM's bare
 * URL and e-mail autolinks; line breaks stay line breaks (a backslash before the newline is a hard break) and
 * leading spaces cannot start a code block.
 */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
/**
 * Codes and keys (`ai_camera`, `GRID-001`, `2025…-0001`) render as themselves (an underscore inside a word is
 * no emphasis) and stay as they are: the forms' templates compare them (`get value({…}, channel)`).
 */
const CODE = /^[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$/;

export function markdownLiteral(text: string): string {
  if (CODE.test(text)) return text;
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimStart().replace(PUNCTUATION, (c) => `\\${c}`))
    .filter((line, i, lines) => line !== '' || (i > 0 && lines[i - 1] !== '')) // a blank line would start a new block
    .join('\\\n');
}
