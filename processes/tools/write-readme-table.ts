/** `npm run contract:readme`: rewrites the "Job types" table of processes/README.md from processes/contract.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withJobTypeTable } from '../readme-table.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withJobTypeTable(before);
writeFileSync(path, after);
console.log(
  after === before ? 'processes/README.md: job-type table already matches the contract' : 'processes/README.md: job-type table rewritten from the contract',
);
