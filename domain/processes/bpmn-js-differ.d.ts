// bpmn-js-differ 3.2 ships no typings; this is the part the diff uses.
declare module 'bpmn-js-differ' {
  export interface DiffResult {
    _added: Record<string, { $type: string; id?: string; name?: string }>;
    _removed: Record<string, { $type: string; id?: string; name?: string }>;
    _changed: Record<string, { model: { $type: string; id?: string; name?: string }; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
    _layoutChanged: Record<string, { $type: string; id?: string }>;
  }
  export function diff(a: unknown, b: unknown): DiffResult;
}
