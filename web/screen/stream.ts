/**
 * The live feed: GET /api/dashboard/stream, Server-Sent Events read through fetch() so the login token
 * travels in the Authorization header — never in the address, where proxies, logs and the browser's
 * history would keep it (EventSource can send no headers). It sends the current summary first
 * (`summary`) and a new one whenever a case changes (`changed`). A dropped or refused stream is opened
 * again after a growing pause.
 */
import { token } from '../shared/api.js';
import type { DashboardSummary } from './types.js';

export type StreamState = { state: 'connecting' } | { state: 'live' } | { state: 'retrying'; inSeconds: number };

/** Splits an event stream's text into events (`event:` name, `data:` lines), keeping an unfinished one for the next chunk. */
export function parseEvents(buffer: string): { events: { event: string; data: string }[]; rest: string } {
  const events: { event: string; data: string }[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue; // heartbeat comment
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

export function openStream(onSummary: (s: DashboardSummary, kind: 'summary' | 'changed') => void, onState: (s: StreamState) => void): () => void {
  let abort: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let stopped = false;
  const retry = () => {
    if (stopped) return;
    failures++;
    const wait = Math.min(60, 2 ** Math.min(failures, 6));
    onState({ state: 'retrying', inSeconds: wait });
    timer = setTimeout(() => void connect(), wait * 1000);
  };
  const connect = async () => {
    const t = token();
    if (!t || stopped) return;
    onState({ state: 'connecting' });
    abort = new AbortController();
    try {
      const res = await fetch('/api/dashboard/stream', {
        headers: { Authorization: `Bearer ${t}`, Accept: 'text/event-stream' },
        signal: abort.signal,
        cache: 'no-store',
      });
      if (!res.ok || !res.body) throw new Error(`stream: HTTP ${res.status}`);
      onState({ state: 'live' });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseEvents(buffer + value);
        buffer = parsed.rest;
        for (const e of parsed.events) {
          if (e.event !== 'summary' && e.event !== 'changed') continue;
          failures = 0;
          onState({ state: 'live' });
          try {
            onSummary(JSON.parse(e.data) as DashboardSummary, e.event);
          } catch {
            /* a malformed frame: wait for the next */
          }
        }
      }
    } catch {
      if (stopped) return;
    }
    retry();
  };
  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    abort?.abort();
  };
}
