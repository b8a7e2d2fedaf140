import { XMLParser } from 'fast-xml-parser';

/**
 * Reads a GeoReport v2 XML answer as the JSON answer it stands for, so the spec's schemas
 * (georeport-v2-schemas.ts) check the XML format too. The spec's XML carries the same fields as elements:
 * a list is an element holding one repeated child element (`<service_requests><request>…`), an empty element
 * is a null field, text is typed by what the schema states there (a number, true/false). Anything that does
 * not read that way is left as it is, for the schema to refuse.
 */
type Schema = {
  type?: string | string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  enum?: unknown[];
};

const parser = new XMLParser({ parseTagValue: false, trimValues: true, ignoreDeclaration: true });

export function xmlAsJson(xml: string, schema: object): unknown {
  const doc = parser.parse(xml) as Record<string, unknown>;
  const roots = Object.keys(doc);
  if (roots.length !== 1) return doc; // not one root element: no GeoReport answer
  return read(doc[roots[0]!], schema as Schema);
}

function typesOf(schema: Schema): Set<string> {
  const own = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const nested = (schema.anyOf ?? []).flatMap((s) => [...typesOf(s)]);
  return new Set([...own, ...nested, ...(schema.enum ? ['string'] : [])]);
}

function read(node: unknown, schema: Schema): unknown {
  const types = typesOf(schema);
  if (types.has('array') && schema.items) {
    if (node === '') return []; // an empty list
    if (typeof node !== 'object' || node === null) return node;
    const children = Object.keys(node);
    if (children.length !== 1) return node; // a list holds one repeated element
    const items = (node as Record<string, unknown>)[children[0]!];
    return (Array.isArray(items) ? items : [items]).map((item) => read(item, schema.items!));
  }
  if (types.has('object') || schema.properties) {
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([name, value]) => [name, read(value, schema.properties?.[name] ?? {})]));
  }
  if (typeof node !== 'string') return node; // elements where text belongs
  if (node === '' && types.has('null')) return null;
  if (!types.has('string') && (types.has('number') || types.has('integer')) && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(node)) return Number(node);
  if (types.has('boolean') && (node === 'true' || node === 'false')) return node === 'true';
  return node;
}
