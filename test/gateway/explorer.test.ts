import { tmpdir } from 'node:os';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../gateway/server.js';
import { engineSuite } from '../helpers/engine-harness.js';
import { eventually } from './graphql-harness.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// The README's screenshot is refreshed on request (UPDATE_SCREENSHOTS=1), so test runs leave the tree clean.
const SCREENSHOT = process.env['UPDATE_SCREENSHOTS'] ? join(import.meta.dirname, '..', '..', 'docs', 'explorer.png') : join(tmpdir(), `cadenzaflow-explorer-${process.pid}.png`);

/** Replaces the text of Altair's query editor (CodeMirror), retrying while Altair is still restoring its own start-up text. */
async function setQuery(page: Page, text: string): Promise<void> {
  const editor = page.locator('app-query-editor .cm-content').first();
  await editor.waitFor();
  const firstLine = text.split('\n')[0]!;
  await eventually(async () => {
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // insertText, not type: CodeMirror would auto-close every bracket typed.
    await page.keyboard.insertText(text);
    const shown = await editor.innerText();
    return shown.includes(firstLine) && !shown.includes('Welcome to Altair');
  }, 20_000, 'the query editor to hold the query');
}

// The explorer is the same page whatever the store: one store is enough.
engineSuite(
  'GraphQL explorer',
  (h) => {
    let server: RunningServer;
    let browser: Browser;

    beforeAll(async () => {
      server = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1', explorer: true, graphql: { introspection: true } });
      browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it(
      'a browser opening /graphql gets Altair from this node, runs a query and receives a subscription event, and nothing leaves localhost',
      async () => {
        await h.deploy('Gateway.approval.bpmn');
        const origin = new URL(server.url).origin;
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const outside: string[] = [];
        // Anything not for this node is recorded and refused, so a CDN fetch fails the test instead of hanging it.
        await context.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
          outside.push(url);
          return route.abort();
        });
        const sockets: string[] = [];
        const subscribed: string[] = [];
        const page = await context.newPage();
        const refused: string[] = [];
        page.on('console', (m) => {
          if (m.text().includes('Content Security Policy')) refused.push(m.text());
        });
        page.on('websocket', (ws) => {
          sockets.push(ws.url());
          ws.on('framesent', (f) => {
            if (typeof f.payload === 'string' && f.payload.includes('"subscribe"')) subscribed.push(f.payload);
          });
        });

        const opened = await page.goto(`${server.url}/graphql`);
        expect(opened?.status()).toBe(200);
        expect(page.url()).toBe(`${origin}/explorer/`);
        await expect.poll(() => page.locator('app-url-box').innerText(), { timeout: 20_000 }).toContain(`${origin}/graphql`);

        await setQuery(page, 'query Definitions {\n  processDefinitions { totalCount edges { node { key version name } } }\n}');
        await page.locator('.send-request__button').click();
        const result = page.locator('app-query-result');
        await result.getByText('"gatewayApproval"').first().waitFor({ timeout: 20_000 });
        expect(await result.innerText()).toContain('"totalCount": 1');
        mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
        const shot = await page.screenshot({ path: SCREENSHOT });
        expect(shot.length).toBeGreaterThan(10_000);

        await setQuery(page, 'subscription Tasks {\n  taskEvents(candidateGroup: "management") { kind taskId name }\n}');
        await page.locator('.send-request__button').click();
        await eventually(() => subscribed.length > 0, 20_000, 'Altair to subscribe over graphql-ws');
        // The server registers the subscription a moment after the frame: start instances until one is seen.
        const started: string[] = [];
        await eventually(async () => {
          if ((await result.innerText()).includes('"CREATED"')) return true;
          if (started.length < 20) started.push((await h.engine().startProcessInstance({ processDefinitionKey: 'gatewayApproval' })).id);
          return false;
        }, 20_000, 'a task event in the explorer');
        const shown = await result.innerText();
        const tasks = await h.engine().findTasks({ instanceIdIn: started });
        expect(tasks.some((t) => shown.includes(t.id))).toBe(true);

        expect(sockets.length).toBeGreaterThan(0);
        expect(sockets.every((u) => u === `${origin.replace(/^http/, 'ws')}/graphql`)).toBe(true);
        expect(outside).toEqual([]);
        expect(refused).toEqual([]);
        await context.close();
      },
      120_000,
    );

    it('explorer assets come from the altair-static package and nothing outside it is served', async () => {
      const main = await fetch(`${server.url}/explorer/main.js`);
      expect(main.status).toBe(200);
      expect(main.headers.get('content-type')).toContain('text/javascript');
      expect((await main.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      const page = await fetch(`${server.url}/explorer/`);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await page.text()).toContain(`${server.url.replace(/^http/, 'ws')}/graphql`);
      for (const escape of ['/explorer/%2e%2e/%2e%2e/package.json', '/explorer/..%2f..%2fpackage.json', '/explorer/%2e%2e%2findex.js']) {
        expect((await fetch(`${server.url}${escape}`)).status).toBe(404);
      }
    });

    it('a GraphQL client GET of /graphql is not redirected to the explorer', async () => {
      const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' }, redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    });

    it('in production the explorer is off unless configured on, and /graphql then serves no landing page', async () => {
      const before = process.env['NODE_ENV'];
      process.env['NODE_ENV'] = 'production';
      let prod: RunningServer | null = null;
      try {
        prod = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1' });
        expect(prod.explorerUrl).toBeNull();
        expect((await fetch(`${prod.url}/explorer/`)).status).toBe(404);
        const html = await fetch(`${prod.url}/graphql`, { headers: { accept: 'text/html' }, redirect: 'manual' });
        expect(html.status).not.toBe(302);
        expect(await html.text()).not.toContain('<html');
      } finally {
        await prod?.close();
        if (before === undefined) delete process.env['NODE_ENV'];
        else process.env['NODE_ENV'] = before;
      }
      const forced = await startServer({ engine: h.engine(), port: 0, host: '127.0.0.1', explorer: true });
      try {
        expect(forced.explorerUrl).toBe(`${forced.url}/explorer/`);
        expect((await fetch(`${forced.url}/explorer/`)).status).toBe(200);
      } finally {
        await forced.close();
      }
    });
  },
  () => ({}),
  ['sqlite'],
);
