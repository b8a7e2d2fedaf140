import { open311ClientBody, open311ClientParams, open311ClientSchema } from './open311-client-routes.js';
import { open311CommonQuery, open311ListQuery, open311PostBody } from './open311-routes.js';

type Schema = Record<string, unknown>;

/** Open311 lives at the root, not under /api: each of its paths overrides the document's server. */
const servers = [{ url: '/open311/v2', description: 'Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2)' }];
const tags = ['Open311 GeoReport v2'];
const formatParam = {
  name: 'format',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: ['json', 'xml'] },
  description: 'json or xml (XML elements carry the same fields as text)',
};
const query = (schema: { properties: Record<string, Schema> }) =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
const pathParam = (name: string, schema: Schema) => ({ name, in: 'path', required: true, schema });

const nullableString = { type: 'string', nullable: true };
const errors = {
  type: 'array',
  items: {
    type: 'object',
    required: ['code', 'description'],
    properties: { code: { type: 'integer', description: 'the HTTP status' }, description: { type: 'string' } },
  },
};
const service = {
  type: 'object',
  properties: {
    service_code: { type: 'string', description: 'event type code of the catalogue' },
    service_name: { type: 'string' },
    description: { type: 'string' },
    metadata: { type: 'boolean', description: 'true: GET services/{service_code} lists attributes' },
    type: { type: 'string', enum: ['realtime'] },
    keywords: { type: 'string', description: 'comma-separated' },
    group: { type: 'string', description: 'the category (大类)' },
  },
};
const definition = {
  type: 'object',
  properties: {
    service_code: { type: 'string' },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          variable: { type: 'boolean' },
          code: { type: 'string' },
          datatype: { type: 'string', enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
          required: { type: 'boolean' },
          datatype_description: { type: 'string' },
          order: { type: 'integer' },
          description: { type: 'string' },
          values: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, name: { type: 'string' } } } },
        },
      },
    },
  },
};
const posted = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      service_request_id: { type: 'string', description: 'the case number' },
      token: { type: 'string' },
      service_notice: { type: 'string' },
      account_id: nullableString,
    },
  },
};
const request = {
  type: 'object',
  properties: {
    service_request_id: { type: 'string' },
    status: { type: 'string', enum: ['open', 'closed'] },
    status_notes: { type: 'string' },
    service_name: nullableString,
    service_code: nullableString,
    description: { type: 'string' },
    agency_responsible: nullableString,
    service_notice: nullableString,
    requested_datetime: { type: 'string', format: 'date-time' },
    updated_datetime: { type: 'string', format: 'date-time' },
    expected_datetime: { type: 'string', format: 'date-time', nullable: true },
    address: nullableString,
    address_id: { type: 'string', nullable: true, description: 'grid (网格) code' },
    zipcode: nullableString,
    lat: { type: 'number', nullable: true },
    long: { type: 'number', nullable: true },
    media_url: nullableString,
  },
};
const tokenReply = { type: 'array', items: { type: 'object', properties: { service_request_id: { type: 'string' }, token: { type: 'string' } } } };

const ok = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema }, 'text/xml': { schema: { type: 'string' } } } });
const fail = (description: string) => ({
  description,
  content: {
    'application/json': { schema: errors },
    'text/xml': { schema: { type: 'string', description: '<errors><error><code/><description/></error></errors>' } },
  },
});

const errorRef = { $ref: '#/components/schemas/Error' };
const apiErr = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });
const auth = [{ bearer: [] }];

/** The Open311 paths and the admin endpoints of its API clients, for the OpenAPI document. */
export function open311ApiPaths(): Record<string, Schema> {
  return {
    '/services.{format}': {
      servers,
      get: {
        tags,
        summary: 'the service list: one realtime service per active event type',
        parameters: [formatParam, ...query(open311CommonQuery)],
        responses: { '200': ok({ type: 'array', items: service }), '400': fail('unknown parameter'), '404': fail('jurisdiction_id not found') },
      },
    },
    '/services/{service_code}.{format}': {
      servers,
      get: {
        tags,
        summary: 'a service definition with its attributes',
        parameters: [pathParam('service_code', { type: 'string' }), formatParam, ...query(open311CommonQuery)],
        responses: { '200': ok(definition), '404': fail('service_code or jurisdiction_id not found') },
      },
    },
    '/requests.{format}': {
      servers,
      get: {
        tags,
        summary: 'service requests: by ids, or by service_code, dates (default the last 90 days, at most 90 days) and status; newest first, at most 1000',
        description:
          'Paging extension: when more requests match than one page holds, the answer carries `Link: </open311/v2/requests.{format}?…&after=…>; rel="next"`; the body keeps the GeoReport v2 schema. `page_size` (1–1000) sets the page size.',
        parameters: [formatParam, ...query(open311ListQuery)],
        responses: {
          '200': {
            ...ok({ type: 'array', items: request }),
            headers: { Link: { description: 'RFC 8288 link to the next page (rel="next"), absent on the last page', schema: { type: 'string' } } },
          },
          '400': fail('bad filter, date or cursor (after)'),
          '404': fail('jurisdiction_id not found'),
        },
      },
      post: {
        tags,
        summary: 'file a service request (a case on the open311 channel); api_key required; rate-limited',
        parameters: [formatParam, ...query(open311CommonQuery)],
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: open311PostBody }, 'application/json': { schema: open311PostBody } },
          description:
            'form fields as in the spec; attribute answers as attribute[code]=value (attribute[code][]=value for multi-value lists), or in JSON as attribute: {code: value}',
        },
        responses: {
          '201': ok(posted, 'filed'),
          '400': fail('invalid request, unknown service_code, attribute or address_id'),
          '403': fail('api_key not provided, invalid or disabled'),
          '404': fail('jurisdiction_id not found'),
          '413': fail('body over 64 KB'),
          '415': fail('neither form-encoded nor JSON'),
          '429': fail('rate limited'),
        },
      },
    },
    '/requests/{service_request_id}.{format}': {
      servers,
      get: {
        tags,
        summary: 'one service request',
        parameters: [pathParam('service_request_id', { type: 'string' }), formatParam, ...query(open311CommonQuery)],
        responses: { '200': ok({ type: 'array', items: request }), '404': fail('unknown service_request_id') },
      },
    },
    '/tokens/{token}.{format}': {
      servers,
      get: {
        tags,
        summary: 'the service request filed with this token',
        parameters: [pathParam('token', { type: 'string' }), formatParam, ...query(open311CommonQuery)],
        responses: { '200': ok(tokenReply), '404': fail('unknown token') },
      },
    },
    '/admin/open311-clients': {
      get: {
        summary: 'Open311 API clients (admin, auditor); never the key',
        security: auth,
        responses: {
          '200': { description: 'OK', content: { 'application/json': { schema: { type: 'array', items: open311ClientSchema } } } },
          '401': apiErr('not logged in'),
          '403': apiErr('role not allowed'),
        },
      },
      post: {
        summary: 'register an Open311 API client (admin); the api key is in this answer only',
        security: auth,
        requestBody: { required: true, content: { 'application/json': { schema: open311ClientBody } } },
        responses: {
          '201': {
            description: 'created',
            content: {
              'application/json': { schema: { ...open311ClientSchema, properties: { ...open311ClientSchema.properties, apiKey: { type: 'string' } } } },
            },
          },
          '400': apiErr('invalid input'),
          '401': apiErr('not logged in'),
          '403': apiErr('role not allowed'),
        },
      },
    },
    '/admin/open311-clients/{id}/disable': {
      post: {
        summary: 'disable an Open311 API client (admin); its key stops working',
        security: auth,
        parameters: [pathParam('id', open311ClientParams.properties.id)],
        responses: {
          '200': { description: 'OK', content: { 'application/json': { schema: open311ClientSchema } } },
          '400': apiErr('bad id'),
          '401': apiErr('not logged in'),
          '403': apiErr('role not allowed'),
          '404': apiErr('no such client'),
        },
      },
    },
  };
}
