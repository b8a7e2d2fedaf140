// dmn-moddle 12 ships no typings; this is the part the DMN parser uses.
declare module 'dmn-moddle' {
  export function DmnModdle(
    packages?: Record<string, unknown>,
    options?: Record<string, unknown>,
  ): {
    fromXML(xml: string, typeName?: string): Promise<{ rootElement: any; warnings: Array<{ message: string }> }>;
  };
}
