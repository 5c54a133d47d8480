import type { Metadata } from "next";
import { DraftHome } from "@/components/draft/draft-home";
import { PageHeader } from "@/components/page-header";
import { getWebContext } from "@/lib/server/context";
import { listDraftSessions } from "@/lib/server/draft/sessions";
import { requirePageUser } from "@/lib/server/session";

export const metadata: Metadata = { title: "Draft" };

export default async function DraftPage() {
  const principal = await requirePageUser();
  const { sessions } = await listDraftSessions(getWebContext().jobs, principal.userId);
  return (
    <>
      <PageHeader title="Draft">Iterate in a chat: quick, cheap drafts for every idea, then full quality for the one you like.</PageHeader>
      <DraftHome sessions={sessions} />
    </>
  );
}
