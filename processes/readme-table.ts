import { renderJobTypeTable } from './contract.js';

/** The markers around the generated "Job types" table in processes/README.md. */
export const TABLE_START = '<!-- job-types: generated from processes/contract.ts by `npm run contract:readme`; edit the contract, not this table -->';
export const TABLE_END = '<!-- /job-types -->';

/** The table as it stands between the markers, or null when a marker is missing. */
export function readmeJobTypeTable(readme: string): string | null {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return null;
  return readme.slice(start + TABLE_START.length, end).replace(/^\n/, '');
}

/** The README with the table between the markers replaced by the one rendered from the contract. */
export function withJobTypeTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`processes/README.md lacks the markers ${TABLE_START} … ${TABLE_END}`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderJobTypeTable()}${readme.slice(end)}`;
}
