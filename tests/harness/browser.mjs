// Drives the system Chromium (Debian package) through playwright-core; no
// Playwright-downloaded browsers are involved.
import { chromium } from 'playwright-core';

const MAX_LINES = 200;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches headless Chromium (CHROMIUM_BIN, else /usr/bin/chromium).
 * The caller owns the browser and must `await browser.close()`.
 *
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Opens a new page at url, runs fn(page) and closes the page. If fn or the
 * navigation throws, the error is rethrown with the page's last console
 * lines, failed loads and page errors appended to its message, since a
 * failure inside the page is otherwise invisible from Node.
 * Set DEBUG_BROWSER=1 to stream console lines to stderr as they happen.
 *
 * @template T
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @param {(page: import('playwright-core').Page) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withPage(browser, url, fn) {
  const page = await browser.newPage();
  const consoleLines = [];
  const pageErrors = [];
  page.on('console', (msg) => record(consoleLines, `${msg.type()}: ${msg.text()}`));
  // A 404 for a .wasm or a Pyodide file is the usual reason a page hangs.
  page.on('response', (response) => {
    if (response.status() >= 400) record(consoleLines, `http ${response.status()}: ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    record(consoleLines, `request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('pageerror', (err) => record(pageErrors, err.stack || String(err)));
  try {
    await page.goto(url);
    return await fn(page);
  } catch (err) {
    throw withPageContext(err, consoleLines, pageErrors);
  } finally {
    // The browser may already be gone (crash, closed by the test).
    await page.close().catch(() => {});
  }
}

/**
 * Appends to a bounded log; long runs (Pyodide) would otherwise grow it freely.
 * @param {string[]} lines
 * @param {string} line
 */
function record(lines, line) {
  if (process.env.DEBUG_BROWSER) {
    process.stderr.write(line.replace(/^/gm, '[page] ') + '\n');
  }
  lines.push(line);
  if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
}

/**
 * Adds page output to an error's message. The error object itself is kept
 * (its class and assertion details stay intact); its stack is patched too,
 * because test reporters print the stack, not the message.
 * @param {unknown} err
 * @param {string[]} consoleLines
 * @param {string[]} pageErrors
 */
function withPageContext(err, consoleLines, pageErrors) {
  const sections = [];
  if (consoleLines.length) sections.push(`page console (last ${consoleLines.length}):\n${consoleLines.join('\n')}`);
  if (pageErrors.length) sections.push(`page errors:\n${pageErrors.join('\n')}`);
  if (!sections.length) return err;
  const context = `\n--- ${sections.join('\n--- ')}`;
  if (!(err instanceof Error)) return new Error(`${String(err)}${context}`);
  const original = err.message;
  try {
    err.message = original + context;
    if (typeof err.stack === 'string') {
      err.stack =
        original && err.stack.includes(original)
          ? err.stack.replace(original, () => err.message)
          : err.stack + context;
    }
    return err;
  } catch {
    // Frozen or exotic error object: wrap instead.
    return new Error(`${original}${context}`, { cause: err });
  }
}
