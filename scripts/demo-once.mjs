// `npm run demo -- --once`: drives examples/streaming.html in headless
// Chromium for a bounded time and checks what a person would look at:
// records produced and consumed, points on the chart, a settings change
// made from Node (the JS package) seen by the Python in the page, and the
// group's lag back to 0 once the producer is stopped that way, and the
// status line through a server restart. Saves a screenshot and prints the
// figures.
import { connect } from '../js/src/index.mjs';
import { Kvm } from '../js/src/kv/index.mjs';
import { launchBrowser, withPage } from '../tests/harness/browser.mjs';

const seen = (page) => page.evaluate(() => window.streaming);

async function until(page, what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = await page.evaluate(() => window.streamingFailure);
    if (failure) throw new Error(`the page failed: ${failure}`);
    const s = await seen(page);
    if (s && predicate(s)) return s;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; the page shows ${JSON.stringify(s)}`);
    await page.waitForTimeout(250);
  }
}

export async function driveStreamingPage(pageUrl, server, screenshot) {
  const wsUrl = server.wsUrl;
  const browser = await launchBrowser();
  const nc = await connect({ servers: wsUrl, name: 'demo --once' });
  try {
    await withPage(browser, pageUrl, async (page) => {
      await page.setViewportSize({ width: 1100, height: 1000 });
      const flowing = await until(page, 'records produced and consumed, charted',
        (s) => s.reports >= 12 && s.produced > 0 && s.consumed > 0 && s.points >= 12 && s.read > 0, 120_000);
      console.log(`  | flowing: produced ${flowing.produced}, consumed ${flowing.consumed}, ` +
        `lag ${flowing.lag}, read from the offset ${flowing.read}, ${flowing.points} chart points`);
      // A settings change from Node, through the KV bucket the Python watches.
      const kv = await new Kvm(nc).create('demo_settings');
      await kv.put('rate', '0');
      const drained = await until(page, 'rate=0 seen by Python and the lag back to 0',
        (s) => s.settings.includes('rate=0') && s.lag === 0 && s.consumed >= flowing.produced, 60_000);
      console.log(`  | after rate=0 from node: produced ${drained.produced}, consumed ${drained.consumed}, ` +
        `lag ${drained.lag}; settings seen ${JSON.stringify(drained.settings)}`);
      // The server restarts: the status line shows the disconnect and the reconnect.
      await server.kill();
      await server.restart();
      const back = await until(page, 'a disconnect and a reconnect on the status line',
        (s) => s.statuses.includes('disconnected') && s.statuses.some((t) => t.startsWith('reconnected')), 60_000);
      console.log(`  | server restarted; the status line showed: ${back.statuses.slice(-2).join(' → ')}`);
      const after = await until(page, 'reports after the reconnect', (s) => s.reports >= back.reports + 4, 30_000);
      console.log(`  | reports: ${after.reports}, chart points: ${after.points}, lag ${after.lag}`);
      await page.screenshot({ path: screenshot, fullPage: true });
      // The top of the page (figures and charts), as docs/demo.png shows it.
      const top = screenshot.replace(/\.png$/, '-top.png');
      await page.screenshot({ path: top, clip: { x: 0, y: 0, width: 1100, height: 900 } });
      console.log(`  | screenshots: ${screenshot}, ${top}`);
    });
  } finally {
    await nc.close();
    await browser.close();
  }
}
