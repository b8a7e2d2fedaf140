/** The operations page's texts (zh first, en second). */
import { addMessages } from '../shared/i18n.js';

addMessages({
  zh: {
    'op.processes': '流程', 'op.version': '版本 {v}', 'op.allVersions': '全部版本', 'op.running': '运行中 {n}', 'op.incidents': '故障 {n}',
    'op.diagram': '流程图（蓝色：运行中的实例数；红色：未处理故障数）', 'op.pickProcess': '请选择左侧的流程',
    'op.filter': '筛选实例', 'op.state': '状态', 'op.state.ACTIVE': '运行中', 'op.state.INCIDENT': '有故障', 'op.state.COMPLETED': '已完成', 'op.state.TERMINATED': '已撤销',
    'op.any': '全部', 'op.incidentType': '故障类型', 'op.element': '环节', 'op.caseNo': '案件编号', 'op.from': '启动起', 'op.to': '启动止', 'op.apply': '查询', 'op.reset': '清空',
    'op.col.key': '实例', 'op.col.process': '流程', 'op.col.case': '案件', 'op.col.state': '状态', 'op.col.started': '启动时间', 'op.col.incidents': '故障',
    'op.none': '没有符合条件的实例', 'op.more': '加载更多',
    'op.instance': '实例 {key}', 'op.noIncidents': '该实例没有未处理的故障',
    'op.inc.type': '类型', 'op.inc.element': '环节', 'op.inc.message': '错误信息', 'op.inc.job': '作业', 'op.inc.retries': '剩余重试',
    'op.reason': '操作原因（必填，记入审计日志）', 'op.retry': '重试', 'op.variables': '变量（JSON，如 {"priority":"low"}）', 'op.setVariables': '修正变量并重试',
    'op.cancel': '撤销实例', 'op.cancelConfirm': '撤销后流程结束、案件结案，确定吗？', 'op.done': '已完成：{what}', 'op.badJson': '变量须为 JSON 对象',
    'op.batch': '批量操作（当前筛选条件）', 'op.batchRetry': '批量重试', 'op.batchCancel': '批量撤销',
    'op.batchProgress': '批量{action}：{processed}/{total}，失败 {failed}', 'op.batch.retry': '重试', 'op.batch.cancel': '撤销', 'op.readOnly': '审计员只读：不能执行操作',
  },
  en: {
    'op.processes': 'Processes', 'op.version': 'version {v}', 'op.allVersions': 'all versions', 'op.running': 'running {n}', 'op.incidents': 'incidents {n}',
    'op.diagram': 'Diagram (blue: running instances; red: open incidents)', 'op.pickProcess': 'Pick a process on the left',
    'op.filter': 'Filter instances', 'op.state': 'State', 'op.state.ACTIVE': 'Running', 'op.state.INCIDENT': 'With incident', 'op.state.COMPLETED': 'Completed', 'op.state.TERMINATED': 'Cancelled',
    'op.any': 'Any', 'op.incidentType': 'Incident type', 'op.element': 'Element', 'op.caseNo': 'Case number', 'op.from': 'Started from', 'op.to': 'Started to', 'op.apply': 'Search', 'op.reset': 'Clear',
    'op.col.key': 'Instance', 'op.col.process': 'Process', 'op.col.case': 'Case', 'op.col.state': 'State', 'op.col.started': 'Started', 'op.col.incidents': 'Incidents',
    'op.none': 'No instance matches', 'op.more': 'Load more',
    'op.instance': 'Instance {key}', 'op.noIncidents': 'This instance has no open incident',
    'op.inc.type': 'Type', 'op.inc.element': 'Element', 'op.inc.message': 'Error', 'op.inc.job': 'Job', 'op.inc.retries': 'Retries left',
    'op.reason': 'Reason (required, goes into the audit log)', 'op.retry': 'Retry', 'op.variables': 'Variables (JSON, e.g. {"priority":"low"})', 'op.setVariables': 'Set variables and retry',
    'op.cancel': 'Cancel instance', 'op.cancelConfirm': 'Cancelling ends the process and closes the case. Go ahead?', 'op.done': 'Done: {what}', 'op.badJson': 'Variables must be a JSON object',
    'op.batch': 'Batch (the current filter)', 'op.batchRetry': 'Retry all', 'op.batchCancel': 'Cancel all',
    'op.batchProgress': 'Batch {action}: {processed}/{total}, {failed} failed', 'op.batch.retry': 'retry', 'op.batch.cancel': 'cancel', 'op.readOnly': 'Auditors read only: no actions',
  },
});
