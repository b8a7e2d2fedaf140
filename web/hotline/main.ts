/**
 * 来电登记: the hotline operator's one screen while the caller is on the line (issue #14). Keyboard first:
 * the fields in speaking order (caller, what, where), the caller's earlier cases, the classifier's
 * suggestions (Alt+digit), open cases nearby that look the same (并单 instead of a new case), and for a
 * consultation the answer recorded on the spot (直办). Ctrl+Enter submits.
 */
import './hotline.css';
import './messages.js';
import { api, errorText, idempotencyKey } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { startPage, statusBadge } from '../shared/layout.js';

interface Suggestion {
  code: string;
  name: string;
  category: string;
  confidence: number | null;
}
interface NearbyCase {
  id: string;
  caseNo: string;
  description: string;
  status: string;
  distanceMetres: number;
  sameType: boolean;
  createdAt: string;
}
interface CallContext {
  suggestions: Suggestion[];
  grid: { gridCode: string; gridName: string; township: string | null } | null;
  nearby: NearbyCase[];
}
interface CallerCase {
  id: string;
  caseNo: string;
  description: string;
  status: string;
  createdAt: string;
}
interface HotlineCall {
  id: string;
  kind: 'consultation' | 'merged';
  callerName: string | null;
  content: string;
  answer: string | null;
  caseNo: string | null;
  createdAt: string;
}

const frame = startPage('hotline', { wide: true });
if (frame) draw(frame.main);

function field(label: string, control: HTMLElement): HTMLLabelElement {
  return h('label', null, label, control);
}

function draw(main: HTMLElement): void {
  const name = h('input', { id: 'caller-name', name: 'callerName', autocomplete: 'off', maxlength: 64 });
  const phone = h('input', { id: 'caller-phone', name: 'callerPhone', inputmode: 'tel', autocomplete: 'off', maxlength: 20, pattern: '[0-9+\\- ]{3,20}' });
  const kindCase = h('input', { type: 'radio', name: 'kind', value: 'case', checked: true, id: 'kind-case' });
  const kindAsk = h('input', { type: 'radio', name: 'kind', value: 'consultation', id: 'kind-consultation' });
  const content = h('textarea', { id: 'call-content', name: 'content', maxlength: 2000 });
  const address = h('input', { id: 'address', name: 'address', maxlength: 255, autocomplete: 'off' });
  const gridSearch = h('input', { id: 'grid-search', type: 'search', autocomplete: 'off' });
  const gridSelect = h('select', { id: 'grid-code', name: 'gridCode' }, h('option', { value: '' }, t('hl.grid.none')));
  const lat = h('input', { id: 'lat', type: 'number', step: 'any', min: -90, max: 90 });
  const lng = h('input', { id: 'lng', type: 'number', step: 'any', min: -180, max: 180 });
  const answer = h('textarea', { id: 'answer', name: 'answer', maxlength: 2000 });
  const answerBox = h('fieldset', { hidden: true, 'data-testid': 'answer-box' }, h('legend', null, t('hl.answer')), field(t('hl.answer'), answer));
  const suggestionsBox = h(
    'div',
    { 'data-testid': 'suggestions', role: 'radiogroup', 'aria-label': t('hl.suggestions') },
    h('p', { class: 'muted' }, t('hl.suggestions.none')),
  );
  const placed = h('p', { class: 'muted', 'data-testid': 'placed', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'hotline-submit' }, t('hl.file'));
  const message = h('div', { 'aria-live': 'polite', 'data-testid': 'hotline-message' });
  const historyBox = h('div', { 'data-testid': 'caller-cases' }, h('p', { class: 'muted' }, t('hl.history.hint')));
  const nearbyBox = h('div', { 'data-testid': 'nearby' }, h('p', { class: 'muted' }, t('hl.nearby.none')));
  const recentBox = h('div', { 'data-testid': 'recent-calls' });

  const form = h(
    'form',
    { 'data-testid': 'hotline-form', novalidate: true },
    h(
      'fieldset',
      null,
      h('legend', null, t('hl.caller')),
      h('div', { class: 'row' }, field(t('hl.name'), name), field(t('hl.phone'), phone)),
      h(
        'div',
        { class: 'choices', role: 'radiogroup', 'aria-label': t('hl.kind') },
        h('label', null, kindCase, t('hl.kind.case')),
        h('label', null, kindAsk, t('hl.kind.consultation')),
      ),
    ),
    h('fieldset', null, h('legend', null, t('hl.what')), field(t('hl.content'), content)),
    answerBox,
    h(
      'fieldset',
      { 'data-testid': 'where' },
      h('legend', null, t('hl.where')),
      h('div', { class: 'row' }, field(t('hl.address'), address)),
      h('div', { class: 'row' }, field(t('hl.gridSearch'), gridSearch), field(t('hl.grid'), gridSelect)),
      h('div', { class: 'row' }, field(t('hl.lat'), lat), field(t('hl.lng'), lng)),
      placed,
    ),
    h('fieldset', null, h('legend', null, t('hl.suggestions')), suggestionsBox),
    h('div', { class: 'actions' }, submit),
    message,
  );

  replace(
    main,
    h('h1', null, t('nav.hotline')),
    h('p', { class: 'muted' }, t('hl.keys')),
    h(
      'div',
      { class: 'hotline' },
      form,
      h(
        'aside',
        { class: 'side' },
        h('section', null, h('h2', null, t('hl.history')), historyBox),
        h('section', null, h('h2', null, t('hl.nearby')), nearbyBox),
        h('section', null, h('h2', null, t('hl.recent')), recentBox),
      ),
    ),
  );

  let suggestions: Suggestion[] = [];
  const isConsultation = () => kindAsk.checked;
  const chosenType = () => suggestionsBox.querySelector<HTMLInputElement>('input[name=eventType]:checked')?.value || undefined;
  const point = (): { lat: number; lng: number } | null =>
    lat.value !== '' && lng.value !== '' && Number.isFinite(lat.valueAsNumber) && Number.isFinite(lng.valueAsNumber)
      ? { lat: lat.valueAsNumber, lng: lng.valueAsNumber }
      : null;

  function syncKind(): void {
    answerBox.hidden = !isConsultation();
    submit.textContent = isConsultation() ? t('hl.answerDone') : t('hl.file');
  }
  kindCase.addEventListener('change', syncKind);
  kindAsk.addEventListener('change', syncKind);

  // the caller's earlier cases, once a whole number is typed
  async function loadHistory(): Promise<void> {
    const number = phone.value.trim();
    if (!/^[0-9+\- ]{3,20}$/.test(number)) return;
    try {
      const { items } = await api<{ items: CallerCase[] }>(`/hotline/caller-cases?phone=${encodeURIComponent(number)}`);
      replace(
        historyBox,
        items.length
          ? h(
              'ul',
              { class: 'pick' },
              items.map((c) =>
                h(
                  'li',
                  { 'data-case': c.caseNo },
                  h('a', { href: `/history/#case=${encodeURIComponent(c.id)}` }, c.caseNo),
                  ' ',
                  statusBadge(c.status),
                  ' ',
                  h('span', { class: 'muted' }, formatDateTime(c.createdAt)),
                  h('div', null, c.description),
                ),
              ),
            )
          : h('p', { class: 'muted' }, t('hl.history.none')),
      );
    } catch (err) {
      replace(historyBox, h('p', { class: 'notice error' }, errorText(err)));
    }
  }
  phone.addEventListener('change', () => void loadHistory());

  // the context of the call: suggestions, the grid, open cases nearby — refreshed as the operator types
  let contextTimer: number | undefined;
  let contextSeq = 0;
  function refreshContext(): void {
    window.clearTimeout(contextTimer);
    contextTimer = window.setTimeout(() => void loadContext(), 350);
  }
  async function loadContext(): Promise<void> {
    const seq = ++contextSeq;
    const q = new URLSearchParams();
    if (content.value.trim()) q.set('description', content.value.trim());
    const p = point();
    if (p) {
      q.set('lat', String(p.lat));
      q.set('lng', String(p.lng));
    } else if (gridSelect.value) q.set('gridCode', gridSelect.value);
    try {
      const ctx = await api<CallContext>(`/hotline/context?${q}`);
      if (seq !== contextSeq) return;
      showSuggestions(ctx.suggestions);
      placed.textContent = ctx.grid ? t('hl.placed', { grid: `${ctx.grid.gridName}（${ctx.grid.gridCode}）`, township: ctx.grid.township ?? '—' }) : '';
      if (ctx.grid && p && ![...gridSelect.options].some((o) => o.value === ctx.grid!.gridCode)) {
        gridSelect.append(h('option', { value: ctx.grid.gridCode }, `${ctx.grid.gridName}（${ctx.grid.gridCode}）`));
      }
      if (ctx.grid && p) gridSelect.value = ctx.grid.gridCode;
      showNearby(ctx.nearby);
    } catch (err) {
      if (seq === contextSeq) replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
    }
  }
  content.addEventListener('input', refreshContext);
  lat.addEventListener('change', refreshContext);
  lng.addEventListener('change', refreshContext);
  gridSelect.addEventListener('change', refreshContext);

  function showSuggestions(list: Suggestion[]): void {
    const before = chosenType();
    suggestions = list;
    if (!list.length) return replace(suggestionsBox, h('p', { class: 'muted' }, t('hl.suggestions.none')));
    const keep = list.some((s) => s.code === before) ? before : list[0]!.code;
    replace(
      suggestionsBox,
      h(
        'ul',
        { class: 'pick' },
        list.map((s, i) =>
          h(
            'li',
            null,
            h(
              'label',
              null,
              h('input', { type: 'radio', name: 'eventType', value: s.code, checked: s.code === keep, 'data-suggestion': s.code }),
              h('kbd', null, `Alt+${i + 1}`),
              ' ',
              `${s.name}（${s.code}）`,
              ' ',
              h('span', { class: 'muted' }, s.category),
              s.confidence !== null ? h('span', { class: 'muted' }, ` · ${t('hl.confidence', { p: Math.round(s.confidence * 100) })}`) : null,
            ),
          ),
        ),
      ),
    );
  }

  function showNearby(list: NearbyCase[]): void {
    replace(
      nearbyBox,
      list.length
        ? h(
            'ul',
            { class: 'pick' },
            list.map((c) =>
              h(
                'li',
                { 'data-nearby': c.caseNo },
                h('strong', null, c.caseNo),
                ' ',
                statusBadge(c.status),
                ' ',
                c.sameType ? h('span', { class: 'status' }, t('hl.nearby.same')) : null,
                ' ',
                h('span', { class: 'muted' }, `${t('hl.nearby.distance', { m: c.distanceMetres })} · ${formatDateTime(c.createdAt)}`),
                h('div', null, c.description),
                h('button', { type: 'button', 'data-join': c.id, onclick: () => void join(c) }, t('hl.nearby.join')),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('hl.nearby.none')),
    );
  }

  // grids by name or code, for an address without a point
  let gridTimer: number | undefined;
  gridSearch.addEventListener('input', () => {
    window.clearTimeout(gridTimer);
    gridTimer = window.setTimeout(async () => {
      const q = gridSearch.value.trim();
      if (!q) return;
      try {
        const page = await api<{ items: { code: string; name: string }[] }>(`/admin/grids?q=${encodeURIComponent(q)}&pageSize=20`);
        replace(
          gridSelect,
          h('option', { value: '' }, t('hl.grid.none')),
          page.items.map((g) => h('option', { value: g.code }, `${g.name}（${g.code}）`)),
        );
        if (page.items.length === 1) {
          gridSelect.value = page.items[0]!.code;
          refreshContext();
        }
      } catch (err) {
        replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
      }
    }, 300);
  });

  // Alt+1…9 picks a suggestion, Ctrl+Enter submits, wherever the focus is
  document.addEventListener('keydown', (e) => {
    if (e.altKey && /^[1-9]$/.test(e.key)) {
      const s = suggestions[Number(e.key) - 1];
      const input = s ? suggestionsBox.querySelector<HTMLInputElement>(`input[data-suggestion="${CSS.escape(s.code)}"]`) : null;
      if (input) {
        input.checked = true;
        e.preventDefault();
      }
    } else if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  const caller = () => ({
    ...(name.value.trim() ? { callerName: name.value.trim() } : {}),
    ...(phone.value.trim() ? { callerPhone: phone.value.trim() } : {}),
  });

  function done(text: string): void {
    replace(message, h('p', { class: 'notice ok', role: 'status', 'data-testid': 'hotline-done' }, text));
    for (const el of [name, phone, content, address, gridSearch, lat, lng, answer]) el.value = '';
    replace(gridSelect, h('option', { value: '' }, t('hl.grid.none')));
    kindCase.checked = true;
    syncKind();
    suggestions = [];
    replace(suggestionsBox, h('p', { class: 'muted' }, t('hl.suggestions.none')));
    replace(historyBox, h('p', { class: 'muted' }, t('hl.history.hint')));
    showNearby([]);
    placed.textContent = '';
    void loadRecent();
    name.focus(); // the next call
  }

  async function run(action: () => Promise<string>): Promise<void> {
    submit.disabled = true;
    replace(message);
    try {
      done(await action());
    } catch (err) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
    } finally {
      submit.disabled = false;
    }
  }

  function join(c: NearbyCase): void {
    if (!content.value.trim()) return void replace(message, h('p', { class: 'notice error', role: 'alert' }, t('hl.need.content')));
    void run(async () => {
      const joined = await api<{ caseNo: string; duplicateCount: number }>('/hotline/joined-calls', {
        body: { ...caller(), caseId: c.id, content: content.value.trim() },
        headers: { 'Idempotency-Key': idempotencyKey() },
      });
      return t('hl.joined', { caseNo: joined.caseNo, n: joined.duplicateCount + 1 });
    });
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = content.value.trim();
    if (!text) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, t('hl.need.content')));
      return content.focus();
    }
    if (isConsultation()) {
      if (!answer.value.trim()) {
        replace(message, h('p', { class: 'notice error', role: 'alert' }, t('hl.need.answer')));
        return answer.focus();
      }
      void run(async () => {
        const saved = await api<{ id: string }>('/hotline/consultations', {
          body: { ...caller(), question: text, answer: answer.value.trim() },
          headers: { 'Idempotency-Key': idempotencyKey() },
        });
        return t('hl.answered', { id: saved.id });
      });
      return;
    }
    const p = point();
    const type = chosenType();
    void run(async () => {
      const filed = await api<{ caseNo: string }>('/cases', {
        body: {
          description: text,
          ...(name.value.trim() ? { reporterName: name.value.trim() } : {}),
          ...(phone.value.trim() ? { reporterPhone: phone.value.trim() } : {}),
          ...(address.value.trim() ? { address: address.value.trim() } : {}),
          ...(p ? { lat: p.lat, lng: p.lng } : {}),
          ...(gridSelect.value ? { gridCode: gridSelect.value } : {}),
          ...(type ? { eventTypeCode: type } : {}),
        },
        headers: { 'Idempotency-Key': idempotencyKey() },
      });
      return t('hl.filed', { caseNo: filed.caseNo });
    });
  });

  async function loadRecent(): Promise<void> {
    try {
      const { items } = await api<{ items: HotlineCall[] }>('/hotline/calls');
      replace(
        recentBox,
        items.length
          ? h(
              'ul',
              { class: 'pick' },
              items.map((c) =>
                h(
                  'li',
                  null,
                  h('strong', null, c.kind === 'merged' ? `${t('hl.kind.merged')} ${c.caseNo ?? ''}` : t('hl.kind.consulted')),
                  ' ',
                  h('span', { class: 'muted' }, `${c.callerName ?? ''} ${formatDateTime(c.createdAt)}`),
                  h('div', null, c.content),
                  c.answer ? h('div', { class: 'muted' }, c.answer) : null,
                ),
              ),
            )
          : h('p', { class: 'muted' }, t('hl.recent.none')),
      );
    } catch (err) {
      replace(recentBox, h('p', { class: 'notice error' }, errorText(err)));
    }
  }
  void loadRecent();
  syncKind();
  name.focus();
}
