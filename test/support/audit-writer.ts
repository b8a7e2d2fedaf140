/**
 * A second process appending to the audit log, for the cross-process chain test:
 * `node --import tsx test/support/audit-writer.ts <database url> <count> <actor> [pause ms between appends]`.
 */
import { openSql } from '../../db/sql/index.js';
import { bindAppSql, unbindAppSql } from '../../db/sql/current.js';
import { appendAudit } from '../../domain/audit/index.js';

const [url, count, actor, pause] = process.argv.slice(2);
const sql = await openSql(url!);
bindAppSql(sql);
for (let i = 0; i < Number(count); i++) {
  await appendAudit({ caseId: null, actor: actor!, action: 'writer-test', detail: { i } });
  if (Number(pause) > 0) await new Promise((resolve) => setTimeout(resolve, Number(pause)));
}
unbindAppSql(sql);
await sql.destroy();
