// @bpmn-io/element-templates-validator 2.26 ships no typings; this is the part the element-template test uses.
declare module '@bpmn-io/element-templates-validator' {
  export interface TemplateValidation {
    valid: boolean;
    errors?: Array<{ message: string; dataPath?: string; instancePath?: string }>;
  }
  export function validateZeebe(template: unknown): TemplateValidation;
  export function validateAllZeebe(templates: unknown[]): { valid: boolean; results: TemplateValidation[] };
}
