/**
 * RPA bots over webhooks: the `rpa-webhook` connector starts a bot job and
 * waits; the bot answers on a signed, single-use callback URL served as a
 * plugin route. `rpaWebhook` is the process-wide instance the built-in
 * plugin wires (its connector, its routes and its `attach` for
 * `engineWillStart`); tests and embedders may build their own.
 */
import { RpaWebhook } from './rpa-webhook.connector.js';

export const rpaWebhook = new RpaWebhook();
export const rpaWebhookConnector = rpaWebhook.connector;

export { RpaWebhook, rpaWebhookInput, RPA_WEBHOOK_CONNECTOR_ID, type RpaWebhookInput, type RpaWebhookOptions } from './rpa-webhook.connector.js';
export { rpaWebhookConfig, CALLBACK_PATH, type RpaWebhookConfig } from './config.js';
export { botAnswer, callbackRoute, type BotAnswer } from './callback.route.js';
export { signToken, verifySignature } from './signature.js';
