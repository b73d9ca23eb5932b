/**
 * bpmn-moddle ships no typings for its main entry. This declares the part
 * parse.ts calls; the tree it returns is typed in moddle.ts.
 */
declare module 'bpmn-moddle' {
  export interface BpmnModdleOptions {
    /** Extra namespace URI → package prefix bindings used while reading XML. */
    nsMap?: Record<string, string>;
  }

  export interface ModdleReadWarning {
    message: string;
    /** The moddle element concerned, when the warning is about one. */
    element?: unknown;
    property?: string;
    value?: unknown;
    error?: Error;
  }

  export interface ModdleReadResult {
    rootElement: unknown;
    elementsById: Record<string, unknown>;
    warnings: ModdleReadWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: BpmnModdleOptions);
    /** Rejects with an Error carrying `warnings` when the document cannot be read at all. */
    fromXML(xml: string, typeName?: string): Promise<ModdleReadResult>;
  }
}
