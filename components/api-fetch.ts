"use client";

/**
 * fetch for the studio's own /api/v1 calls from the browser: JSON in and out,
 * and the API's `{ error: { message } }` turned into a thrown Error.
 */
export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? {} : { "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      typeof payload === "object" && payload && "error" in payload && typeof payload.error === "object" && payload.error && "message" in payload.error
        ? String(payload.error.message)
        : `Request failed (${response.status}).`;
    throw new Error(message);
  }
  return payload as T;
}
