/**
 * Forms: `GET /process-definition/{id}/startForm` (also by key, and by key
 * and tenant) and `GET /task/{id}/form`, Camunda's FormDto
 * `{ key, contextPath, camundaFormRef }`, and the start form's variables
 * (`GET /process-definition/{id}/form-variables`). There are no process
 * applications, so `contextPath` is null; a form with `camunda:formData`
 * fields but no form key gets Camunda's generated-form key.
 */
import { typed, type ProcessDefinitionRow, type TypedValue } from '../../engine/index.js';
import { visible } from '../../schema/access.js';
import { invalidRequest } from './errors.js';
import { byId, byKey } from './process-definition.js';
import { ok, type RestRequest, type RestResponse, type Router } from './router.js';
import { deserializeParam, toVariableMapDto } from './variables.js';

function formDto(key: string | null) {
  return { key, contextPath: null, camundaFormRef: null };
}

async function initialStartEvent(r: RestRequest, definition: ProcessDefinitionRow) {
  const graph = await r.engine.getProcessGraph(definition.id);
  for (const n of graph.nodes.values()) if (n.type === 'startEvent' && n.parentId === null && n.eventDefinition.kind === 'none') return n;
  return undefined;
}

async function startForm(r: RestRequest, definition: ProcessDefinitionRow): Promise<RestResponse> {
  const start = await initialStartEvent(r, definition);
  if (start?.formKey) return ok(formDto(start.formKey));
  const generated = (start?.formFields.length ?? 0) > 0;
  return ok(formDto(generated ? `embedded:engine://engine/:engine/process-definition/${definition.id}/rendered-form` : null));
}

/** Camunda's form field types and the variable types their values take. */
const FIELD_TYPES: Readonly<Record<string, TypedValue['type']>> = { string: 'String', long: 'Long', boolean: 'Boolean', date: 'Date', enum: 'String' };

/**
 * A start form's variables are its fields with their default values, typed by
 * the field type (Camunda's getStartFormVariables); a field without a default
 * has a null of its type.
 */
function defaultValue(field: { id: string; type?: string; defaultValue?: string }): TypedValue {
  const type = FIELD_TYPES[field.type ?? 'string'] ?? 'String';
  const text = field.defaultValue;
  if (text === undefined || text === '') return text === '' && type === 'String' ? typed('String', '') : typed(type, null);
  switch (type) {
    case 'Long': {
      const n = Number(text);
      return Number.isInteger(n) ? typed('Long', n) : typed('String', text);
    }
    case 'Boolean':
      return text === 'true' || text === 'false' ? typed('Boolean', text === 'true') : typed('String', text);
    case 'Date': {
      // Camunda's date form type reads dd/MM/yyyy
      const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
      return m ? typed('Date', new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1])))) : typed('String', text);
    }
    default:
      return typed('String', text);
  }
}

async function startFormVariables(r: RestRequest, definition: ProcessDefinitionRow): Promise<RestResponse> {
  const names = r.query.get('variableNames')?.split(',').filter((n) => n !== '');
  const start = await initialStartEvent(r, definition);
  const vars: Record<string, TypedValue> = {};
  for (const field of start?.formFields ?? []) if (!names || names.includes(field.id)) vars[field.id] = defaultValue(field);
  return ok(toVariableMapDto(vars, deserializeParam(r.query)));
}

export function registerFormRoutes(router: Router): void {
  router.get('/process-definition/:id/startForm', 'READ', async (r) => startForm(r, await byId(r)));
  router.get('/process-definition/:id/form-variables', 'READ', async (r) => startFormVariables(r, await byId(r)));
  for (const prefix of ['/process-definition/key/:key', '/process-definition/key/:key/tenant-id/:tenantId']) {
    router.get(`${prefix}/startForm`, 'READ', async (r) => startForm(r, await byKey(r)));
    router.get(`${prefix}/form-variables`, 'READ', async (r) => startFormVariables(r, await byKey(r)));
  }

  router.get('/task/:id/form', 'READ', async (r) => {
    const id = r.params['id']!;
    const task = visible(r.access, await r.engine.getTask(id));
    if (!task) throw invalidRequest(404, `No matching task with id ${id}`);
    if (task.formKey) return ok(formDto(task.formKey));
    const node = (await r.engine.getProcessGraph(task.definitionId)).nodes.get(task.taskDefinitionKey);
    const generated = node?.type === 'userTask' && node.formFields.length > 0;
    return ok(formDto(generated ? `embedded:engine://engine/:engine/task/${id}/rendered-form` : null));
  });
}
