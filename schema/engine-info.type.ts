import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What this node runs.' })
export class EngineInfo {
  @Field(() => String, { description: "CadenzaFlow's version." })
  version!: string;

  @Field(() => String, { description: "'sqlite' (embedded) or 'postgres'." })
  storeKind!: string;

  @Field(() => String, { description: 'none, activity, audit or full, as in Camunda.' })
  historyLevel!: string;

  @Field(() => Boolean, { description: 'Subscriptions here also see what other nodes on the same PostgreSQL schema commit.' })
  sharesEvents!: boolean;
}

@ObjectType({ description: 'The readiness /health/ready reports.' })
export class Health {
  @Field(() => String, { description: 'UP or DOWN.' })
  status!: string;

  @Field(() => String, { description: "'migrated', 'migrations pending', or why the database is unreachable." })
  database!: string;
}
