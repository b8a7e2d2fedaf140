import { Router } from 'express';
import { caseHistory, type TimelineEntry } from '../../domain/history/case-history.js';
import { csvDocument } from '../../domain/history/csv.js';
import { diagramXml } from '../../domain/history/process-diagram.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { actorOf, requireAuth } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { caseIdParams } from './case-routes.js';

const CSV_HEADER = ['时间 at', '类型 kind', '环节/动作 what', '执行人 who', '流程实例 instance', '详情 detail'];

function csvLine(e: TimelineEntry): unknown[] {
  switch (e.kind) {
    case 'element': return [e.at, e.kind, `${e.elementId} ${e.intent}`, e.elementType, e.processInstanceKey, e.detail];
    case 'variables': return [e.at, e.kind, e.elementId, '', e.processInstanceKey, e.variables];
    case 'action': return [e.at, e.kind, e.action, e.actorRole ? `${e.actor} (${e.actorRole})` : e.actor, '', e.detail];
    case 'notification': return [e.at, e.kind, `${e.channel} → ${e.recipient}`, '', '', { subject: e.subject, body: e.body, status: e.status, sentAt: e.sentAt }];
  }
}

/** A case's history (timeline + diagram highlights), its diagram's XML, and the timeline as CSV; same visibility as GET /cases/:id. */
export function historyRoutes(port: WorkflowEngine): Router {
  const r = Router();
  const id = (params: Record<string, string>) => String(params['id']);
  r.get('/cases/:id/history', requireAuth, validate({ params: caseIdParams }), async (req, res) => {
    res.json(await caseHistory(actorOf(req), id(req.params as Record<string, string>)));
  });
  r.get('/cases/:id/history.csv', requireAuth, validate({ params: caseIdParams }), async (req, res) => {
    const history = await caseHistory(actorOf(req), id(req.params as Record<string, string>));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="case-${history.case.caseNo.replace(/[^A-Za-z0-9_-]/g, '')}-history.csv"`);
    res.send(csvDocument(CSV_HEADER, history.timeline.map(csvLine)));
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
