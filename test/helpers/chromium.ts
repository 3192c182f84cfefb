/** Debian's Chromium driven by playwright-core (no browser download); absent -> tests skip. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Where Chromium lies ($SAYRE_CHROMIUM, else Debian's), or undefined when it is not installed. */
export function chromiumPath(): string | undefined {
  const path = process.env['SAYRE_CHROMIUM'] ?? '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

/** A headless Chromium with an empty profile that reaches nothing but what the test serves. */
export async function launchChromium(executablePath: string, extraArgs: string[] = []): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'sayre-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extraArgs],
    viewport: { width: 1200, height: 1000 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
