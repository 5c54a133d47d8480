"use client";

import { useState, type FormEvent } from "react";
import type { TApiToken } from "@/lib/schemas/account";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { Button } from "./ui/button";

export function TokensPanel({ initialTokens }: { initialTokens: TApiToken[] }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get("name") ?? "");
    setError(null);
    try {
      const token = await callApi(endpoints.createToken, { body: { name } });
      const { token: secret, ...listed } = token;
      setCreated(secret);
      setTokens((current) => [listed, ...current]);
      formElement.reset();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  async function onRevoke(id: string) {
    setError(null);
    try {
      await callApi(endpoints.revokeToken, { params: { id } });
      setTokens((current) => current.filter((token) => token.id !== id));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <section aria-labelledby="tokens-heading" className="flex max-w-2xl flex-col gap-4">
      <h2 id="tokens-heading" className="text-lg font-medium">API tokens</h2>
      <p className="text-sm text-ink-300">
        Use a token as <code className="rounded bg-ink-800 px-1">Authorization: Bearer &lt;token&gt;</code> on any <code className="rounded bg-ink-800 px-1">/api/v1</code> route.
      </p>
      <form onSubmit={onCreate} className="flex gap-2">
        <label className="sr-only" htmlFor="token-name">Token name</label>
        <input id="token-name" name="name" required maxLength={60} placeholder="Token name, e.g. laptop script" className="flex-1 rounded-lg border border-ink-700 bg-ink-900 px-3 py-2 text-sm" />
        <Button type="submit" variant="primary" size="lg">Create token</Button>
      </form>
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
      {created && (
        <div role="status" className="flex flex-col gap-2 rounded-lg border border-accent/50 bg-ink-900 p-3 text-sm">
          <span>Copy this token now — it will not be shown again.</span>
          <code data-testid="new-token" className="break-all rounded bg-ink-800 px-2 py-1.5 font-mono text-xs">{created}</code>
        </div>
      )}
      <ul className="divide-y divide-ink-800 rounded-lg border border-ink-800">
        {tokens.length === 0 && <li className="px-4 py-3 text-sm text-ink-300">No tokens yet.</li>}
        {tokens.map((token) => (
          <li key={token.id} className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
            <span className="flex flex-col">
              <span>{token.name}</span>
              <span className="font-mono text-xs text-ink-300">
                {token.prefix}… · created {new Date(token.createdAt).toLocaleDateString()}
                {token.lastUsedAt ? ` · last used ${new Date(token.lastUsedAt).toLocaleString()}` : " · never used"}
              </span>
            </span>
            <Button variant="outline" size="xs" onClick={() => onRevoke(token.id)} aria-label={`Revoke token ${token.name}`}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
