/** The command-centre screen's texts (zh first, en second). */
import { addMessages } from '../shared/i18n.js';

addMessages({
  zh: {
    'sc.title': '一屏全域 · 城市运行指挥大屏', 'sc.open': '在办案件', 'sc.closed': '已结案', 'sc.overdue': '超期案件', 'sc.today': '今日上报', 'sc.total': '案件总数', 'sc.incidents': '流程故障',
    'sc.lights': '督办灯色', 'sc.byCategory': '按类别', 'sc.byStatus': '按状态', 'sc.map': '在办案件分布', 'sc.ranking': '单位考评排名 · {month}',
    'sc.trend': '近 {days} 日趋势', 'sc.trend.created': '上报', 'sc.trend.closed': '结案', 'sc.trend.overdue': '超期', 'sc.hotspots': '未诉先办 · 热点预警',
    'sc.hotspots.none': '本周暂无异常升高的网格或事件类型', 'sc.hotspot.grid': '网格', 'sc.hotspot.eventType': '事件类型',
    'sc.hotspot.line': '本周 {n} 件，基线 {base}/周，{ratio} 倍',
    'sc.live': '实时', 'sc.connecting': '连接中…', 'sc.reconnecting': '连接中断，{s} 秒后重连…', 'sc.updated': '更新于 {at}',
    'sc.col.rank': '名次', 'sc.col.unit': '单位', 'sc.col.score': '综合得分', 'sc.col.ontime': '按期办结率', 'sc.col.accept': '接办率', 'sc.col.satisfied': '满意率',
    'sc.col.received': '派遣数', 'sc.noranking': '本月尚无考评数据', 'sc.grid.open': '在办 {n} 件', 'sc.none': '未分类', 'sc.tiles': '底图',
  },
  en: {
    'sc.title': 'Command centre · the whole district on one screen', 'sc.open': 'Open cases', 'sc.closed': 'Closed', 'sc.overdue': 'Overdue', 'sc.today': 'Reported today', 'sc.total': 'All cases', 'sc.incidents': 'Process incidents',
    'sc.lights': 'Warning lights', 'sc.byCategory': 'By category', 'sc.byStatus': 'By status', 'sc.map': 'Open cases on the map', 'sc.ranking': 'Unit ranking · {month}',
    'sc.trend': 'Last {days} days', 'sc.trend.created': 'Reported', 'sc.trend.closed': 'Closed', 'sc.trend.overdue': 'Overdue', 'sc.hotspots': 'Hotspots (act before complaints)',
    'sc.hotspots.none': 'No grid or event type is rising unusually this week', 'sc.hotspot.grid': 'Grid', 'sc.hotspot.eventType': 'Event type',
    'sc.hotspot.line': '{n} this week, baseline {base}/week, ×{ratio}',
    'sc.live': 'Live', 'sc.connecting': 'Connecting…', 'sc.reconnecting': 'Disconnected, retrying in {s} s…', 'sc.updated': 'Updated {at}',
    'sc.col.rank': '#', 'sc.col.unit': 'Unit', 'sc.col.score': 'Score', 'sc.col.ontime': 'On time', 'sc.col.accept': 'Taken up', 'sc.col.satisfied': 'Satisfied',
    'sc.col.received': 'Dispatched', 'sc.noranking': 'No evaluation for this month yet', 'sc.grid.open': '{n} open', 'sc.none': 'Unclassified', 'sc.tiles': 'Base map',
  },
});
