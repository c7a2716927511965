// Routes and request bindings of the operations served, read from the API model's "http" and "location" members.
import {
  apiModel,
  type OperationName,
  operationNames,
  type ShapeReference,
  shapeNamed,
} from "./api-model.js";

export interface Route {
  operation: OperationName;
  method: string;
  path: RegExp;
  labels: string[];
}

/** One route per operation, from its `http.method` and `http.requestUri` (labels become capture groups). */
export const routes: readonly Route[] = operationNames.map((operation) => {
  const model = apiModel.operations[operation];
  if (model === undefined) throw new Error(`API model has no operation ${operation}`);
  const labels: string[] = [];
  const source = model.http.requestUri
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const label = /^\{([^}+]+)\+?\}$/.exec(part);
      if (label === null) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      labels.push(label[1] as string);
      // Labels arrive percent-encoded (an ARN's "/" as %2F); accept a raw "/" too.
      return "(.+)";
    })
    .join("");
  return { operation, method: model.http.method, path: new RegExp(`^${source}$`), labels };
});

export type RouteMatch = { operation: OperationName; labels: Record<string, string> };

/** Finds the operation for a method and raw (still percent-encoded) path. */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.path.exec(rawPath);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const [index, label] of route.labels.entries()) {
      labels[label] = decodeURIComponent(match[index + 1] as string);
    }
    return { operation: route.operation, labels };
  }
  return undefined;
}

function inputMembers(operation: OperationName): [string, ShapeReference][] {
  const model = apiModel.operations[operation];
  if (model === undefined) throw new Error(`API model has no operation ${operation}`);
  return Object.entries(shapeNamed(model.input.shape).members ?? {});
}

/** Whether the operation's input has members bound to the JSON body. */
export function hasBody(operation: OperationName): boolean {
  return inputMembers(operation).some(([, reference]) => reference.location === undefined);
}

/**
 * Assembles an operation's input from its bindings: `uri` members from path labels, `querystring`
 * members from the query (lists from repeated keys), the others from the JSON body.
 */
export function bindInput(
  operation: OperationName,
  labels: Record<string, string>,
  query: URLSearchParams,
  body: unknown,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const bodyObject =
    typeof body === "object" && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  for (const [member, reference] of inputMembers(operation)) {
    const name = reference.locationName ?? member;
    if (reference.location === "uri") {
      if (labels[name] !== undefined) input[member] = labels[name];
    } else if (reference.location === "querystring") {
      if (!query.has(name)) continue;
      input[member] = shapeNamed(reference.shape).type === "list" ? query.getAll(name) : query.get(name);
    } else if (reference.location === undefined) {
      if (bodyObject[member] !== undefined) input[member] = bodyObject[member];
    }
  }
  return input;
}
