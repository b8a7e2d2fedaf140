/** What esbuild's loaders give the browser code (see web/build.ts). */
declare module '*.css';
declare module '*.bpmn' {
  const xml: string;
  export default xml;
}
declare module '*.form' {
  const schema: Record<string, unknown>;
  export default schema;
}
declare module '*.svg' {
  const url: string;
  export default url;
}
declare module '*.png' {
  const url: string;
  export default url;
}
