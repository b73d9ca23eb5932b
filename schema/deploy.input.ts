import { Field, InputType } from 'type-graphql';

@InputType({ description: 'One BPMN file (or other resource) of a deployment.' })
export class ResourceInput {
  @Field(() => String, { description: 'File name; .bpmn, .bpmn20.xml and .bpmn2 are parsed as BPMN.' })
  name!: string;

  @Field(() => String, { description: 'The file text (BPMN XML).' })
  content!: string;
}

@InputType()
export class DeployInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [ResourceInput])
  resources!: ResourceInput[];

  @Field(() => Boolean, { nullable: true, description: "Camunda's enable-duplicate-filtering: an unchanged deployment of the same name is not deployed again." })
  enableDuplicateFiltering?: boolean | null;

  @Field(() => String, { nullable: true, description: "The tenant to deploy for; default: the caller's only tenant, or none for a caller not bound to tenants." })
  tenantId?: string | null;
}
