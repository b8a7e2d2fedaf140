/**
 * The live feed: GET /api/dashboard/stream over Server-Sent Events (the token as `?access_token=`, since
 * EventSource sends no headers). It sends the current summary first (`summary`) and a new one whenever a
 * case changes (`changed`). The browser retries a dropped connection by itself; when it gives up (the
 * server refused or closed the stream) the screen opens a new one after a growing pause.
 */
import { token } from '../shared/api.js';
import type { DashboardSummary } from './types.js';

export type StreamState = { state: 'connecting' } | { state: 'live' } | { state: 'retrying'; inSeconds: number };

export function openStream(onSummary: (s: DashboardSummary, kind: 'summary' | 'changed') => void, onState: (s: StreamState) => void): () => void {
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let stopped = false;
  const connect = () => {
    const t = token();
    if (!t || stopped) return;
    onState({ state: 'connecting' });
    source = new EventSource(`/api/dashboard/stream?access_token=${encodeURIComponent(t)}`);
    const handle = (kind: 'summary' | 'changed') => (ev: MessageEvent<string>) => {
      failures = 0;
      onState({ state: 'live' });
      try {
        onSummary(JSON.parse(ev.data) as DashboardSummary, kind);
      } catch { /* a malformed frame: wait for the next */ }
    };
    source.addEventListener('summary', handle('summary') as EventListener);
    source.addEventListener('changed', handle('changed') as EventListener);
    source.addEventListener('open', () => onState({ state: 'live' }));
    source.addEventListener('error', () => {
      if (source?.readyState === EventSource.CONNECTING) { onState({ state: 'connecting' }); return; }
      source?.close();
      source = null;
      failures++;
      const wait = Math.min(60, 2 ** Math.min(failures, 6));
      onState({ state: 'retrying', inSeconds: wait });
      timer = setTimeout(connect, wait * 1000);
    });
  };
  connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };
}
