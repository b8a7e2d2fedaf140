/**
 * JSON Schemas of the GeoReport v2 answers, written from the specification's text
 * (https://wiki.open311.org/GeoReport_v2 and https://wiki.open311.org/Service_discovery): the fields each
 * resource lists, the types and enumerations it states, which fields are optional. Strings the spec leaves
 * free are strings; "may be null"/empty fields allow null. Field order is not part of the spec.
 */
const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const dateTime = { type: 'string', format: 'date-time' };
const dateTimeOrNull = { anyOf: [dateTime, { type: 'null' }] };

/** "Service Discovery": changeset, contact, key_service, endpoints with specification, url, changeset, type (production|test|…), formats. */
export const discoverySchema = {
  type: 'object',
  required: ['changeset', 'contact', 'key_service', 'endpoints'],
  additionalProperties: false,
  properties: {
    changeset: dateTime,
    contact: str,
    key_service: str,
    endpoints: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['specification', 'url', 'changeset', 'type', 'formats'],
        additionalProperties: false,
        properties: {
          specification: { type: 'string', format: 'uri' },
          url: { type: 'string', format: 'uri' },
          changeset: dateTime,
          type: { enum: ['production', 'test'] },
          formats: { type: 'array', minItems: 1, items: { enum: ['text/xml', 'application/json'] } },
        },
      },
    },
  },
};

/** "GET Service List": service_code, service_name, description, metadata (true/false), type (realtime|batch|blackbox), keywords, group. */
export const serviceListSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['service_code', 'service_name', 'metadata', 'type'],
    additionalProperties: false,
    properties: {
      service_code: str,
      service_name: str,
      description: strOrNull,
      metadata: { type: 'boolean' },
      type: { enum: ['realtime', 'batch', 'blackbox'] },
      keywords: strOrNull,
      group: strOrNull,
    },
  },
};

/** "GET Service Definition": service_code, attributes[] of variable, code, datatype, required, datatype_description, order, description, values[key,name]. */
export const serviceDefinitionSchema = {
  type: 'object',
  required: ['service_code', 'attributes'],
  additionalProperties: false,
  properties: {
    service_code: str,
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['variable', 'code', 'datatype', 'required', 'order', 'description'],
        additionalProperties: false,
        properties: {
          variable: { type: 'boolean' },
          code: str,
          datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
          required: { type: 'boolean' },
          datatype_description: strOrNull,
          order: { type: 'integer', minimum: 0 },
          description: str,
          values: {
            type: 'array',
            items: { type: 'object', required: ['key', 'name'], additionalProperties: false, properties: { key: { type: ['string', 'number'] }, name: str } },
          },
        },
      },
    },
  },
};

/** "POST Service Request" answer: service_request_id OR token (one, not both), service_notice, account_id (a string when there is one). */
export const postAnswerSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    properties: { service_request_id: str, token: str, service_notice: strOrNull, account_id: str },
    oneOf: [
      { required: ['service_request_id'], not: { required: ['token'] } },
      { required: ['token'], not: { required: ['service_request_id'] } },
    ],
  },
};

/** "GET service_request_id from a token": service_request_id (may be empty while pending) and token. */
export const tokenAnswerSchema = {
  type: 'array',
  items: { type: 'object', required: ['token'], additionalProperties: false, properties: { service_request_id: strOrNull, token: str } },
};

/** "GET Service Requests" / "GET Service Request": the fields of a request; status open|closed. */
export const requestsSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['service_request_id', 'status', 'requested_datetime'],
    additionalProperties: false,
    properties: {
      service_request_id: str,
      status: { enum: ['open', 'closed'] },
      status_notes: strOrNull,
      service_name: strOrNull,
      service_code: strOrNull,
      description: strOrNull,
      agency_responsible: strOrNull,
      service_notice: strOrNull,
      requested_datetime: dateTime,
      updated_datetime: dateTimeOrNull,
      expected_datetime: dateTimeOrNull,
      address: strOrNull,
      address_id: strOrNull,
      zipcode: strOrNull,
      lat: { type: ['number', 'null'], minimum: -90, maximum: 90 },
      long: { type: ['number', 'null'], minimum: -180, maximum: 180 },
      media_url: { anyOf: [{ type: 'string', format: 'uri' }, { type: 'null' }] },
    },
  },
};

/** "Errors": an array of code (the HTTP status) and description. */
export const errorsSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['code', 'description'],
    additionalProperties: false,
    properties: { code: { type: ['integer', 'string'] }, description: str },
  },
};
