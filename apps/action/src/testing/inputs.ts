// Builder for the action's parsed inputs in tests: the defaults the runner gives, overridable.
import type { ActionInputs } from "../inputs.js";

export function anActionInputs(overrides: Partial<ActionInputs> = {}): ActionInputs {
  return {
    paths: [],
    mode: "auto",
    region: undefined,
    stack: undefined,
    prune: undefined,
    adopt: undefined,
    refresh: false,
    githubToken: "t",
    comment: true,
    commentKey: "",
    endpointUrl: undefined,
    ...overrides,
  };
}
