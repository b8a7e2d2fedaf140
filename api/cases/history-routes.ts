import { Router } from 'express';
import { caseHistory, type TimelineEntry } from '../../domain/history/case-history.js';
import { diagramXml } from '../../domain/history/process-diagram.js';
import { caseTimelineStream } from '../../domain/history/timeline-stream.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { sendCsv } from '../http/streaming.js';
import { validate } from '../http/validate.js';
import { caseIdParams } from './case-routes.js';
import { DEFAULT_OFFSET_MINUTES, localTimestamp, offsetText } from '../../domain/shared/local-time.js';

/** The header names the offset the times are in (the page shows local time; so does the export). */
export const historyCsvHeader = (offsetMinutes = DEFAULT_OFFSET_MINUTES): string[] => [
  `时间 at (UTC${offsetText(offsetMinutes)})`,
  '类型 kind',
  '环节/动作 what',
  '执行人 who',
  '流程实例 instance',
  '详情 detail',
];
export const HISTORY_CSV_HEADER = historyCsvHeader();

/** One timeline entry as a row of the history CSV, its time local (at `offsetMinutes`) with the offset written out. */
export const historyCsvLineIn =
  (offsetMinutes: number) =>
  (e: TimelineEntry): unknown[] => {
    const at = localTimestamp(new Date(e.at), offsetMinutes);
    switch (e.kind) {
      case 'element':
        return [at, e.kind, `${e.elementId} ${e.intent}`, e.elementType, e.processInstanceKey, e.detail];
      case 'variables':
        return [at, e.kind, e.elementId, '', e.processInstanceKey, e.variables];
      case 'action':
        return [at, e.kind, e.action, e.actorRole ? `${e.actor} (${e.actorRole})` : e.actor, '', e.detail];
      case 'notification':
        return [at, e.kind, `${e.channel} → ${e.recipient}`, '', '', { subject: e.subject, body: e.body, status: e.status, sentAt: e.sentAt }];
    }
  };
export const historyCsvLine = historyCsvLineIn(DEFAULT_OFFSET_MINUTES);

/** A case's history (timeline + diagram highlights), its diagram's XML, and the timeline as CSV; same visibility as GET /cases/:id. */
export function historyRoutes(port: WorkflowEngine, options: { utcOffsetMinutes?: number } = {}): Router {
  const offset = options.utcOffsetMinutes ?? DEFAULT_OFFSET_MINUTES;
  const r = Router();
  const id = (params: Record<string, string>) => String(params['id']);
  r.get('/cases/:id/history', requireAuth, validate({ params: caseIdParams }), async (req, res) => {
    res.json(await caseHistory(actorOf(req), id(req.params as Record<string, string>), port));
  });
  r.get('/cases/:id/history.csv', requireAuth, validate({ params: caseIdParams }), async (req, res) => {
    // written as it is read, a batch of the merged timeline at a time
    const timeline = await caseTimelineStream(actorOf(req), id(req.params as Record<string, string>));
    const rows = (async function* () {
      const line = historyCsvLineIn(offset);
      for await (const batch of timeline.batches) yield batch.map(line);
    })();
    await sendCsv(res, `case-${timeline.caseNo.replace(/[^A-Za-z0-9_-]/g, '')}-history.csv`, historyCsvHeader(offset), rows);
  });
  r.get('/cases/:id/diagram', requireAuth, validate({ params: caseIdParams }), async (req, res) => {
    const history = await caseHistory(actorOf(req), id(req.params as Record<string, string>));
    const key = history.diagram.processDefinitionKey;
    const xml = key ? await diagramXml(port, key) : null;
    if (!xml) throw new HttpError(404, 'diagram_not_found');
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
    res.send(xml);
  });
  return r;
}
