/**
 * The case beside a task: what was reported, where (coordinates, address, grid, and a small offline map
 * drawn from the grids of /api/dashboard/map), the attachments and the timeline (/api/cases/:id/history,
 * or the case's own dates when the history cannot be read).
 */
import { api, apiObjectUrl } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { formatDateTime, t } from '../shared/i18n.js';
import { lightBadge, loginName, statusBadge } from '../shared/layout.js';
import type { Attachment, CaseDetail, CaseMap, Position, TimelineEntry } from './types.js';

export function casePanel(c: CaseDetail): HTMLElement {
  const map = h('div', { class: 'case-map', 'data-testid': 'case-map' });
  const timeline = h('div', { 'data-testid': 'case-timeline' });
  const attachments = h('div', { class: 'attachments', 'data-testid': 'case-attachments' });
  const coords = c.lat !== null && c.lng !== null ? `${c.lat.toFixed(6)}, ${c.lng.toFixed(6)}` : t('tk.nolocation');
  const panel = h(
    'section',
    { class: 'panel case-panel', 'data-testid': 'case-panel' },
    h('h2', null, t('tk.case'), ' ', c.caseNo, ' ', statusBadge(c.status), ' ', lightBadge(c.warningLight)),
    h(
      'dl',
      { class: 'fields' },
      h('dt', null, t('tk.description')),
      h('dd', { 'data-testid': 'case-description' }, c.description),
      h('dt', null, t('tk.address')),
      h('dd', null, c.address ?? '—'),
      h('dt', null, t('tk.coords')),
      h('dd', { 'data-testid': 'case-coords' }, coords),
      h('dt', null, t('tk.grid')),
      h('dd', null, c.gridCode ?? '—'),
      h('dt', null, t('tk.eventType')),
      h('dd', null, [c.eventTypeCode, c.category].filter(Boolean).join(' · ') || '—'),
      h('dt', null, t('tk.channel')),
      h('dd', null, t(`ch.${c.channel}`)),
      h('dt', null, t('tk.reporter')),
      h('dd', null, [c.reporterName, c.reporterPhone].filter(Boolean).join(' · ') || '—'),
      h('dt', null, t('tk.created')),
      h('dd', null, formatDateTime(c.createdAt)),
      h('dt', null, t('tk.caseDue')),
      h('dd', null, formatDateTime(c.dueAt)),
      c.escalationLevel > 0 ? [h('dt', null, t('tk.escalation')), h('dd', null, String(c.escalationLevel))] : null,
    ),
    map,
    attachments,
    h('h3', null, t('tk.timeline'), ' ', h('a', { href: `/history/#case=${encodeURIComponent(c.id)}`, class: 'small' }, t('tk.history'))),
    timeline,
  );
  if (c.lat !== null && c.lng !== null) void drawMap(map, c.lat, c.lng, c.gridCode);
  void showAttachments(attachments, c.id);
  void showTimeline(timeline, c);
  return panel;
}

/**
 * A small map without a tile server: the grid outlines near the case (the unit's grids from the
 * dashboard map) and the case as a pin, in an SVG with an equirectangular projection (fine at a
 * district's scale).
 */
async function drawMap(container: HTMLElement, lat: number, lng: number, gridCode: string | null): Promise<void> {
  let data: CaseMap | null = null;
  try {
    data = await api<CaseMap>('/dashboard/map');
  } catch {
    data = null; // the map is a help, not a need: the coordinates are shown above
  }
  const features = data?.grids.features ?? [];
  const own = features.find((f) => f.properties.code === gridCode);
  const ring = (f: (typeof features)[number]): Position[] => (f.geometry.type === 'Polygon' ? (f.geometry.coordinates[0] ?? []) : [f.geometry.coordinates]);
  // the view: the case's grid (or 1 km around the case), with a margin
  const pts: Position[] = own
    ? [...ring(own), [lng, lat]]
    : [
        [lng - 0.01, lat - 0.008],
        [lng + 0.01, lat + 0.008],
      ];
  let [minX, minY, maxX, maxY] = [
    Math.min(...pts.map((p) => p[0])),
    Math.min(...pts.map((p) => p[1])),
    Math.max(...pts.map((p) => p[0])),
    Math.max(...pts.map((p) => p[1])),
  ];
  const padX = Math.max((maxX - minX) * 0.6, 0.002);
  const padY = Math.max((maxY - minY) * 0.6, 0.002);
  [minX, maxX, minY, maxY] = [minX - padX, maxX + padX, minY - padY, maxY + padY];
  const W = 320;
  const kx = Math.cos((lat * Math.PI) / 180);
  const H = Math.round(Math.min(260, Math.max(140, (W * (maxY - minY)) / ((maxX - minX) * kx))));
  const x = (p: number) => ((p - minX) / (maxX - minX)) * W;
  const y = (p: number) => H - ((p - minY) / (maxY - minY)) * H;
  const NS = 'http://www.w3.org/2000/svg';
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text) e.textContent = text;
    return e;
  };
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': `${lat.toFixed(5)}, ${lng.toFixed(5)}` });
  svg.appendChild(el('rect', { x: 0, y: 0, width: W, height: H, class: 'map-bg' }));
  for (const f of features) {
    const r = ring(f);
    const inView = r.some(([px, py]) => px >= minX && px <= maxX && py >= minY && py <= maxY);
    if (!inView) continue;
    if (f.geometry.type === 'Polygon') {
      svg.appendChild(
        el('polygon', { points: r.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' '), class: f === own ? 'grid own' : 'grid' }),
      );
    }
    const cx = r.reduce((s, p) => s + p[0], 0) / r.length;
    const cy = r.reduce((s, p) => s + p[1], 0) / r.length;
    svg.appendChild(el('text', { x: x(cx).toFixed(1), y: y(cy).toFixed(1), class: 'grid-label' }, f.properties.name));
  }
  for (const other of data?.cases ?? []) {
    if (other.lng < minX || other.lng > maxX || other.lat < minY || other.lat > maxY) continue;
    if (other.lat === lat && other.lng === lng) continue;
    svg.appendChild(el('circle', { cx: x(other.lng).toFixed(1), cy: y(other.lat).toFixed(1), r: 3, class: `other light-${other.light}` }));
  }
  const px = x(lng);
  const py = y(lat);
  svg.appendChild(el('path', { d: `M${px},${py} l-7,-14 a8,8 0 1,1 14,0 z`, class: 'pin' }));
  svg.appendChild(el('circle', { cx: px, cy: py - 16, r: 3, class: 'pin-dot' }));
  replace(container, h('h3', null, t('tk.map')));
  container.appendChild(svg);
}

async function showAttachments(container: HTMLElement, caseId: string): Promise<void> {
  let list: Attachment[];
  try {
    list = await api<Attachment[]>(`/cases/${encodeURIComponent(caseId)}/attachments`);
  } catch {
    return;
  }
  if (!list.length) return;
  const thumbs = h('div', { class: 'thumbs' });
  replace(container, h('h3', null, t('tk.attachments')), thumbs);
  for (const a of list) {
    if (!a.mimeType.startsWith('image/')) {
      thumbs.appendChild(h('span', { class: 'doc' }, `#${a.id} ${a.fileName}`));
      continue;
    }
    const img = h('img', { alt: a.fileName, title: `#${a.id} ${a.fileName} (${a.kind})`, 'data-attachment': a.id });
    thumbs.appendChild(h('figure', null, img, h('figcaption', null, `#${a.id}`)));
    apiObjectUrl(`/attachments/${encodeURIComponent(a.id)}`)
      .then((url) => {
        img.src = url;
      })
      .catch(() => undefined);
  }
}

function describe(entry: TimelineEntry): string | null {
  if (entry.kind === 'action') {
    const what = t(`act.${entry.action}`);
    const elementId = entry.detail && typeof entry.detail['elementId'] === 'string' ? entry.detail['elementId'] : null;
    const elementName = elementId ? t(`el.${elementId}`) : '';
    const element = elementId ? ` · ${elementName === `el.${elementId}` ? elementId : elementName}` : '';
    return `${what === `act.${entry.action}` ? entry.action : what}${element}`;
  }
  return null;
}

async function showTimeline(container: HTMLElement, c: CaseDetail): Promise<void> {
  let entries: { at: string; text: string; who: string | null }[];
  try {
    const history = await api<{ timeline: TimelineEntry[] }>(`/cases/${encodeURIComponent(c.id)}/history`);
    entries = history.timeline.flatMap((e) => {
      const text = describe(e);
      return text ? [{ at: e.at, text, who: e.kind === 'action' ? e.actor : null }] : [];
    });
  } catch {
    // without the history: the case's own dates
    entries = [{ at: c.createdAt, text: t('act.reported'), who: null }, ...(c.closedAt ? [{ at: c.closedAt, text: t('act.closed'), who: null }] : [])];
  }
  replace(
    container,
    h(
      'ol',
      { class: 'timeline' },
      entries.map((e) =>
        h(
          'li',
          { class: 'done' },
          h('div', null, e.text, e.who ? h('span', { class: 'muted' }, ' · ', loginName(e.who)) : null),
          h('div', { class: 'when' }, formatDateTime(e.at)),
        ),
      ),
    ),
  );
}
