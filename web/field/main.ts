/**
 * 巡查上报: a grid worker's report from the street on a phone (issue #14 item 4): photos, the position
 * (the browser's, or an address/coordinates typed when positioning fails), the event type, and 自处置 —
 * a small problem fixed on the spot is filed and closed at once.
 */
import './field.css';
import './messages.js';
import { api, errorText, idempotencyKey } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { startPage, statusBadge } from '../shared/layout.js';
import type { FieldReportItem } from '../../domain/intake/field-report-type.js';

interface EventTypeItem {
  code: string;
  name: string;
  category: string;
}
interface Filed {
  caseNo: string;
  status: string;
  selfHandled: boolean;
}

const MAX_PHOTOS = 6;
const frame = startPage('field');
if (frame) draw(frame.main);

function draw(main: HTMLElement): void {
  main.classList.add('field');
  const photos = h('input', { type: 'file', id: 'field-photos', accept: 'image/jpeg,image/png,image/webp', multiple: true, capture: 'environment' });
  const previews = h('div', { class: 'previews', 'data-testid': 'field-previews' });
  const locate = h('button', { type: 'button', id: 'field-locate', 'data-testid': 'field-locate' }, t('fd.locate'));
  const located = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'field-located' });
  const lat = h('input', { type: 'number', id: 'field-lat', step: 'any', min: -90, max: 90, inputmode: 'decimal' });
  const lng = h('input', { type: 'number', id: 'field-lng', step: 'any', min: -180, max: 180, inputmode: 'decimal' });
  const address = h('input', { id: 'field-address', maxlength: 255, autocomplete: 'off' });
  const type = h('select', { id: 'field-type', required: true }, h('option', { value: '' }, t('fd.type.choose')));
  const description = h('textarea', { id: 'field-description', maxlength: 2000, required: true });
  const self = h('input', { type: 'checkbox', id: 'field-self' });
  const result = h('textarea', { id: 'field-result', maxlength: 500 });
  const resultBox = h('label', { class: 'block', hidden: true, 'data-testid': 'field-result-box' }, t('fd.result'), result);
  const submit = h('button', { type: 'submit', class: 'primary big', 'data-testid': 'field-submit' }, t('fd.submit'));
  const message = h('div', { 'aria-live': 'polite', 'data-testid': 'field-message' });
  const mine = h('div', { 'data-testid': 'field-mine' });
  let key = idempotencyKey();
  let chosen: File[] = [];

  const form = h(
    'form',
    { 'data-testid': 'field-form', novalidate: true },
    h('fieldset', null, h('legend', null, t('fd.photos')), h('label', { class: 'block' }, t('fd.photos.hint'), photos), previews),
    h(
      'fieldset',
      null,
      h('legend', null, t('fd.where')),
      locate,
      located,
      h('div', { class: 'coords' }, h('label', { class: 'block' }, t('fd.lat'), lat), h('label', { class: 'block' }, t('fd.lng'), lng)),
      h('label', { class: 'block' }, t('fd.address'), address),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, t('fd.type')),
      h('label', { class: 'block' }, t('fd.type'), type),
      h('label', { class: 'block' }, t('fd.description'), description),
    ),
    h('fieldset', null, h('label', { class: 'check' }, self, t('fd.self')), resultBox),
    submit,
    message,
  );
  replace(main, h('h1', null, t('nav.field')), form, h('section', null, h('h2', null, t('fd.mine')), mine));

  photos.addEventListener('change', () => {
    chosen = Array.from(photos.files ?? []).slice(0, MAX_PHOTOS);
    replace(previews, ...chosen.map((f) => h('img', { src: URL.createObjectURL(f), alt: f.name })));
  });
  self.addEventListener('change', () => {
    resultBox.hidden = !self.checked;
    submit.textContent = self.checked ? t('fd.submit.self') : t('fd.submit');
  });
  locate.addEventListener('click', () => {
    if (!navigator.geolocation) return void (located.textContent = t('fd.locate.failed', { reason: 'geolocation' }));
    located.textContent = t('fd.locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        lat.value = pos.coords.latitude.toFixed(6);
        lng.value = pos.coords.longitude.toFixed(6);
        located.textContent = t('fd.located', { lat: lat.value, lng: lng.value });
      },
      // denied, no fix, or too slow: the fields stay open for an address or typed coordinates
      (err) => {
        located.textContent = t('fd.locate.failed', { reason: err.message || String(err.code) });
        address.focus();
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  });

  void (async () => {
    try {
      const { items } = await api<{ items: EventTypeItem[] }>('/admin/event-types?pageSize=1000&enabled=true');
      // grouped by category, as the catalogue is organised and as grid workers learn it
      const groups = new Map<string, EventTypeItem[]>();
      for (const e of items) groups.set(e.category, [...(groups.get(e.category) ?? []), e]);
      type.append(
        ...[...groups].map(([category, list]) =>
          h(
            'optgroup',
            { label: category },
            list.map((e) => h('option', { value: e.code }, e.name)),
          ),
        ),
      );
    } catch (err) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
    }
  })();

  const say = (text: string, error = false) =>
    replace(message, h('p', { class: error ? 'notice error' : 'notice ok', role: error ? 'alert' : 'status' }, text));
  const point = () => lat.value !== '' && lng.value !== '' && Number.isFinite(lat.valueAsNumber) && Number.isFinite(lng.valueAsNumber);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const missing = !type.value
      ? (['fd.need.type', type] as const)
      : !description.value.trim()
        ? (['fd.need.description', description] as const)
        : !point() && !address.value.trim()
          ? (['fd.need.where', address] as const)
          : self.checked && !result.value.trim()
            ? (['fd.need.result', result] as const)
            : null;
    if (missing) {
      say(t(missing[0]), true);
      missing[1].focus();
      return;
    }
    const data = new FormData();
    data.append('description', description.value.trim());
    data.append('eventTypeCode', type.value);
    if (point()) {
      data.append('lat', lat.value);
      data.append('lng', lng.value);
    }
    if (address.value.trim()) data.append('address', address.value.trim());
    if (self.checked) {
      data.append('selfHandled', 'true');
      data.append('result', result.value.trim());
    }
    for (const f of chosen) data.append('photos', f, f.name);
    submit.disabled = true;
    try {
      const filed = await api<Filed>('/field-reports', { form: data, headers: { 'Idempotency-Key': key } });
      say(t(filed.selfHandled ? 'fd.closed' : 'fd.filed', { caseNo: filed.caseNo }));
      form.reset();
      chosen = [];
      replace(previews);
      resultBox.hidden = true;
      submit.textContent = t('fd.submit');
      located.textContent = '';
      key = idempotencyKey();
      await loadMine();
    } catch (err) {
      say(errorText(err), true);
    } finally {
      submit.disabled = false;
    }
  });

  async function loadMine(): Promise<void> {
    const { items } = await api<{ items: FieldReportItem[] }>('/field-reports');
    if (!items.length) return replace(mine, h('p', { class: 'muted' }, t('fd.mine.none')));
    replace(
      mine,
      h(
        'ul',
        { class: 'plain' },
        items.map((r) =>
          h(
            'li',
            { 'data-case': r.caseNo },
            h('strong', null, r.caseNo),
            ' ',
            statusBadge(r.status),
            h('br'),
            r.description,
            h('br'),
            h('span', { class: 'muted' }, formatDateTime(r.createdAt)),
          ),
        ),
      ),
    );
  }
  void loadMine().catch((err) => replace(mine, h('p', { class: 'notice error', role: 'alert' }, errorText(err))));
}
