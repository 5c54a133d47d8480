import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { TokensPanel } from "@/components/tokens-panel";
import { getWebContext } from "@/lib/server/context";
import { requirePageUser } from "@/lib/server/session";
import { listApiTokens } from "@/lib/server/tokens";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const principal = await requirePageUser();
  const tokens = await listApiTokens(getWebContext().db, principal.userId);
  return (
    <>
      <PageHeader title="Settings">Signed in as {principal.email}.</PageHeader>
      <TokensPanel initialTokens={tokens} />
    </>
  );
}
