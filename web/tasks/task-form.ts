/**
 * A task's form, rendered with form-js (the same schema the server validates against): the handling
 * outcome (办结 / 退单 / 延期 / 挂账) as explicit buttons, photo uploads that fill the form's photo fields
 * with attachment ids, and the submit that completes the task.
 */
import { Form } from '@bpmn-io/form-js-viewer';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { api, apiObjectUrl, errorText, idempotencyKey } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, lang, t } from '../shared/i18n.js';
import { translateDom } from '../shared/dom-translate.js';
import { FORM_VIEWER_ZH, formValidationZh } from '../shared/form-js-zh.js';
import { classifySuggestions } from './classify-suggestions.js';
import { markdownLiteral } from './plain-text.js';
import type { FormComponent, FormSchema, TaskDetail } from './types.js';

/** Attachment-id fields carry the contract's pattern (forms/README.md: "101, 102", ids of up to 19 digits). */
const isAttachmentPattern = (pattern: string | undefined) => !!pattern && pattern.includes('\\d{1,19}');
const OUTCOME_KEY = 'handleOutcome';

type Data = Record<string, unknown>;

function fields(components: FormComponent[]): FormComponent[] {
  return components.flatMap((c) => [c, ...fields(c.components ?? [])]);
}

/** Photo fields: text fields taking attachment ids. */
function photoFields(schema: FormSchema): FormComponent[] {
  return fields(schema.components).filter((c) => c.type === 'textfield' && !!c.key && (isAttachmentPattern(c.validate?.pattern) || /^photos/i.test(c.key)));
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * The values as the form's texts show them: times (`…At` names holding ISO strings, such as handleDueAt) in
 * local wording, and every other text as plain text (not Markdown, not HTML: see plain-text.ts), unless a field
 * edits that name and needs the raw value (an input shows its value as text anyway).
 */
function shownValues(values: Data, schema: FormSchema): Data {
  const fieldKeys = new Set(
    fields(schema.components)
      .map((f) => f.key)
      .filter(Boolean),
  );
  const shown = (name: string, value: unknown): unknown => {
    if (fieldKeys.has(name) || typeof value !== 'string') return value;
    return markdownLiteral(/At$/.test(name) && ISO_TIME.test(value) ? formatDateTime(value) : value);
  };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, shown(name, value)]));
}

/**
 * What the form's texts and option lists read besides its own fields: the task's variables from the engine
 * (caseNo, unitCode, handleDueAt, dispatchNote, routeReason …) over what the case and task already say, and
 * the catalogue's options. Values the user then types or picks go over all of these (the `changed` handler).
 */
async function initialData(detail: TaskDetail, schema: FormSchema): Promise<Data> {
  const c = detail.case;
  const data: Data = shownValues(
    {
      caseId: c?.id ?? detail.task.caseId,
      caseNo: c?.caseNo ?? detail.task.caseNo,
      description: c?.description ?? null,
      eventTypeCode: c?.eventTypeCode ?? null,
      gridCode: c?.gridCode ?? null,
      address: c?.address ?? null,
      category: c?.category ?? null,
      handleDueAt: detail.task.dueAt ?? null,
      dispatchNote: null,
      ...(detail.variables ?? {}),
    },
    schema,
  );
  const wants = new Set(
    fields(schema.components)
      .map((f) => (f as { valuesKey?: string }).valuesKey)
      .filter(Boolean),
  );
  const load = async (key: string, path: string) => {
    if (!wants.has(key) || Array.isArray(data[key])) return;
    try {
      const page = await api<{ items: { code: string; name: string }[] }>(path);
      data[key] = page.items.map((i) => ({ label: `${i.name}（${i.code}）`, value: i.code }));
    } catch {
      data[key] = [];
    }
  };
  await Promise.all([
    load('eventTypeOptions', '/admin/event-types?pageSize=1000&enabled=true'),
    load('unitOptions', '/admin/units?pageSize=1000&enabled=true'),
  ]);
  return data;
}

export interface TaskFormOptions {
  detail: TaskDetail;
  /** may this user complete the task (role, unit, not claimed by someone else, still open) */
  canAct: boolean;
  onCompleted: (message: string) => void;
}

export async function taskForm(container: HTMLElement, o: TaskFormOptions): Promise<void> {
  const { detail } = o;
  const key = detail.task.userTaskKey;
  const message = h('div', { 'aria-live': 'polite', 'data-testid': 'form-message' });
  const submit = h('button', { type: 'button', class: 'primary', 'data-testid': 'task-submit', disabled: !o.canAct }, t('tk.submit'));

  if (!detail.form) {
    // a task without a form completes with no data
    submit.addEventListener('click', () => void complete({}));
    replace(container, h('h3', null, t('tk.form')), h('p', { class: 'muted' }, t('tk.noform')), h('div', { class: 'actions' }, submit), message);
    return;
  }
  const schema = detail.form;
  const formHost = h('div', { class: 'form-host', 'data-testid': 'task-form' });
  const outcomeBar = h('div', { class: 'outcomes', role: 'group', 'aria-label': t('tk.outcome'), 'data-testid': 'outcomes' });
  const outcomeHelp = h('p', { class: 'muted outcome-help' });
  const photos = h('div', { class: 'photo-uploads', 'data-testid': 'photo-uploads' });
  const suggestions = h('div', { class: 'suggestions', 'data-testid': 'suggestions', hidden: true });
  replace(container, h('h3', null, t('tk.form')), suggestions, outcomeBar, outcomeHelp, formHost, photos, h('div', { class: 'actions' }, submit), message);

  // 办结 / 退单 / 延期 / 挂账 as buttons: the radio stays in the form, the buttons make the choice explicit
  const outcome = fields(schema.components).find((f) => f.key === OUTCOME_KEY && f.values?.length);
  const outcomeButtons = (outcome?.values ?? []).map((v) => {
    const value = String(v.value);
    const label = t(`tk.outcome.${value}`) === `tk.outcome.${value}` ? v.label : t(`tk.outcome.${value}`);
    return h(
      'button',
      { type: 'button', class: 'outcome', 'data-outcome': value, disabled: !o.canAct, onclick: () => void setValues({ [OUTCOME_KEY]: v.value }) },
      label,
    );
  });
  outcomeBar.replaceChildren(...outcomeButtons);
  if (!outcome) outcomeBar.remove();

  const photoFieldList = photoFields(schema);

  let data = await initialData(detail, schema);
  const chinese = lang() === 'zh-CN';
  // no input debounce: a value typed just before a field re-renders (another field's blur) must not be lost
  const form = new Form({ container: formHost, debounce: false, additionalModules: chinese ? [formValidationZh] : [] } as ConstructorParameters<
    typeof Form
  >[0]);
  if (chinese) translateDom(formHost, FORM_VIEWER_ZH);
  form.on('changed', (e: { data: Data }) => {
    data = { ...data, ...e.data };
    syncOutcome();
  });
  await form.importSchema(schema, data);
  if (!o.canAct) form.setProperty('readOnly', true);

  /** Changes field values from outside the form (outcome buttons, uploaded ids) by re-importing with the new data. */
  const setValues = async (patch: Data) => {
    data = { ...data, ...patch };
    await form.importSchema(schema, data);
    if (!o.canAct) form.setProperty('readOnly', true);
    syncOutcome();
  };

  function syncOutcome(): void {
    const current = outcome ? (data[OUTCOME_KEY] as string | undefined) : undefined;
    for (const b of outcomeButtons) b.classList.toggle('active', b.dataset['outcome'] === String(current));
    if (outcome) {
      outcomeHelp.textContent = current ? t(`tk.outcome.help.${current}`) : '';
      submit.textContent = current && t(`tk.submit.${current}`) !== `tk.submit.${current}` ? t(`tk.submit.${current}`) : t('tk.submit');
    }
    // photo fields belong to 办结 in the handle form; elsewhere they are always there
    photos.hidden = photoFieldList.length === 0 || (!!outcome && current !== 'done');
  }

  // one upload row per photo field: the file goes to the case, its id into the field
  replace(
    photos,
    photoFieldList.length ? h('h4', null, t('tk.photos'), ' ', h('span', { class: 'hint muted' }, t('tk.photos.hint'))) : null,
    photoFieldList.map((f) => {
      const kind = /before/i.test(f.key!) ? 'photo_before' : 'photo_after';
      const input = h('input', {
        type: 'file',
        id: `photo-${f.key!}`,
        accept: 'image/jpeg,image/png,image/webp',
        'data-photo-field': f.key!,
        disabled: !o.canAct,
      });
      const thumbs = h('div', { class: 'thumbs' });
      const note = h('span', { class: 'muted', 'aria-live': 'polite' });
      const upload = h(
        'button',
        {
          type: 'button',
          'data-upload-for': f.key!,
          disabled: !o.canAct,
          onclick: async () => {
            const file = input.files?.[0];
            if (!file) return void (note.textContent = t('tk.choose'));
            upload.disabled = true;
            note.textContent = t('tk.uploading');
            try {
              const body = new FormData();
              body.append('kind', kind);
              body.append('file', file, file.name);
              const saved = await api<{ id: string }>(`/tasks/${key}/attachments`, { form: body });
              const before = String(data[f.key!] ?? '').trim();
              await setValues({ [f.key!]: before ? `${before},${saved.id}` : saved.id });
              note.textContent = t('tk.uploaded', { id: saved.id });
              input.value = '';
              const img = h('img', { alt: file.name, title: `#${saved.id}` });
              thumbs.appendChild(h('figure', null, img, h('figcaption', null, `#${saved.id}`)));
              apiObjectUrl(`/attachments/${saved.id}`)
                .then((url) => {
                  img.src = url;
                })
                .catch(() => undefined);
            } catch (err) {
              note.textContent = errorText(err);
            } finally {
              upload.disabled = false;
            }
          },
        },
        t('tk.upload'),
      );
      return h(
        'div',
        { class: 'photo-row' },
        h('label', { for: `photo-${f.key!}` }, f.label ?? f.key!),
        h('div', { class: 'inline' }, input, upload, note),
        thumbs,
      );
    }),
  );
  syncOutcome();
  // 受理 (a form that files the case under an event type): the classifier's suggestions, one click to take one
  const keys = new Set(fields(schema.components).map((f) => f.key));
  if (keys.has('filed') && keys.has('eventTypeCode')) void classifySuggestions(suggestions, String(data['description'] ?? ''), o.canAct, setValues);

  submit.addEventListener('click', () => {
    const result = form.submit();
    const wrong = Object.entries(result.errors as Record<string, string[]>).filter(([, list]) => list.length);
    if (wrong.length) {
      // form-js marks each field; the summary names them (the form may be long)
      const labelOf = (id: string) => fields(schema.components).find((f) => f.id === id)?.label ?? id;
      replace(
        message,
        h(
          'p',
          { class: 'notice error', role: 'alert' },
          `${t('tk.form.errors')} ${wrong.map(([id, list]) => `${labelOf(id)}：${list.join('，')}`).join('；')}`,
        ),
      );
      return;
    }
    void complete(result.data as Data);
  });

  async function complete(values: Data): Promise<void> {
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = t('tk.submitting');
    replace(message);
    try {
      // a fresh key per press: the button is disabled while a submission runs, and a corrected form is another request
      await api(`/tasks/${key}/complete`, { body: { data: values }, headers: { 'Idempotency-Key': idempotencyKey() } });
      o.onCompleted(t('tk.completed', { name: `${detail.task.name} · ${detail.task.caseNo ?? ''}` }));
    } catch (err) {
      replace(message, h('p', { class: 'notice error', role: 'alert' }, errorText(err)));
      submit.disabled = false;
      submit.textContent = label;
    }
  }
}
