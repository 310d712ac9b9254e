// Builds the front-end assets into build/static: `npm run build`.
//
// - css/app.css: GOV.UK Frontend's Sass with the partnership's branding (assets/scss/app.scss)
// - js/govuk-frontend.min.js and js/app.js: GOV.UK Frontend's ES module and our entry point
// - images/favicon.svg: the partnership's own icon (GOV.UK's crown and images are not copied)
//
// Source-map comments are stripped: Django's ManifestStaticFilesStorage would otherwise look for
// the .map files when collecting static files.
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "build", "static");
const govuk = path.join(root, "node_modules", "govuk-frontend", "dist", "govuk");

const withoutSourceMap = (text) =>
  text.replace(/\/[/*][#@] sourceMappingURL=[^\s*]+(\s*\*\/)?[ \t]*$/gm, "").trimEnd() + "\n";

async function css() {
  const result = await sass.compileAsync(path.join(root, "assets", "scss", "app.scss"), {
    style: "compressed",
    sourceMap: false,
    loadPaths: [path.join(root, "node_modules")],
    // GOV.UK Frontend 5 is written for @import and older Sass functions; its own deprecation
    // warnings are not ours to fix.
    quietDeps: true,
    silenceDeprecations: ["import", "global-builtin", "slash-div", "color-functions"],
  });
  await mkdir(path.join(out, "css"), { recursive: true });
  await writeFile(path.join(out, "css", "app.css"), withoutSourceMap(result.css));
}

async function js() {
  await mkdir(path.join(out, "js"), { recursive: true });
  const frontend = await readFile(path.join(govuk, "govuk-frontend.min.js"), "utf8");
  await writeFile(path.join(out, "js", "govuk-frontend.min.js"), withoutSourceMap(frontend));
  await copyFile(path.join(root, "assets", "js", "app.js"), path.join(out, "js", "app.js"));
}

async function images() {
  await mkdir(path.join(out, "images"), { recursive: true });
  await copyFile(path.join(root, "assets", "images", "favicon.svg"), path.join(out, "images", "favicon.svg"));
}

const started = Date.now();
await Promise.all(["css", "js", "images"].map((dir) => rm(path.join(out, dir), { recursive: true, force: true })));
await Promise.all([css(), js(), images()]);
console.log(`Built front-end assets in ${path.relative(process.cwd(), out) || "."} (${Date.now() - started} ms)`);
