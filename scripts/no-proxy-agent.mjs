// Stands in for the proxy-agent package in dist/: Puppeteer's browser helpers import it only to download browsers,
// which this tool never does (scripts/setup.mjs installs one with apt). Bundling the real one added 1.4 MB of
// JavaScript (a PAC-script interpreter) to every command that prints.
export class ProxyAgent {
  constructor() {
    throw new Error('downloading a browser is not supported: install one (Debian/Ubuntu: apt-get install chromium-headless-shell)')
  }
}
