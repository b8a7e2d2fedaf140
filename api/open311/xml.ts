/**
 * The small XML writer GeoReport v2 needs: elements only, UTF-8 declaration, text escaped. Arrays
 * repeat a child element named by {@link ITEM_TAG} (`attributes` → `attribute`, …).
 */
const ITEM_TAG: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

/** Characters XML 1.0 cannot carry at all are dropped; markup characters are escaped. */
export function escapeXml(text: string): string {
  return (
    text
      // XML 1.0 forbids these characters (and lone surrogates) in a document: they are what this removes
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function element(name: string, value: unknown, indent: string): string {
  if (value === null || value === undefined) return `${indent}<${name}></${name}>`;
  if (Array.isArray(value)) {
    const item = ITEM_TAG[name] ?? 'item';
    return `${indent}<${name}>\n${value.map((v) => element(item, v, `${indent}  `)).join('\n')}${value.length ? '\n' : ''}${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v, `${indent}  `));
    return `${indent}<${name}>\n${children.join('\n')}\n${indent}</${name}>`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A document whose root element is `root` holding `value` (an array repeats the root's item tag). */
export function xmlDocument(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}\n`;
}
