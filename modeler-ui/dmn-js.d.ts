// dmn-js 17 ships no typings; this is the part the decision page uses.
declare module 'dmn-js/lib/Modeler' {
  export interface DmnView {
    id: string;
    name?: string;
    type: 'drd' | 'decisionTable' | 'literalExpression' | 'boxedExpression';
    element: { id: string; name?: string };
  }
  export interface DmnViewer {
    on(event: string, callback: (...args: unknown[]) => void): void;
    get<T = unknown>(service: string): T;
  }
  export default class DmnModeler {
    constructor(options: { container: HTMLElement; common?: Record<string, unknown>; [key: string]: unknown });
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml: string }>;
    getViews(): DmnView[];
    getActiveView(): DmnView | undefined;
    getActiveViewer(): DmnViewer | undefined;
    open(view: DmnView): Promise<unknown>;
    on(event: string, callback: (event: { activeView?: DmnView; views?: DmnView[] }) => void): void;
    destroy(): void;
  }
}
