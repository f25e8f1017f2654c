// Starts GOV.UK Frontend's components. Loaded as a module: no inline script, so the CSP forbids all inline script.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
