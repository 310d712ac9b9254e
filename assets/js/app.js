// Entry point for every page. Loaded as an ES module, so browsers too old for GOV.UK Frontend's
// JavaScript never run it and keep the no-JavaScript experience.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('govuk-frontend-supported', 'js-enabled')
initAll()
