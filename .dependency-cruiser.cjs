/**
 * The layers of `src/` and the direction imports may point (ARCHITECTURE.md explains each one).
 * `npm run check:deps` runs these rules, `npm test` runs that, and test/architecture.test.ts shows
 * them failing on imports that break them. Type-only imports count (tsPreCompilationDeps).
 *
 *   composition   main, server, services, data-source, dev-bootstrap: wires everything
 *   transports    graphql/, http/, realtime/: how requests and events come in and go out
 *   modules       modules/<domain>/: the domain; each module's GraphQL edge (*.resolver, *.type,
 *                 *.inputs, *.presenter) may use graphql/, the rest of the module may not
 *   events        events/: the durable event log, below the modules that append to it
 *   authz         authz/: the access matrix, pure: facts in, answers out
 *   core          config, db/, crypto/, errors/, logging/, observability/, auth/, validation/
 */

const CORE = "^src/(config\\.ts|db/|crypto/|errors/|logging/|observability/|auth/|validation/)";
const AUTHZ = "^src/authz/";
const EVENTS = "^src/events/";
const MODULES = "^src/modules/";
const TRANSPORTS = "^src/(graphql|http|realtime)/";
const COMPOSITION = "^src/(main|server|services|data-source|dev-bootstrap)\\.ts$";
const MODULE_EDGE = "^src/modules/[^/]+/[^/]+\\.(resolver|type|inputs|presenter)\\.ts$";

// Domain modules from the bottom up: a module imports only modules before it in this list. (The
// registries at modules/ level, entities and sealed columns, list every module's entities.)
const MODULE_ORDER = ["audit", "workspaces", "apps", "api-tokens", "app-requests", "env-vars", "webhooks", "proxy", "accounts", "oauth", "credentials", "workflows", "lifecycle"];

const moduleOrderRules = MODULE_ORDER.map((name, index) => ({
  name: `module-order-${name}`,
  comment: `modules/${name} imports only modules below it (${MODULE_ORDER.slice(0, index).join(", ") || "none"}): the module graph is a ladder, not a web.`,
  severity: "error",
  from: { path: `^src/modules/${name}/`, pathNot: MODULE_EDGE },
  to: { path: `^src/modules/(${MODULE_ORDER.slice(index + 1).join("|") || "$^"})/` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycles at all, type-only imports included.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "core-imports-only-core",
      comment: "The core (config, db, crypto, errors, logging, observability, auth, validation) knows no domain, no transport.",
      severity: "error",
      from: { path: CORE },
      to: { path: "^src/", pathNot: CORE },
    },
    {
      name: "authz-is-pure",
      comment: "The matrix takes facts and gives answers: it imports only the core (no context, loaders, entities or services).",
      severity: "error",
      from: { path: AUTHZ },
      to: { path: "^src/", pathNot: `${CORE}|${AUTHZ}` },
    },
    {
      name: "events-below-modules",
      comment: "The event log is below the modules that append to it: it knows nothing of them, nor of transports.",
      severity: "error",
      from: { path: EVENTS },
      to: { path: "^src/", pathNot: `${CORE}|${AUTHZ}|${EVENTS}` },
    },
    {
      name: "domain-without-transports",
      comment: "A module's domain files (entities, services, loaders, queries) import no transport and no GraphQL edge: only its *.resolver/*.type/*.inputs/*.presenter files face GraphQL.",
      severity: "error",
      from: { path: MODULES, pathNot: MODULE_EDGE },
      to: { path: `${TRANSPORTS}|${MODULE_EDGE}|${COMPOSITION}` },
    },
    {
      name: "edges-use-graphql-only",
      comment: "A module's GraphQL edge may use graphql/ (the access gate, the request context, page types), never http/, realtime/ or the composition.",
      severity: "error",
      from: { path: MODULE_EDGE },
      to: { path: `^src/(http|realtime)/|${COMPOSITION}` },
    },
    {
      name: "transports-below-composition",
      comment: "Transports are wired by the composition (server.ts); they use the services' type, nothing above.",
      severity: "error",
      from: { path: TRANSPORTS },
      to: { path: "^src/(main|server|data-source|dev-bootstrap)\\.ts$" },
    },
    ...moduleOrderRules,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    includeOnly: "^src/",
    exclude: { path: "\\.d\\.ts$" },
  },
};
