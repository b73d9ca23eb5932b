/**
 * graphql-js as type-graphql, Apollo Server and @apollo/subgraph load it: its
 * CommonJS build. That is also what a plain `import 'graphql'` gives under
 * Node, but vitest resolves that import to the package's ESM build, a second
 * copy whose `instanceof` checks reject every schema and type the first one
 * made ("Cannot use GraphQLSchema from another module or realm"). Code that
 * hands type-graphql's schema to graphql-js functions takes them from here.
 */
import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';

export const graphqlJs = createRequire(import.meta.url)('graphql') as typeof GraphQL;
