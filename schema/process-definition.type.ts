import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ProcessDefinitionRow } from '../engine/index.js';
import { Connection } from './connection.js';

@ObjectType({ description: 'A deployed version of a BPMN process.' })
export class ProcessDefinition {
  @Field(() => ID, { description: '<key>:<version>:<uuid>, as Camunda.' })
  id!: string;

  @Field(() => String)
  key!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  versionTag!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: "The definitions' targetNamespace." })
  category!: string | null;

  @Field(() => ID)
  deploymentId!: string;

  @Field(() => String)
  resourceName!: string;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;

  @Field(() => Boolean)
  suspended!: boolean;
}

@ObjectType()
export class ProcessDefinitionConnection extends Connection(ProcessDefinition, 'ProcessDefinition') {}

export function toProcessDefinition(row: ProcessDefinitionRow): ProcessDefinition {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    versionTag: row.versionTag,
    name: row.name,
    category: row.category,
    deploymentId: row.deploymentId,
    resourceName: row.resourceName,
    tenantId: row.tenantId,
    suspended: row.suspended,
  };
}
