// Builds the front end into notinschool/web/static/build/:
//   app.css                 frontend/scss/app.scss compiled with GOV.UK Frontend (Arial, no crown)
//   govuk-frontend.min.js   GOV.UK Frontend's ES module bundle (initialised by static/js/init.js)
//   images/...              only the GOV.UK Frontend images that app.css refers to
// Run with `npm run build` after `npm ci`.
import { copyFileSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(root, 'notinschool', 'web', 'static', 'build')

function compileStyles () {
  const result = sass.compile(join(root, 'frontend', 'scss', 'app.scss'), {
    loadPaths: [join(root, 'node_modules')],
    style: 'compressed',
    quietDeps: true
  })
  writeFileSync(join(out, 'app.css'), result.css)
  return result.css
}

function copyScripts () {
  for (const name of ['govuk-frontend.min.js', 'govuk-frontend.min.js.map']) {
    copyFileSync(join(govuk, name), join(out, name))
  }
}

function copyReferencedAssets (css) {
  const urls = new Set([...css.matchAll(/url\(["']?([^"')]+)["']?\)/g)].map((m) => m[1]))
  for (const url of urls) {
    if (url.startsWith('data:')) continue
    if (url.startsWith('fonts/')) throw new Error(`app.css refers to a GOV.UK font: ${url}`)
    const source = join(govuk, 'assets', url)
    if (!existsSync(source)) throw new Error(`app.css refers to a missing asset: ${url}`)
    mkdirSync(dirname(join(out, url)), { recursive: true })
    copyFileSync(source, join(out, url))
  }
  return urls.size
}

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const css = compileStyles()
copyScripts()
const assets = copyReferencedAssets(css)
console.log(`built ${out}: app.css (${css.length} bytes), govuk-frontend.min.js, ${assets} asset(s)`)
