/**
 * Home: the login form for staff (and a way in to 随手拍 for the public); once logged in, the pages the
 * user's role works with. `?next=/tasks/` returns to the page that asked for the login.
 */
import { errorText, login, type User } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { addMessages, t } from '../shared/i18n.js';
import { pagesFor, startPage } from '../shared/layout.js';

addMessages({
  zh: {
    'home.welcome': '欢迎，{name}',
    'home.pages': '您可以使用的功能',
    'home.public': '市民随手拍',
    'home.public.text': '发现问题？拍照上报，并用查询码跟踪办理进度。',
    'desc.report': '上报问题、查询进度、评价办理',
    'desc.hotline': '热线来电：登记立案、并单、咨询直办',
    'desc.assign': '交办事项：指定承办单位、时限与批示',
    'desc.field': '手机巡查上报：拍照、定位、选类型，小问题自处置',
    'desc.revisit': '结案后电话回访反映人，登记满意度',
    'desc.tasks': '本单位待办、签收、处置、退单与延期',
    'desc.history': '案卷检索、办理轨迹与流程图',
    'desc.screen': '全域态势、排名、趋势与地图',
    'desc.admin': '单位、网格、用户、事项与路由',
    'desc.modeler': '流程设计、检查、部署与版本对比',
    'desc.forms': '任务表单设计与部署',
    'desc.tasks.leader': '查看各单位待办、时限与督办灯（只读）',
    'desc.tasks.auditor': '查看各单位待办与办理情况（只读）',
  },
  en: {
    'home.welcome': 'Welcome, {name}',
    'home.pages': 'Your pages',
    'home.public': 'Report a problem',
    'home.public.text': 'Seen a problem? Report it with photos and follow it with the tracking code.',
    'desc.report': 'Report, follow and rate',
    'desc.hotline': 'Hotline calls: file, join, answer',
    'desc.assign': 'Hand a matter to a unit with a deadline and instruction',
    'desc.field': 'Report from the street: photo, position, type, fix on the spot',
    'desc.revisit': 'Call reporters back, record satisfaction',
    'desc.tasks': "Your unit's tasks: claim, handle, return, extend",
    'desc.history': 'Search cases, timelines and diagrams',
    'desc.screen': 'Totals, rankings, trends and map',
    'desc.admin': 'Units, grids, users, catalogue and routing',
    'desc.modeler': 'Design, lint, deploy and compare processes',
    'desc.forms': 'Design and deploy task forms',
    'desc.tasks.leader': "Every unit's tasks, deadlines and lights (read only)",
    'desc.tasks.auditor': "Every unit's tasks and their progress (read only)",
  },
});

/** Only same-site paths: `next` must not send a fresh login to another site. */
function nextPath(): string | null {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

/** What a page offers this role: a role that only reads a page (a leader on /tasks/) is not promised 签收/处置. */
function describePage(id: string, role: string): string {
  const own = t(`desc.${id}.${role}`);
  return own === `desc.${id}.${role}` ? t(`desc.${id}`) : own;
}

function showPages(main: HTMLElement, user: User): void {
  replace(
    main,
    h('h1', null, t('home.welcome', { name: user.displayName })),
    h('h2', null, t('home.pages')),
    h(
      'div',
      { class: 'cards', 'data-testid': 'page-links' },
      pagesFor(user).map((p) =>
        h('a', { href: p.href, 'data-page': p.id }, h('strong', null, t(`nav.${p.id}`)), h('span', { class: 'muted' }, describePage(p.id, user.role))),
      ),
    ),
  );
}

function showLogin(main: HTMLElement): void {
  const username = h('input', { type: 'text', id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', id: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const message = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, t('login'));
  const form = h(
    'form',
    { class: 'panel', id: 'login-form' },
    h('h1', null, t('login.title')),
    h('label', { for: 'username' }, t('username')),
    username,
    h('label', { for: 'password' }, t('password')),
    password,
    h('div', { class: 'actions' }, submit),
    message,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    replace(message);
    try {
      await login(username.value.trim(), password.value);
      const next = nextPath();
      if (next) location.assign(next);
      else location.reload();
    } catch (err) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, `${t('login.failed')}：${errorText(err)}`));
      submit.disabled = false;
    }
  });
  replace(
    main,
    h(
      'div',
      { class: 'grid-2' },
      form,
      h(
        'section',
        { class: 'panel' },
        h('h2', null, t('home.public')),
        h('p', null, t('home.public.text')),
        h('p', null, h('a', { href: '/report/' }, `${t('nav.report')} →`)),
      ),
    ),
  );
  username.focus();
}

const frame = startPage('home');
if (frame) {
  const next = nextPath();
  if (frame.user && next) location.replace(next);
  else if (frame.user) showPages(frame.main, frame.user);
  else showLogin(frame.main);
}
