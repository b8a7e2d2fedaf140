/**
 * The frame every page shares: the header with the platform name, the pages the user's role may open,
 * the language switch and the user with a logout button. A page calls startPage() first and draws into
 * the <main> it returns.
 */
import './styles.css';
import { currentUser, errorText, logout, redirectToLogin, type Role, type User } from './api.js';
import { h, replace } from './dom.js';
import { accountName, lang, setLang, t } from './i18n.js';

export type PageId =
  'home' | 'report' | 'hotline' | 'assign' | 'field' | 'revisit' | 'tasks' | 'history' | 'screen' | 'admin' | 'operations' | 'modeler' | 'forms' | 'decisions';

export interface PageLink {
  id: PageId;
  href: string;
  /** who may open it; 'public' needs no login */
  roles: readonly Role[] | 'public';
}

const ALL: readonly Role[] = ['admin', 'operator', 'dept_staff', 'dept_leader', 'grid_worker', 'leader', 'auditor'];

/** The pages and the roles that use them (the API checks every call again; this only tidies the menu). */
export const PAGES: readonly PageLink[] = [
  { id: 'home', href: '/', roles: 'public' },
  { id: 'hotline', href: '/hotline/', roles: ['admin', 'operator'] },
  { id: 'revisit', href: '/revisit/', roles: ['admin', 'operator'] },
  { id: 'assign', href: '/assign/', roles: ['admin', 'leader'] },
  { id: 'field', href: '/field/', roles: ['grid_worker'] },
  { id: 'tasks', href: '/tasks/', roles: ['admin', 'operator', 'dept_staff', 'dept_leader', 'grid_worker', 'leader', 'auditor'] },
  { id: 'history', href: '/history/', roles: ALL },
  { id: 'screen', href: '/screen/', roles: ['admin', 'operator', 'leader', 'auditor', 'dept_leader', 'dept_staff'] },
  { id: 'admin', href: '/admin/', roles: ['admin', 'auditor', 'operator'] },
  { id: 'operations', href: '/operations/', roles: ['admin', 'auditor'] },
  { id: 'modeler', href: '/modeler/', roles: ['admin', 'auditor'] },
  { id: 'forms', href: '/modeler/forms.html', roles: ['admin', 'auditor'] },
  { id: 'decisions', href: '/modeler/decisions.html', roles: ['admin', 'auditor'] },
  { id: 'report', href: '/report/', roles: 'public' },
];

export function mayOpen(page: PageLink, user: User | null): boolean {
  if (page.roles === 'public') return true;
  return user !== null && page.roles.includes(user.role);
}

export function pagesFor(user: User | null): PageLink[] {
  return PAGES.filter((p) => p.id !== 'home' && mayOpen(p, user));
}

export interface PageFrame {
  user: User | null;
  main: HTMLElement;
}

/**
 * Draws the header and returns the page's <main>. A page that needs a login sends an anonymous visitor to
 * the login form (null); a role the page is not for gets a short refusal (null).
 */
export function startPage(id: PageId, options: { wide?: boolean } = {}): PageFrame | null {
  const page = PAGES.find((p) => p.id === id)!;
  const user = currentUser();
  if (page.roles !== 'public' && !user) {
    redirectToLogin();
    return null;
  }
  document.documentElement.lang = lang();
  document.title = `${t(`nav.${id}`)} · ${t('app.name')}`;
  // tabindex -1: the skip link moves the keyboard focus into <main>, not only the scroll position
  const main = h('main', { id: 'main', class: options.wide ? 'wide' : null, tabindex: '-1' });
  const skip = h('a', { href: '#main', class: 'skip-link', 'data-testid': 'skip-link' }, t('skip.main'));
  document.body.replaceChildren(skip, header(id, user), main);
  if (!mayOpen(page, user)) {
    replace(main, h('p', { class: 'notice error', role: 'alert' }, t('forbidden.page')));
    return null;
  }
  return { user, main };
}

function header(active: PageId, user: User | null): HTMLElement {
  const nav = h(
    'nav',
    { class: 'site-nav', 'aria-label': t('nav.label') },
    pagesFor(user).map((p) =>
      h('a', { href: p.href, class: p.id === active ? 'active' : null, 'aria-current': p.id === active ? 'page' : null }, t(`nav.${p.id}`)),
    ),
  );
  const langButton = h(
    'button',
    { type: 'button', class: 'link', 'data-testid': 'lang-switch', onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en') },
    t('lang.switch'),
  );
  const account = user
    ? h(
        'span',
        { class: 'account' },
        h('span', { class: 'who', 'data-testid': 'current-user' }, `${user.displayName} · ${t(`role.${user.role}`)}`),
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-testid': 'logout',
            onclick: async () => {
              await logout().catch(() => undefined);
              location.assign('/');
            },
          },
          t('logout'),
        ),
      )
    : h('a', { href: '/', class: 'account' }, t('login'));
  return h(
    'header',
    { class: 'site-header' },
    h('a', { href: '/', class: 'brand' }, t('app.name')),
    nav,
    h('span', { class: 'header-tools' }, langButton, account),
  );
}

/** A coloured dot with the light's name (red/yellow/green 督办 lights). */
export function lightBadge(light: string): HTMLElement {
  return h('span', { class: `light light-${light}`, title: t(`light.${light}`), 'data-light': light }, t(`light.${light}`));
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `status status-${status}` }, t(`status.${status}`));
}

/** An error box for a failed call (with the API's message, in the user's language). */
export function errorBox(err: unknown): HTMLElement {
  return h('p', { class: 'notice error', role: 'alert' }, errorText(err));
}

/** Runs a load function with a "loading" line in the container and an error box with a retry button on failure. */
export async function loadInto(container: Element, load: () => Promise<void>): Promise<void> {
  replace(container, h('p', { class: 'muted' }, t('loading')));
  try {
    await load();
  } catch (err) {
    replace(container, errorBox(err), h('button', { type: 'button', onclick: () => void loadInto(container, load) }, t('retry')));
  }
}

/** A login name shown as data (translate="no": no translator rewrites it); the built-in accounts in words. */
export function loginName(username: string): HTMLElement {
  const shown = accountName(username);
  return h('span', { translate: shown === username ? 'no' : null, class: 'login-name' }, shown);
}
