/**
 * Debian's Chromium for the browser tests, driven by playwright-core (never a downloaded browser).
 * Every browser test file launches it through `launchChromium` so the flags are stated once.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** False when the binary is missing: the browser tests skip themselves and say why. */
export const hasChromium = existsSync(CHROMIUM);

/** Headless, no sandbox (containers), no GPU, and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches Debian's Chromium with CHROMIUM_ARGS plus `extraArgs`. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
