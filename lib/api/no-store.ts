/**
 * API answers are private to the caller (their jobs, images, tokens, usage):
 * no browser or shared cache may keep them. Routes that set their own
 * Cache-Control (image files, which are immutable per id) keep it.
 */
export function withNoStore(response: Response): Response {
  if (response.headers.has("cache-control")) return response;
  try {
    response.headers.set("cache-control", "no-store");
    return response;
  } catch {
    // Headers of some responses (redirects, fetched ones) are immutable: copy them.
    const headers = new Headers(response.headers);
    headers.set("cache-control", "no-store");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
