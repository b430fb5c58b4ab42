// The JSON API of `kg browse` (web/API.md). Every call counts as pending work for the progress bar.

export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body || {};
  }
}

let pending = 0;
const listeners = new Set();

export function onBusy(listener) {
  listeners.add(listener);
}

function busy(delta) {
  pending += delta;
  for (const listener of listeners) listener(pending > 0);
}

async function call(path, options = {}) {
  busy(+1);
  try {
    let response;
    try {
      response = await fetch(path, { headers: { Accept: "application/json" }, ...options });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError("the kg browse server cannot be reached: is it still running?", 0);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      let message = (body && body.error) || `${response.status} ${response.statusText}`;
      // the server's message usually names them already ("…; closest: a, b"): say them once
      const closest = body && Array.isArray(body.closest) ? body.closest.map(String) : [];
      if (closest.length && !/closest:/i.test(message) && !closest.every((name) => message.includes(name))) {
        message += ` (closest: ${closest.join(", ")})`;
      }
      throw new ApiError(message.replace(/\s*\n\s*/g, " "), response.status, body);
    }
    return body;
  } finally {
    busy(-1);
  }
}

export function get(path, params = {}, signal) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) query.set(key, String(value));
  }
  const text = query.toString();
  return call(text ? `${path}?${text}` : path, { signal });
}

export function post(path, body) {
  return call(path, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}
