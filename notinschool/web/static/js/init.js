// Starts GOV.UK Frontend's components. Loaded as a module from a file (the content security
// policy allows no inline script), so only browsers that GOV.UK Frontend supports run it:
// that is the test the `govuk-frontend-supported` class stands for.
import { initAll } from '../build/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
