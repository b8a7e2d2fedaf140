/**
 * Chinese by default, English on request: the choice is remembered in localStorage and sent to the API
 * as Accept-Language, so error messages come back in the same language.
 *
 * Pages add their own texts with addMessages({ zh: {...}, en: {...} }) and read them with t('key', vars).
 */
export type Lang = 'zh-CN' | 'en';
type Messages = Record<string, string>;

const STORAGE_KEY = 'ywtg.lang';
const dictionaries: Record<Lang, Messages> = { 'zh-CN': {}, en: {} };

export function lang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Switches the language and reloads the page: every text is drawn again in the new language. */
export function setLang(next: Lang): void {
  localStorage.setItem(STORAGE_KEY, next);
  location.reload();
}

export function addMessages(messages: { zh: Messages; en: Messages }): void {
  Object.assign(dictionaries['zh-CN'], messages.zh);
  Object.assign(dictionaries.en, messages.en);
}

/** The text for a key in the current language ({name} placeholders filled from vars); the key itself if missing. */
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const text = dictionaries[lang()][key] ?? dictionaries['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/**
 * An account as people read it: the two built-in ones in words (`public`: a citizen's report, `system`: the
 * platform itself), any other login name as it is.
 */
export function accountName(username: string): string {
  return username === 'public' || username === 'system' ? t(`account.${username}`) : username;
}

/** Accept-Language header value for API calls. */
export function acceptLanguage(): string {
  return lang() === 'en' ? 'en' : 'zh-CN,zh;q=0.9';
}

/** A date-time as people read it here: 2026-10-08 14:05 (local time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

addMessages({
  zh: {
    'app.name': '一网统管',
    'nav.home': '首页',
    'nav.report': '随手拍',
    'nav.hotline': '来电登记',
    'nav.assign': '领导交办',
    'nav.field': '巡查上报',
    'nav.revisit': '回访',
    'nav.tasks': '待办任务',
    'nav.history': '案卷历史',
    'nav.operations': '流程运维',
    'nav.screen': '指挥大屏',
    'nav.admin': '基础数据',
    'nav.modeler': '流程建模',
    'nav.forms': '表单设计',
    'nav.decisions': '规则表',
    'nav.label': '主导航',
    'skip.main': '跳到正文',
    'lang.switch': 'English',
    logout: '退出登录',
    login: '登录',
    username: '用户名',
    password: '密码',
    'login.title': '工作人员登录',
    'login.failed': '登录失败',
    loading: '加载中…',
    error: '出错了',
    retry: '重试',
    'role.admin': '系统管理员',
    'role.operator': '受理员',
    'role.dept_staff': '部门办事员',
    'role.dept_leader': '部门负责人',
    'role.grid_worker': '网格员',
    'role.leader': '领导',
    'role.auditor': '审计员',
    'light.green': '绿灯',
    'light.yellow': '黄灯',
    'light.red': '红灯',
    'status.reported': '已上报',
    'status.accepted': '已受理',
    'status.dispatched': '已派遣',
    'status.handling': '处置中',
    'status.verifying': '核查中',
    'status.closed': '已结案',
    'status.rejected': '不予立案',
    'status.shelved': '已挂账',
    'status.returned': '退单审核中',
    'status.merged': '已合并',
    'forbidden.page': '您的角色无权访问此页面。',
    'account.public': '公众',
    'account.system': '系统',
  },
  en: {
    'app.name': 'City Governance',
    'nav.home': 'Home',
    'nav.report': 'Report',
    'nav.hotline': 'Hotline call',
    'nav.assign': 'Assign a case',
    'nav.field': 'Field report',
    'nav.revisit': 'Call-backs',
    'nav.tasks': 'Tasks',
    'nav.history': 'Case history',
    'nav.operations': 'Operations',
    'nav.screen': 'Command centre',
    'nav.admin': 'Registry',
    'nav.modeler': 'Process modeler',
    'nav.forms': 'Form editor',
    'nav.decisions': 'Decision tables',
    'nav.label': 'Main',
    'skip.main': 'Skip to content',
    'lang.switch': '中文',
    logout: 'Log out',
    login: 'Log in',
    username: 'Username',
    password: 'Password',
    'login.title': 'Staff login',
    'login.failed': 'Login failed',
    loading: 'Loading…',
    error: 'Something went wrong',
    retry: 'Retry',
    'role.admin': 'Administrator',
    'role.operator': 'Operator',
    'role.dept_staff': 'Department staff',
    'role.dept_leader': 'Department leader',
    'role.grid_worker': 'Grid worker',
    'role.leader': 'Leader',
    'role.auditor': 'Auditor',
    'light.green': 'Green',
    'light.yellow': 'Yellow',
    'light.red': 'Red',
    'status.reported': 'Reported',
    'status.accepted': 'Accepted',
    'status.dispatched': 'Dispatched',
    'status.handling': 'Being handled',
    'status.verifying': 'Being verified',
    'status.closed': 'Closed',
    'status.rejected': 'Not accepted',
    'status.shelved': 'Shelved',
    'status.returned': 'Return under review',
    'status.merged': 'Merged',
    'forbidden.page': 'Your role may not open this page.',
    'account.public': 'the public',
    'account.system': 'the system',
  },
});
