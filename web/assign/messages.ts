import { addMessages } from '../shared/i18n.js';

addMessages({
  zh: {
    'as.intro': '交办的案卷以高优先级进入指挥中心受理，受理后直接派往您指定的单位，处置时限即您设定的时限。',
    'as.what': '交办事项', 'as.description': '事项内容', 'as.instruction': '领导批示', 'as.instruction.hint': '例如：三日内办结，结果报区政府办',
    'as.unit': '承办单位', 'as.unit.choose': '请选择承办单位', 'as.due': '办理时限', 'as.priority': '优先级',
    'as.priority.100': '特急', 'as.priority.90': '高', 'as.priority.70': '较高',
    'as.type': '事件类型（可选）', 'as.type.none': '（由指挥中心受理时确定）',
    'as.where': '地点', 'as.address': '地址', 'as.grid': '所在网格（可选）', 'as.grid.none': '（不指定网格）',
    'as.submit': '交办',
    'as.need.description': '请填写交办事项', 'as.need.instruction': '请填写领导批示', 'as.need.unit': '请选择承办单位',
    'as.need.due': '请填写办理时限', 'as.need.where': '请填写地址或选择网格',
    'as.filed': '已交办：案卷 {caseNo}，承办单位 {unit}，时限 {due}',
    'as.mine': '我的交办', 'as.mine.none': '暂无交办',
    'as.col.case': '案卷号', 'as.col.what': '事项', 'as.col.unit': '承办单位', 'as.col.due': '时限', 'as.col.priority': '优先级', 'as.col.status': '状态',
  },
  en: {
    'as.intro': 'An assigned case reaches the command centre\'s intake with high priority and, once accepted, goes straight to the unit you name, due when you say.',
    'as.what': 'The matter', 'as.description': 'What is to be done', 'as.instruction': 'Leader\'s instruction', 'as.instruction.hint': 'e.g. settle within three days, report to the district office',
    'as.unit': 'Responsible unit', 'as.unit.choose': 'Choose a unit', 'as.due': 'Deadline', 'as.priority': 'Priority',
    'as.priority.100': 'Urgent', 'as.priority.90': 'High', 'as.priority.70': 'Raised',
    'as.type': 'Event type (optional)', 'as.type.none': '(the centre decides at intake)',
    'as.where': 'Where', 'as.address': 'Address', 'as.grid': 'Grid (optional)', 'as.grid.none': '(no grid)',
    'as.submit': 'Assign',
    'as.need.description': 'Say what is to be done', 'as.need.instruction': 'Give your instruction', 'as.need.unit': 'Choose the responsible unit',
    'as.need.due': 'Set a deadline', 'as.need.where': 'Give an address or choose a grid',
    'as.filed': 'Assigned: case {caseNo} to {unit}, due {due}',
    'as.mine': 'My assignments', 'as.mine.none': 'No assignments yet',
    'as.col.case': 'Case', 'as.col.what': 'Matter', 'as.col.unit': 'Unit', 'as.col.due': 'Due', 'as.col.priority': 'Priority', 'as.col.status': 'Status',
  },
});
