import { Field, Int, ObjectType } from 'type-graphql';
import type { ModelProblem as EngineModelProblem } from '../engine/index.js';

@ObjectType({ description: 'A problem of a BPMN model: where it is (resource, element, line, column) and what.' })
export class ModelProblem {
  @Field(() => String, { description: "'error' or 'warning'." })
  severity!: string;

  @Field(() => String)
  message!: string;

  @Field(() => String, { nullable: true })
  elementId!: string | null;

  @Field(() => String, { nullable: true })
  resource!: string | null;

  @Field(() => Int, { nullable: true })
  line!: number | null;

  @Field(() => Int, { nullable: true })
  column!: number | null;
}

export function toModelProblem(p: EngineModelProblem): ModelProblem {
  return { severity: p.severity, message: p.message, elementId: p.elementId ?? null, resource: p.resource ?? null, line: p.line ?? null, column: p.column ?? null };
}
