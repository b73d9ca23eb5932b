/** `npm run schema`: rewrites schema/schema.graphql from the type-graphql classes. */
import { buildGatewaySchema, SCHEMA_FILE } from './index.js';

await buildGatewaySchema({ emitTo: SCHEMA_FILE });
console.log(`Wrote ${SCHEMA_FILE}`);
