// Copies GOV.UK Frontend's JavaScript and images (not its fonts) into Django's static tree.
import { cpSync, mkdirSync } from "node:fs";

const src = "node_modules/govuk-frontend/dist/govuk";
const dest = "concordat/static/govuk";
mkdirSync(`${dest}/assets`, { recursive: true });
cpSync(`${src}/govuk-frontend.min.js`, `${dest}/govuk-frontend.min.js`);
cpSync(`${src}/assets/images`, `${dest}/assets/images`, { recursive: true });
cpSync(`${src}/assets/manifest.json`, `${dest}/assets/manifest.json`);
