/**
 * `POST /process-instance/{id}/modification`: Camunda's ProcessInstanceResource.modifyProcessInstance
 * (ProcessInstanceModificationDto → the engine's modification instructions).
 */
import { EngineError, type ModificationInstruction, type ModificationInstructionType, type TypedValue } from '../../engine/index.js';
import { hideOtherTenants } from '../../schema/access.js';
import { invalidRequest, notFoundAs } from './errors.js';
import { asObject, optionalBoolean, optionalString } from './json.js';
import { noContent, type Router } from './router.js';
import { fromVariableValueDto } from './variables.js';

const TYPES: readonly ModificationInstructionType[] = ['startBeforeActivity', 'startAfterActivity', 'startTransition', 'cancel'];

/** Camunda's TriggerVariableValueDto map: `{ name: { value, type, valueInfo, local } }`. */
function triggerVariables(raw: unknown, index: number): { local: Record<string, TypedValue>; global: Record<string, TypedValue> } {
  const out = { local: {} as Record<string, TypedValue>, global: {} as Record<string, TypedValue> };
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest(400, `'variables' of instruction ${index} must be an object of variable names to values`);
  for (const [name, dto] of Object.entries(raw as Record<string, unknown>)) {
    const local = typeof dto === 'object' && dto !== null && (dto as Record<string, unknown>)['local'] === true;
    (local ? out.local : out.global)[name] = fromVariableValueDto(name, dto);
  }
  return out;
}

/** Camunda's ProcessInstanceModificationInstructionDto (also the start instructions of `POST /process-definition/{id}/start`). */
export function instructionOf(raw: unknown, index: number): ModificationInstruction {
  const o = asObject(raw, `instruction ${index}`);
  const type = o['type'];
  if (typeof type !== 'string' || !TYPES.includes(type as ModificationInstructionType)) {
    throw invalidRequest(400, `Instruction ${index}: 'type' must be one of ${TYPES.join(', ')}; got ${JSON.stringify(type ?? null)}`);
  }
  const field = (name: string) => optionalString(o, name) ?? undefined;
  const ins: ModificationInstruction = { type: type as ModificationInstructionType };
  for (const name of ['activityId', 'transitionId', 'activityInstanceId', 'transitionInstanceId', 'ancestorActivityInstanceId'] as const) {
    const v = field(name);
    if (v !== undefined) ins[name] = v;
  }
  const need = (name: 'activityId' | 'transitionId') => {
    if (!ins[name]) throw invalidRequest(400, `For instruction type '${type}': '${name}' must be set`);
  };
  if (type === 'startBeforeActivity' || type === 'startAfterActivity') need('activityId');
  else if (type === 'startTransition') need('transitionId');
  else {
    const set = [ins.activityId, ins.activityInstanceId, ins.transitionInstanceId].filter((v) => v !== undefined).length;
    if (set !== 1) throw invalidRequest(400, "For instruction type 'cancel': exactly one, 'activityId', 'activityInstanceId', or 'transitionInstanceId', is required");
  }
  if (type !== 'cancel') {
    const vars = triggerVariables(o['variables'], index);
    if (Object.keys(vars.local).length) ins.variables = vars.local;
    if (Object.keys(vars.global).length) ins.variablesGlobal = vars.global;
  }
  return ins;
}

export function registerModificationRoutes(router: Router): void {
  router.post('/process-instance/:id/modification', 'OPERATE', async (r) => {
    const id = r.params['id']!;
    const body = asObject(await r.json());
    const raw = body['instructions'];
    // Camunda does nothing, without even looking the instance up, when there are no instructions.
    if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) return noContent();
    if (!Array.isArray(raw)) throw invalidRequest(400, "'instructions' must be an array");
    const instructions = raw.map(instructionOf);
    const missing = `Process instance with id ${id} does not exist`;
    await notFoundAs(missing, async () => {
      hideOtherTenants(r.access, await r.engine.getProcessInstance(id), missing);
      try {
        await r.engine.modifyProcessInstance(id, {
          instructions,
          skipCustomListeners: optionalBoolean(body, 'skipCustomListeners') ?? false,
          skipIoMappings: optionalBoolean(body, 'skipIoMappings') ?? false,
          annotation: optionalString(body, 'annotation') ?? null,
          // Camunda's REST API marks what it cancels as cancelled from outside.
          cancellationSourceExternal: true,
          userId: r.userId,
        });
      } catch (e) {
        // Camunda answers an instruction the engine refuses with 400 and the engine's message.
        if (e instanceof EngineError && e.code === 'BAD_USER_INPUT') throw invalidRequest(400, e.message, e);
        throw e;
      }
    });
    return noContent();
  });
}
