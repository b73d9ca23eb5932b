/**
 * cadenzaflow-plugin-text — the example plugin that ships with CadenzaFlow.
 * It shows every kind of contribution a plugin can make:
 * - a connector (`text-template`) with a zod input schema,
 * - an expression function (`${slugify(name)}`),
 * - hooks: deployments without a process name are refused when configured,
 *   and every completed activity is counted,
 * - a GraphQL field on ProcessInstance (`slug`) and a query (`textPluginStats`).
 * CadenzaFlow calls the default export with its SDK, so the package has no
 * runtime dependencies.
 * @param {import('cadenzaflow/plugins').PluginSdk} sdk
 */
export default function plugin(sdk) {
  const { z, defineConnector, definePlugin, BpmnError } = sdk;

  const slugify = (text) =>
    String(text ?? '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');

  const textTemplate = defineConnector({
    id: 'text-template',
    version: '1.0.0',
    name: 'Text template',
    description: 'Renders a template with {{placeholders}} from a map of values',
    input: z.object({
      template: z.string().min(1).describe('Text with {{name}} placeholders'),
      values: z.record(z.string(), z.unknown()).default({}).describe('Values for the placeholders'),
      strict: z.boolean().default(true).describe('A placeholder without a value is a BPMN error MISSING_VALUE'),
    }),
    output: z.object({ text: z.string().describe('The rendered text'), placeholders: z.number().describe('How many placeholders were filled') }),
    execute(input) {
      let placeholders = 0;
      const text = input.template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, name) => {
        if (!(name in input.values)) {
          if (input.strict) throw new BpmnError('MISSING_VALUE', `no value for {{${name}}}`);
          return '';
        }
        placeholders++;
        return String(input.values[name]);
      });
      return { text, placeholders };
    },
  });

  const stats = { activitiesEnded: 0 };

  return definePlugin({
    name: 'cadenzaflow-plugin-text',
    apiVersion: 1,
    connectors: [textTemplate],
    expressionFunctions: { slugify },
    hooks: {
      processWillDeploy(deployment) {
        if (deployment.name && /forbidden/i.test(deployment.name)) throw new Error(`deployment name '${deployment.name}' is not allowed by cadenzaflow-plugin-text`);
      },
      activityWillStart() {
        return {
          activityEnded() {
            stats.activitiesEnded++;
          },
        };
      },
    },
    schema: {
      typeDefs: /* GraphQL */ `
        extend type ProcessInstance {
          "The business key as a URL slug (from cadenzaflow-plugin-text)."
          slug: String
        }
        type TextPluginStats {
          activitiesEnded: Int!
        }
        extend type Query {
          textPluginStats: TextPluginStats!
        }
      `,
      resolvers: {
        ProcessInstance: { slug: (instance) => (instance.businessKey ? slugify(instance.businessKey) : null) },
        Query: { textPluginStats: () => ({ ...stats }) },
      },
    },
  });
}
