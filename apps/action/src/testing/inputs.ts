// Builders for the action's parsed inputs and the runner's requests in tests: the defaults, overridable.
import type { ActionInputs } from "../inputs.js";
import type { ActionRunRequest } from "../runner.js";

/** What the Action asks its runner with every input left at its default. */
export function aRunRequest(overrides: Partial<ActionRunRequest> = {}): ActionRunRequest {
  return {
    paths: [],
    stack: undefined,
    region: undefined,
    prune: undefined,
    adopt: undefined,
    pruneAll: false,
    refresh: false,
    endpointUrl: undefined,
    ...overrides,
  };
}

export function anActionInputs(overrides: Partial<ActionInputs> = {}): ActionInputs {
  return {
    paths: [],
    mode: "auto",
    region: undefined,
    stack: undefined,
    prune: undefined,
    adopt: undefined,
    pruneAll: false,
    refresh: false,
    rollout: false,
    statusHtml: undefined,
    githubToken: "t",
    comment: true,
    commentKey: "",
    endpointUrl: undefined,
    onPlanChange: "refuse",
    ...overrides,
  };
}
