// The console's one way to the /v1 API: same-origin requests with the session cookie, the CSRF token on every
// change, JSON in and out, and problem+json answers turned into an ApiError the pages can show.
let csrfToken = null;
let onExpired = () => {};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function setCsrfToken(token) { csrfToken = token; }

// Called when a request answers 401: the session ended (idle or absolute expiry, signed out elsewhere).
export function whenExpired(handler) { onExpired = handler; }

export async function api(method, path, { body, headers = {}, quietExpiry = false } = {}) {
  const sent = { Accept: 'application/json', ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) sent['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method, headers: sent, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') && response.status !== 204 ? await response.json() : null;
  if (response.status === 401 && !quietExpiry) onExpired();
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, etag: response.headers.get('ETag'), status: response.status };
}

// A query string from the set values of `parameters`.
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
