/**
 * 随手拍 for the public, no login: describe the problem, add photos and the place, submit, and keep the
 * tracking code; follow the case by its code (status timeline, the photos sent); rate the handling once
 * the case is closed. Works on a phone (one column, big touch targets, camera capture).
 */
import './report.css';
import { api, currentUser, errorText, idempotencyKey, logout, type Role } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { addMessages, formatDateTime, t } from '../shared/i18n.js';
import { errorBox, startPage, statusBadge } from '../shared/layout.js';
import type { PublicCaseView } from '../../domain/intake/public-case-type.js';

addMessages({
  zh: {
    'r.tab.new': '我要上报',
    'r.tab.follow': '查询进度',
    'r.staff': '您已以工作账号（{role}）登录。随手拍是群众的匿名上报：在这里提交的问题不会记在您名下，您也无法在工作台跟进。',
    'r.staff.own': '到「{page}」上报',
    'r.staff.anonymous': '退出登录，以群众身份匿名上报',
    'r.description': '问题描述',
    'r.description.hint': '发生了什么、在哪里、持续多久',
    'r.photos': '照片',
    'r.photos.hint': '最多 6 张，每张不超过 5 MB（JPEG、PNG、WebP）',
    'r.location': '位置',
    'r.locate': '使用我的当前位置',
    'r.locating': '正在定位…',
    'r.located': '已定位：{lat}, {lng}',
    'r.locate.failed': '无法获取位置：{reason}。请填写地址或坐标。',
    'r.lat': '纬度',
    'r.lng': '经度',
    'r.address': '地址',
    'r.address.hint': '例如：西平街道龙华路 12 号门口',
    'r.name': '称呼（选填）',
    'r.phone': '联系电话（选填）',
    'r.phone.hint': '仅供工作人员回访，不会公开',
    'r.submit': '提交',
    'r.submitting': '正在提交…',
    'r.too.many': '最多上传 6 张照片',
    'r.too.big': '照片 {name} 超过 5 MB',
    'r.bad.type': '照片 {name} 不是 JPEG、PNG 或 WebP 图片',
    'r.need.location': '请提供位置：定位、坐标或地址',
    'r.done.title': '上报成功',
    'r.done.caseNo': '案件编号',
    'r.done.token': '查询码',
    'r.done.keep': '请保存查询码，用它查询办理进度并评价。',
    'r.done.follow': '查看进度',
    'r.done.another': '再报一件',
    'r.token': '查询码',
    'r.follow': '查询',
    'r.mine': '本机上报过的',
    'r.not.found': '没有找到该查询码对应的案件',
    'r.timeline': '办理进度',
    'r.step.reported': '已上报',
    'r.step.accepted': '已受理立案',
    'r.step.dispatched': '已派遣至责任单位',
    'r.step.handled': '责任单位已处置',
    'r.step.closed': '已结案',
    'r.your.photos': '您上传的照片',
    'r.result': '办理结果',
    'r.after.photos': '处置后照片',
    'r.rate.title': '评价办理结果',
    'r.satisfied': '是否满意',
    'r.yes': '满意',
    'r.no': '不满意',
    'r.stars': '评分（1–5）',
    'r.comment': '意见（选填）',
    'r.rate.submit': '提交评价',
    'r.rated': '感谢您的评价！',
    'r.satisfaction': '您的评价',
    'sat.satisfied': '满意',
    'sat.unsatisfied': '不满意',
    'sat.basically_satisfied': '基本满意',
  },
  en: {
    'r.tab.new': 'Report',
    'r.tab.follow': 'Follow a report',
    'r.staff':
      'You are signed in with a staff account ({role}). This page is for anonymous citizen reports: a report filed here would not be yours and you could not follow it at work.',
    'r.staff.own': 'Report on “{page}”',
    'r.staff.anonymous': 'Sign out and report anonymously as a citizen',
    'r.description': 'What is the problem?',
    'r.description.hint': 'What happened, where, for how long',
    'r.photos': 'Photos',
    'r.photos.hint': 'Up to 6, at most 5 MB each (JPEG, PNG, WebP)',
    'r.location': 'Location',
    'r.locate': 'Use my location',
    'r.locating': 'Locating…',
    'r.located': 'Located: {lat}, {lng}',
    'r.locate.failed': 'Could not get the location: {reason}. Enter an address or coordinates.',
    'r.lat': 'Latitude',
    'r.lng': 'Longitude',
    'r.address': 'Address',
    'r.address.hint': 'e.g. in front of 12 Longhua Road',
    'r.name': 'Name (optional)',
    'r.phone': 'Phone (optional)',
    'r.phone.hint': 'Only for staff to call you back, never shown',
    'r.submit': 'Submit',
    'r.submitting': 'Submitting…',
    'r.too.many': 'At most 6 photos',
    'r.too.big': 'Photo {name} is larger than 5 MB',
    'r.bad.type': 'Photo {name} is not a JPEG, PNG or WebP image',
    'r.need.location': 'Give a location: your position, coordinates or an address',
    'r.done.title': 'Report received',
    'r.done.caseNo': 'Case number',
    'r.done.token': 'Tracking code',
    'r.done.keep': 'Keep the tracking code: it lets you follow and rate the case.',
    'r.done.follow': 'Follow it',
    'r.done.another': 'Report another',
    'r.token': 'Tracking code',
    'r.follow': 'Look up',
    'r.mine': 'Reported from this device',
    'r.not.found': 'No case has this tracking code',
    'r.timeline': 'Progress',
    'r.step.reported': 'Reported',
    'r.step.accepted': 'Accepted',
    'r.step.dispatched': 'Sent to the responsible unit',
    'r.step.handled': 'Handled by the unit',
    'r.step.closed': 'Closed',
    'r.your.photos': 'Your photos',
    'r.result': 'What was done',
    'r.after.photos': 'After the work',
    'r.rate.title': 'Rate the handling',
    'r.satisfied': 'Are you satisfied?',
    'r.yes': 'Satisfied',
    'r.no': 'Not satisfied',
    'r.stars': 'Score (1–5)',
    'r.comment': 'Comment (optional)',
    'r.rate.submit': 'Send rating',
    'r.rated': 'Thank you for your rating!',
    'r.satisfaction': 'Your rating',
    'sat.satisfied': 'Satisfied',
    'sat.unsatisfied': 'Not satisfied',
    'sat.basically_satisfied': 'Mostly satisfied',
  },
});

const MAX_PHOTOS = 6;
const MAX_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MINE_KEY = 'ywtg.myReports';

interface Filed {
  caseNo: string;
  status: string;
  trackingToken: string;
}

/** Tracking codes filed from this browser, newest first, so a reporter need not copy them by hand. */
function myReports(): { caseNo: string; token: string; at: string }[] {
  try {
    return (JSON.parse(localStorage.getItem(MINE_KEY) ?? '[]') as { caseNo: string; token: string; at: string }[]).slice(0, 20);
  } catch {
    return [];
  }
}

function remember(filed: Filed): void {
  const list = [
    { caseNo: filed.caseNo, token: filed.trackingToken, at: new Date().toISOString() },
    ...myReports().filter((m) => m.token !== filed.trackingToken),
  ];
  localStorage.setItem(MINE_KEY, JSON.stringify(list.slice(0, 20)));
}

const frame = startPage('report');
if (frame) {
  const { main } = frame;
  const body = h('div');
  const tabNew = h('a', { href: '#new', role: 'tab', 'data-testid': 'tab-new' }, t('r.tab.new'));
  const tabFollow = h('a', { href: '#follow', role: 'tab', 'data-testid': 'tab-follow' }, t('r.tab.follow'));
  replace(main, h('h1', null, t('nav.report')), h('nav', { class: 'tabs', role: 'tablist' }, tabNew, tabFollow), body);
  main.classList.add('narrow');

  const route = () => {
    const hash = location.hash.slice(1);
    const followToken = hash.startsWith('follow') ? decodeURIComponent(hash.slice('follow'.length).replace(/^=/, '')) : null;
    tabNew.classList.toggle('active', followToken === null);
    tabFollow.classList.toggle('active', followToken !== null);
    if (followToken === null) showReportForm(body);
    else showFollow(body, followToken);
  };
  window.addEventListener('hashchange', route);
  route();
}

/** Where a signed-in role files what it sees, under its own name (the API refuses a staff session here). */
function ownPage(role: Role): { id: string; href: string } | null {
  // a function, not a table: the page's top-level code runs above and calls this before a const here would exist
  const pages: Partial<Record<Role, { id: string; href: string }>> = {
    grid_worker: { id: 'field', href: '/field/' },
    leader: { id: 'assign', href: '/assign/' },
    operator: { id: 'hotline', href: '/hotline/' },
  };
  return pages[role] ?? null;
}

/**
 * Signed in, the anonymous form would file a case nobody owns while the user believes it is theirs. So staff
 * are told, and offered their own page (grid workers 巡查上报, leaders 交办, operators 来电登记) or signing out to
 * report as a citizen. No automatic redirect: the follow tab stays usable and nobody lands somewhere unexplained.
 */
function showStaffNotice(container: HTMLElement, role: Role): void {
  const own = ownPage(role);
  const out = h('button', { type: 'button', 'data-testid': 'report-sign-out' }, t('r.staff.anonymous'));
  out.addEventListener('click', async () => {
    await logout().catch(() => undefined);
    location.reload(); // the header and the form drawn again for an anonymous visitor
  });
  replace(
    container,
    h(
      'div',
      { class: 'notice', role: 'status', 'data-testid': 'report-staff' },
      h('p', null, t('r.staff', { role: t(`role.${role}`) })),
      h(
        'p',
        { class: 'inline' },
        own ? h('a', { href: own.href, class: 'button primary', 'data-testid': 'report-own-page' }, t('r.staff.own', { page: t(`nav.${own.id}`) })) : null,
        out,
      ),
    ),
  );
}

function showReportForm(container: HTMLElement): void {
  const user = currentUser();
  if (user) return showStaffNotice(container, user.role);
  const description = h('textarea', { id: 'description', name: 'description', required: true, maxlength: 2000, rows: 5 });
  const photos = h('input', { type: 'file', id: 'photos', name: 'photos', accept: PHOTO_TYPES.join(','), multiple: true, capture: 'environment' });
  const previews = h('div', { class: 'previews', 'data-testid': 'photo-previews' });
  const lat = h('input', { type: 'number', id: 'lat', step: 'any', min: -90, max: 90, inputmode: 'decimal' });
  const lng = h('input', { type: 'number', id: 'lng', step: 'any', min: -180, max: 180, inputmode: 'decimal' });
  const address = h('input', { type: 'text', id: 'address', maxlength: 255, placeholder: t('r.address.hint') });
  const locateMessage = h('span', { class: 'muted', 'aria-live': 'polite' });
  const reporterName = h('input', { type: 'text', id: 'reporterName', maxlength: 64, autocomplete: 'name' });
  const reporterPhone = h('input', { type: 'tel', id: 'reporterPhone', maxlength: 20, autocomplete: 'tel', pattern: '[0-9+\\- ]{3,20}' });
  const message = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary big', 'data-testid': 'report-submit' }, t('r.submit'));
  const key = idempotencyKey(); // one report, however often the button is pressed

  let chosen: File[] = [];
  photos.addEventListener('change', () => {
    chosen = Array.from(photos.files ?? []);
    previews.replaceChildren(
      ...chosen.map((f) => {
        const url = URL.createObjectURL(f);
        const img = h('img', { src: url, alt: f.name, title: f.name });
        img.addEventListener('load', () => URL.revokeObjectURL(url));
        return img;
      }),
    );
  });

  const locate = h(
    'button',
    {
      type: 'button',
      'data-testid': 'locate',
      onclick: () => {
        if (!navigator.geolocation) return void (locateMessage.textContent = t('r.locate.failed', { reason: 'geolocation' }));
        locateMessage.textContent = t('r.locating');
        navigator.geolocation.getCurrentPosition(
          (pos) => {
            lat.value = pos.coords.latitude.toFixed(6);
            lng.value = pos.coords.longitude.toFixed(6);
            locateMessage.textContent = t('r.located', { lat: lat.value, lng: lng.value });
          },
          (err) => {
            locateMessage.textContent = t('r.locate.failed', { reason: err.message });
          },
          { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
        );
      },
    },
    t('r.locate'),
  );

  const form = h(
    'form',
    { class: 'panel', id: 'report-form', novalidate: true },
    h('label', { for: 'description' }, t('r.description'), ' ', h('span', { class: 'hint' }, t('r.description.hint'))),
    description,
    h('label', { for: 'photos' }, t('r.photos'), ' ', h('span', { class: 'hint' }, t('r.photos.hint'))),
    photos,
    previews,
    h(
      'fieldset',
      null,
      h('legend', null, t('r.location')),
      h('div', { class: 'locate-row' }, locate, locateMessage),
      h('div', { class: 'coords' }, h('div', null, h('label', { for: 'lat' }, t('r.lat')), lat), h('div', null, h('label', { for: 'lng' }, t('r.lng')), lng)),
      h('label', { for: 'address' }, t('r.address')),
      address,
    ),
    h('label', { for: 'reporterName' }, t('r.name')),
    reporterName,
    h('label', { for: 'reporterPhone' }, t('r.phone'), ' ', h('span', { class: 'hint' }, t('r.phone.hint'))),
    reporterPhone,
    h('div', { class: 'actions' }, submit),
    message,
  );

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const problems: string[] = [];
    if (description.value.trim().length === 0) problems.push(t('r.description'));
    if (chosen.length > MAX_PHOTOS) problems.push(t('r.too.many'));
    for (const f of chosen) {
      if (f.size > MAX_BYTES) problems.push(t('r.too.big', { name: f.name }));
      else if (!PHOTO_TYPES.includes(f.type)) problems.push(t('r.bad.type', { name: f.name }));
    }
    const hasCoords = lat.value !== '' && lng.value !== '';
    if (!hasCoords && address.value.trim() === '') problems.push(t('r.need.location'));
    if (problems.length) return replace(message, h('p', { class: 'notice error', role: 'alert' }, problems.join('；')));
    const fields: Record<string, string> = { description: description.value.trim() };
    if (hasCoords) Object.assign(fields, { lat: lat.value, lng: lng.value });
    if (address.value.trim()) fields['address'] = address.value.trim();
    if (reporterName.value.trim()) fields['reporterName'] = reporterName.value.trim();
    if (reporterPhone.value.trim()) fields['reporterPhone'] = reporterPhone.value.trim();
    submit.disabled = true;
    submit.textContent = t('r.submitting');
    replace(message);
    try {
      let filed: Filed;
      if (chosen.length) {
        // photos go as multipart: the text fields beside the files in `photos`
        const data = new FormData();
        for (const [k, v] of Object.entries(fields)) data.append(k, v);
        for (const f of chosen) data.append('photos', f, f.name);
        filed = await api<Filed>('/public/reports', { form: data, headers: { 'Idempotency-Key': key }, noLoginRedirect: true });
      } else {
        const json: Record<string, unknown> = { ...fields };
        if (hasCoords) Object.assign(json, { lat: Number(lat.value), lng: Number(lng.value) });
        filed = await api<Filed>('/public/reports', { body: json, headers: { 'Idempotency-Key': key }, noLoginRedirect: true });
      }
      remember(filed);
      showFiled(container, filed);
    } catch (err) {
      replace(message, errorBox(err));
      submit.disabled = false;
      submit.textContent = t('r.submit');
    }
  });
  replace(container, form);
}

function showFiled(container: HTMLElement, filed: Filed): void {
  replace(
    container,
    h(
      'section',
      { class: 'panel', 'data-testid': 'report-filed' },
      h('h2', null, t('r.done.title')),
      h(
        'dl',
        { class: 'fields' },
        h('dt', null, t('r.done.caseNo')),
        h('dd', { 'data-testid': 'case-no' }, filed.caseNo),
        h('dt', null, t('r.done.token')),
        h('dd', null, h('code', { class: 'token', 'data-testid': 'tracking-token' }, filed.trackingToken)),
      ),
      h('p', null, t('r.done.keep')),
      h(
        'div',
        { class: 'actions' },
        h('a', { class: 'button primary', href: `#follow=${encodeURIComponent(filed.trackingToken)}`, 'data-testid': 'follow-link' }, t('r.done.follow')),
        h(
          'a',
          {
            class: 'button',
            href: '#new',
            onclick: () => {
              if (location.hash === '#new') showReportForm(container);
            },
          },
          t('r.done.another'),
        ),
      ),
    ),
  );
  window.scrollTo(0, 0);
}

function showFollow(container: HTMLElement, token: string): void {
  const input = h('input', { type: 'text', id: 'token', value: token, autocomplete: 'off', spellcheck: false, pattern: '[A-Za-z0-9_\\-]{8,64}' });
  const result = h('div', { 'data-testid': 'follow-result' });
  const form = h(
    'form',
    { class: 'panel follow-form' },
    h('label', { for: 'token' }, t('r.token')),
    h('div', { class: 'inline' }, input, h('button', { type: 'submit', class: 'primary' }, t('r.follow'))),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = `follow=${encodeURIComponent(input.value.trim())}`;
  });
  const mine = myReports();
  replace(
    container,
    form,
    result,
    mine.length
      ? h(
          'section',
          { class: 'panel' },
          h('h3', null, t('r.mine')),
          h(
            'ul',
            { class: 'plain' },
            mine.map((m) =>
              h('li', null, h('a', { href: `#follow=${encodeURIComponent(m.token)}` }, m.caseNo), ' ', h('span', { class: 'muted' }, formatDateTime(m.at))),
            ),
          ),
        )
      : null,
  );
  if (token) void follow(result, token);
}

async function follow(result: HTMLElement, token: string): Promise<void> {
  replace(result, h('p', { class: 'muted' }, t('loading')));
  let c: PublicCaseView;
  try {
    c = await api<PublicCaseView>(`/public/reports/${encodeURIComponent(token)}`, { noLoginRedirect: true });
  } catch (err) {
    const notFound = (err as { status?: number }).status === 404 || (err as { status?: number }).status === 400;
    return replace(result, notFound ? h('p', { class: 'notice error', role: 'alert' }, t('r.not.found')) : errorBox(err));
  }
  const steps: [string, string | null][] = [
    ['r.step.reported', c.reportedAt],
    ['r.step.accepted', c.acceptedAt],
    ['r.step.dispatched', c.dispatchedAt],
    ['r.step.handled', c.handledAt],
    ['r.step.closed', c.closedAt],
  ];
  const photos = h('div');
  const rating = h('div');
  replace(
    result,
    h(
      'section',
      { class: 'panel', 'data-testid': 'followed-case' },
      h('h2', null, c.caseNo, ' ', h('span', { 'data-testid': 'case-status', 'data-status': c.status }, statusBadge(c.status))),
      h('p', null, c.description),
      c.address ? h('p', { class: 'muted' }, c.address) : null,
      h('h3', null, t('r.timeline')),
      h(
        'ol',
        { class: 'timeline', 'data-testid': 'timeline' },
        steps.map(([key, at]) =>
          h('li', { class: at ? 'done' : 'pending' }, h('div', null, t(key)), h('div', { class: 'when' }, at ? formatDateTime(at) : '—')),
        ),
      ),
      c.handleResult ? h('div', { 'data-testid': 'handle-result' }, h('h3', null, t('r.result')), h('p', null, c.handleResult)) : null,
      photos,
      c.satisfaction ? h('p', null, `${t('r.satisfaction')}：`, h('strong', null, t(`sat.${c.satisfaction}`))) : null,
    ),
    rating,
  );
  void showPhotos(photos, token);
  if (c.canRate && c.status === 'closed') showRating(rating, token, () => void follow(result, token));
}

/** The photos the reporter sent and the unit's after-photos (public by token; the page's img-src allows this server). */
async function showPhotos(container: HTMLElement, token: string): Promise<void> {
  try {
    const list = await api<{ id: string; fileName: string; kind: string }[]>(`/public/reports/${encodeURIComponent(token)}/photos`, { noLoginRedirect: true });
    const img = (p: { id: string; fileName: string }) =>
      h('img', { src: `/api/public/reports/${encodeURIComponent(token)}/photos/${p.id}`, alt: p.fileName, loading: 'lazy' });
    const own = list.filter((p) => p.kind !== 'photo_after');
    const after = list.filter((p) => p.kind === 'photo_after');
    replace(
      container,
      own.length ? [h('h3', null, t('r.your.photos')), h('div', { class: 'previews' }, own.map(img))] : null,
      after.length ? h('div', { 'data-testid': 'after-photos' }, h('h3', null, t('r.after.photos')), h('div', { class: 'previews' }, after.map(img))) : null,
    );
  } catch {
    // photos are a nicety: the case's progress is shown without them
  }
}

function showRating(container: HTMLElement, token: string, onRated: () => void): void {
  const yes = h('input', { type: 'radio', name: 'satisfied', id: 'sat-yes', value: 'true', checked: true });
  const no = h('input', { type: 'radio', name: 'satisfied', id: 'sat-no', value: 'false' });
  const stars = h(
    'select',
    { id: 'stars' },
    [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, '★'.repeat(n))),
  );
  const comment = h('textarea', { id: 'comment', maxlength: 500, rows: 3 });
  const message = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'rate-submit' }, t('r.rate.submit'));
  const key = idempotencyKey();
  const form = h(
    'form',
    { class: 'panel', 'data-testid': 'rating-form' },
    h('h3', null, t('r.rate.title')),
    h(
      'fieldset',
      { class: 'choice' },
      h('legend', null, t('r.satisfied')),
      h('label', { for: 'sat-yes' }, yes, ' ', t('r.yes')),
      h('label', { for: 'sat-no' }, no, ' ', t('r.no')),
    ),
    h('label', { for: 'stars' }, t('r.stars')),
    stars,
    h('label', { for: 'comment' }, t('r.comment')),
    comment,
    h('div', { class: 'actions' }, submit),
    message,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      await api(`/public/reports/${encodeURIComponent(token)}/rating`, {
        body: { satisfied: yes.checked, rating: Number(stars.value), ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) },
        headers: { 'Idempotency-Key': key },
        noLoginRedirect: true,
      });
      replace(container, h('p', { class: 'notice ok', 'data-testid': 'rated' }, t('r.rated')));
      setTimeout(onRated, 1500);
    } catch (err) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
      submit.disabled = false;
    }
  });
  replace(container, form);
}
